# types.ModuleType as a base class, module.__new__ / __init__ apart, and a
# module's __class__ set to a subclass (the pre-PEP 562 idiom); the module
# layout figures (3.11: __basicsize__ 56, getsizeof 72).
import gc
import sys
import types
import weakref

for args in [(), (1,), ("a", "b", "c")]:
    try:
        types.ModuleType(*args)
    except TypeError as e:
        print("TypeError:", e)
for kwargs in [{"nam": 1}, {"name": "b"}]:
    try:
        types.ModuleType("a", **kwargs)
    except TypeError as e:
        print("TypeError:", e)

m = types.ModuleType.__new__(types.ModuleType)
print(repr(m), m.__dict__)
m.__init__("late", "its doc")
print(repr(m), sorted(m.__dict__.items()))
m.__init__("again")
print(repr(m), m.__doc__)

z = types.ModuleType("z", "doc")
print(z, sorted(z.__dict__.items()))
print(type(sys).__basicsize__, type(sys).__dictoffset__, type(sys).__weakrefoffset__, sys.getsizeof(z))


class M(types.ModuleType):
    def __init__(self, name):
        super().__init__(name)
        self.extra = 1

    def __getattr__(self, n):
        return "dyn:" + n


mm = M("mm")
print(mm, mm.extra, mm.foo, sys.getsizeof(mm), M.__basicsize__, M.__dictoffset__, M.__weakrefoffset__)
print(isinstance(mm, types.ModuleType), gc.is_tracked(mm))

plain = types.ModuleType("x")
plain.__class__ = M
print(plain.bar, type(plain).__name__)
plain.__class__ = types.ModuleType
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


class N(types.ModuleType):
    __slots__ = ("a",)


n = N("n")
n.a = 5
print(n.a, N.__basicsize__, sys.getsizeof(n))
try:
    n.__class__ = types.ModuleType
except TypeError as e:
    print("TypeError:", e)

r = weakref.ref(mm)
print(r() is mm)
del mm
print(r())

c = M("cyc")
c.me = c
wc = weakref.ref(c)
del c
gc.collect()
print(wc())

# a module __getattr__ answers repr's __file__ lookup, as in importlib
h = types.ModuleType("hooked")
h.__getattr__ = lambda name: "from-hook:" + name
print(repr(h))
q = types.ModuleType("it's")
print(repr(q))
