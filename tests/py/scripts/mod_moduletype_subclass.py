# ModuleType as a base class, module.__new__ / __init__ apart, and a
# module's __class__ set to a subclass (the pre-PEP 562 idiom); the module
# layout figures (3.11: __basicsize__ 56, getsizeof 72).
import _weakref
import gc
import sys

ModuleType = type(sys)   # ModuleType, without importing types (the
                         # fault sweep runs this script once per allocation)

for args in [(), (1,), ("a", "b", "c")]:
    try:
        ModuleType(*args)
    except TypeError as e:
        print("TypeError:", e)
for kwargs in [{"nam": 1}, {"name": "b"}]:
    try:
        ModuleType("a", **kwargs)
    except TypeError as e:
        print("TypeError:", e)

m = ModuleType.__new__(ModuleType)
print(repr(m), m.__dict__)
m.__init__("late", "its doc")
print(repr(m), sorted(m.__dict__.items()))
m.__init__("again")
print(repr(m), m.__doc__)

z = ModuleType("z", "doc")
print(z, sorted(z.__dict__.items()))
print(type(sys).__basicsize__, type(sys).__dictoffset__, type(sys).__weakrefoffset__, sys.getsizeof(z))


class M(ModuleType):
    def __init__(self, name):
        super().__init__(name)
        self.extra = 1

    def __getattr__(self, n):
        return "dyn:" + n


mm = M("mm")
print(mm, mm.extra, mm.foo, sys.getsizeof(mm), M.__basicsize__, M.__dictoffset__, M.__weakrefoffset__)
print(isinstance(mm, ModuleType), gc.is_tracked(mm))

plain = ModuleType("x")
plain.__class__ = M
print(plain.bar, type(plain).__name__)
plain.__class__ = ModuleType
print(type(plain).__name__)
try:
    plain.bar
except AttributeError as e:
    print("AttributeError:", e)


class Other:
    pass


try:
    plain.__class__ = Other
except TypeError as e:
    print("TypeError:", e)

sys.modules[__name__].__class__ = M
print(type(sys.modules[__name__]).__name__, sys.modules[__name__].anything)


class N(ModuleType):
    __slots__ = ("a",)


n = N("n")
n.a = 5
print(n.a, N.__basicsize__, sys.getsizeof(n))
try:
    n.__class__ = ModuleType
except TypeError as e:
    print("TypeError:", e)

r = _weakref.ref(mm)
print(r() is mm)
del mm
print(r())

c = M("cyc")
c.me = c
wc = _weakref.ref(c)
del c
gc.collect()
print(wc())

# a module __getattr__ answers repr's __file__ lookup, as in importlib
h = ModuleType("hooked")
h.__getattr__ = lambda name: "from-hook:" + name
print(repr(h))
q = ModuleType("it's")
print(repr(q))
