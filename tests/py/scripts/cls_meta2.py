# Metaclasses: __prepare__, conflicts, __set_name__, __instancecheck__ / __subclasscheck__, __mro_entries__, __init__ / __new__ results.
def t(label, f):
    try:
        r = f()
        print(label, repr(r))
    except Exception as e:
        print(label, 'EXC', type(e).__name__, e)

class Recording(dict):
    def __init__(self):
        super().__init__()
        self.order = []
    def __setitem__(self, k, v):
        self.order.append(k)
        super().__setitem__(k, v)

class PM(type):
    @classmethod
    def __prepare__(mcs, name, bases, **kw):
        print('prepare', name, bases, kw)
        return Recording()
    def __new__(mcs, name, bases, ns, **kw):
        cls = super().__new__(mcs, name, bases, dict(ns))
        cls.order = [k for k in ns.order if not k.startswith('__')]
        return cls
class P(metaclass=PM, a=1):
    z = 1
    y = 2
    def f(self): pass
print(P.order)

# metaclass conflicts
class M1(type): pass
class M2(type): pass
class X1(metaclass=M1): pass
class X2(metaclass=M2): pass
t('conflict', lambda: type('Y', (X1, X2), {}))
def mk():
    class Y(X1, X2): pass
t('conflict stmt', mk)
class M3(M1): pass
class X3(metaclass=M3): pass
class Z(X1, X3): pass
t('derived wins', lambda: type(Z))
t('type() picks winner', lambda: type(type('W', (X3,), {})))

# __set_name__
class Field:
    def __set_name__(self, owner, name):
        print('set_name', owner.__name__, name)
        self.name = name
    def __get__(self, obj, cls):
        return self if obj is None else 'field ' + self.name
class R:
    a = Field()
    b = Field()
print(R().a, R.b.name)

# __instancecheck__ / __subclasscheck__
class Meta(type):
    def __instancecheck__(cls, inst):
        print('instancecheck', cls.__name__, inst)
        return inst == 42
    def __subclasscheck__(cls, sub):
        print('subclasscheck', cls.__name__, sub.__name__)
        return sub is int
class Answer(metaclass=Meta): pass
t('isinstance', lambda: (isinstance(42, Answer), isinstance(1, Answer), isinstance(Answer(), Answer)))
t('issubclass', lambda: (issubclass(int, Answer), issubclass(str, Answer), issubclass(Answer, Answer)))
t('tuple', lambda: isinstance(42, (str, Answer)))
t('type defaults', lambda: (type.__instancecheck__(Answer, 42), type.__subclasscheck__(Answer, Answer)))
class EM(type):
    def __subclasscheck__(cls, sub):
        return True
class E(Exception, metaclass=EM): pass
try:
    raise KeyError(1)
except E:
    print('caught by E')
except KeyError:
    print('KeyError (except uses the real subclass test)')

# __mro_entries__
class Proxy:
    def __init__(self, real):
        self.real = real
    def __mro_entries__(self, bases):
        print('mro_entries', [type(b).__name__ for b in bases])
        return (self.real,)
class Base:
    pass
class D(Proxy(Base)):
    pass
print(D.__bases__, [type(b).__name__ for b in D.__orig_bases__], D.__mro__)
t('bad mro_entries', lambda: type('Q', (Proxy(Base),), {}))
class NE:
    def __mro_entries__(self, bases):
        return 5
def mk2():
    class Q(NE()): pass
t('non-tuple', mk2)

# __init__ returning a value; __new__ returning another type's instance
class BadInit:
    def __init__(self):
        return 1
t('init returns', lambda: BadInit())
class Other:
    def __init__(self):
        print('Other.__init__ not expected')
class Factory:
    def __new__(cls, *a):
        return Other.__new__(Other)
    def __init__(self, *a):
        print('Factory.__init__ not expected')
t('new other', lambda: type(Factory(1)).__name__)
class Sub(Factory):
    pass
class Same:
    def __new__(cls, v):
        o = super().__new__(cls)
        o.v = v
        return o
    def __init__(self, v):
        print('Same.__init__', v)
t('new same', lambda: Same(3).v)
