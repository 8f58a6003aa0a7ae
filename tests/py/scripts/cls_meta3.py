# __init_subclass__ keywords, metaclass __call__ / __prepare__ with a non-dict mapping, dunders on a metaclass, __new__ / __init__ results.
def t(label, f):
    try:
        r = f()
        print(label, repr(r))
    except Exception as e:
        print(label, 'EXC', type(e).__name__, e)

class Plugin:
    registry = []
    def __init_subclass__(cls, /, name=None, **kw):
        super().__init_subclass__(**kw)
        cls.plugin_name = name or cls.__name__.lower()
        Plugin.registry.append(cls.plugin_name)
class A(Plugin, name='alpha'): pass
class B(Plugin): pass
print(Plugin.registry, A.plugin_name, B.plugin_name)
def bad():
    class C(Plugin, unknown=1): pass
t('unknown kw', bad)
def bad2():
    class D(flag=1): pass
t('object kw', bad2)

class Singleton(type):
    _inst = {}
    def __call__(cls, *a, **k):
        if cls not in cls._inst:
            cls._inst[cls] = super().__call__(*a, **k)
        return cls._inst[cls]
class Config(metaclass=Singleton):
    def __init__(self, v=0):
        self.v = v
c1 = Config(1)
c2 = Config(2)
print(c1 is c2, c2.v)

class Mapping:
    def __init__(self):
        self.d = {}
        self.log = []
    def __getitem__(self, k):
        return self.d[k]
    def __setitem__(self, k, v):
        self.log.append(k)
        self.d[k] = v
    def __delitem__(self, k):
        del self.d[k]
class MM(type):
    @classmethod
    def __prepare__(mcs, name, bases):
        return Mapping()
    def __new__(mcs, name, bases, ns):
        cls = super().__new__(mcs, name, bases, ns.d)
        cls.log = ns.log
        return cls
class Q(metaclass=MM):
    a = 1
    b = a + 1
print(Q.log, Q.a, Q.b)

class BadPrep(type):
    @classmethod
    def __prepare__(mcs, name, bases):
        return 5
def bad3():
    class R(metaclass=BadPrep): pass
t('prepare non-mapping', bad3)

class Meta(type):
    def __repr__(cls):
        return '<Meta class %s>' % cls.__name__
    def __len__(cls):
        return 3
    def __getitem__(cls, k):
        return k * 2
    def __iter__(cls):
        return iter([1, 2])
    def __or__(cls, other):
        return 'or'
class W(metaclass=Meta): pass
print(repr(W), len(W), W[4], list(W), W | int, str(W))
t('qualname', lambda: (W.__qualname__, type(W).__qualname__, type(W).__name__))
t('type.__new__ direct', lambda: type(type.__new__(Meta, 'Z', (), {})).__name__)
t('type.__new__ bad', lambda: type.__new__(int, 'Z', (), {}))
t('type() 2 args', lambda: type('Z', ()))
def fn_meta(name, bases, ns, **kw):
    return (name, bases, sorted(k for k in ns if not k.startswith('__')), kw)
class F(metaclass=fn_meta, x=1):
    y = 2
t('function metaclass', lambda: F)
t('instancecheck on type', lambda: (isinstance(W, Meta), isinstance(W, type), issubclass(Meta, type)))
t('mro of meta', lambda: Meta.mro())
class M2(Meta): pass
class W2(W, metaclass=M2): pass
t('derived meta', lambda: (type(W2).__name__, repr(W2)))
t('init not None', lambda: type('K', (), {'__init__': lambda self: 5})())
class NewOther:
    def __new__(cls):
        return 42
    def __init__(self):
        raise RuntimeError('not called')
t('new returns int', lambda: NewOther())
class NewSub:
    def __new__(cls):
        return object.__new__(Sub2)
    def __init__(self):
        print('NewSub.__init__ on', type(self).__name__)
class Sub2(NewSub): pass
t('new returns subclass', lambda: type(NewSub()).__name__)
