# weakref.ref: sharing, callbacks, __callback__, hash/eq, subclasses, reprs
import sys
import weakref

from impmod_wrmask import mask


class A:
    def __init__(self, n):
        self.n = n

    def __repr__(self):
        return "A(%d)" % self.n

    def __eq__(self, other):
        return isinstance(other, A) and self.n == other.n

    def __hash__(self):
        return hash(self.n)


a = A(1)
r1 = weakref.ref(a)
r2 = weakref.ref(a)
print("shared basic ref:", r1 is r2, r1() is a)
print("ReferenceType is ref:", weakref.ReferenceType is weakref.ref, type(r1).__name__)
print(mask(repr(r1)))
print("callback of a plain ref:", r1.__callback__)

log = []


def cb1(wr):
    log.append(("cb1", wr is r3, wr()))


def cb2(wr):
    log.append(("cb2", wr is r4))


r3 = weakref.ref(a, cb1)
r4 = weakref.ref(a, cb2)
print("refs with callbacks are distinct:", r3 is not r1, r3 is not r4, r3.__callback__ is cb1)
print("count:", weakref.getweakrefcount(a), "order:", [x is r1 for x in weakref.getweakrefs(a)])
print("ref(a, None) is the basic ref:", weakref.ref(a, None) is r1)

# equality and hash follow the referent while it lives
b = A(1)
rb = weakref.ref(b)
print("eq by referent:", r1 == rb, r1 != rb, hash(r1) == hash(a))
del b
print("dead ref equals only itself:", rb == rb, rb == r1, rb() is None)
try:
    hash(rb)
except TypeError as e:
    print("TypeError:", e)

del a
print("after del:", r1(), log)
print(mask(repr(r1)))
print("cleared callback:", r3.__callback__)
print("dead hash cached:", hash(r1) == hash(1))


# subclasses: extra attributes, __init__ with more arguments
class Tagged(weakref.ref):
    def __init__(self, ob, callback=None, **tags):
        super().__init__(ob, callback)
        self.tags = tags


c = A(3)
t = Tagged(c, None, colour="red")
print("subclass:", type(t).__name__, t.tags, t() is c, t is not weakref.ref(c), isinstance(t, weakref.ref))
print("subclass size:", sys.getsizeof(t) - sys.getsizeof(weakref.ref(c)))


class Keyed(weakref.ref):
    __slots__ = ("key",)

    def __new__(cls, ob, callback, key):
        self = super().__new__(cls, ob, callback)
        self.key = key
        return self

    def __init__(self, ob, callback, key):
        super().__init__(ob, callback)


seen = []
k = Keyed(c, lambda wr: seen.append(wr.key), "the key")
print("keyed:", k.key, k() is c, sys.getsizeof(k) - sys.getsizeof(weakref.ref(c)))
del c
print("keyed callback:", seen, t(), k())

# errors
for bad in (1, "s", (1, 2), None):
    try:
        weakref.ref(bad)
    except TypeError as e:
        print("TypeError:", e)
try:
    weakref.ref()
except TypeError as e:
    print("TypeError:", e)
try:
    weakref.ref(A(0), None, 3)
except TypeError as e:
    print("TypeError:", e)
try:
    r1(1)
except TypeError as e:
    print("TypeError:", e)


# a callback that raises is reported and ignored
class BadCallback:
    def __call__(self, wr):
        raise ValueError("from the callback")

    def __repr__(self):
        return "<the failing callback>"


bad_callback = BadCallback()


d = A(4)
rd = weakref.ref(d, bad_callback)
del d
print("after the failing callback:", rd())


# functions are weakly referenceable
def f():
    return 42


rf = weakref.ref(f)
print("function:", rf()(), weakref.getweakrefcount(f))
del f
print("function gone:", rf())
