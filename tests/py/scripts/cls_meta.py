# Metaclasses: __new__ / __init__ / __call__ overrides, keywords, methods and properties on the metaclass.
class M(type):
    def __new__(mcs, name, bases, ns, **kw):
        print('M.__new__', mcs.__name__, name, bases, sorted(k for k in ns if not k.startswith('__')), kw)
        cls = super().__new__(mcs, name, bases, ns)
        cls.tag = 'made by M'
        return cls
    def __init__(cls, name, bases, ns, **kw):
        print('M.__init__', name, kw)
        super().__init__(name, bases, ns)
    def __call__(cls, *a, **k):
        print('M.__call__', cls.__name__, a, k)
        return super().__call__(*a, **k)
    def hello(cls):
        return 'hello from ' + cls.__name__
    @property
    def prop(cls):
        return 'prop of ' + cls.__name__

class A(metaclass=M, flag=1):
    def __init_subclass__(cls, **kw):
        print('init_subclass', cls.__name__, kw)
    def __init__(self, x=0):
        self.x = x
class B(A, flag=2):
    pass
print(type(A), type(B), A.tag, B.tag, A.hello(), B.prop)
a = A(5)
print(a.x, type(a))
print(isinstance(A, M), isinstance(A, type), M.__mro__)
print(repr(M), repr(A))
import sys
print(type(M), M.__base__)
