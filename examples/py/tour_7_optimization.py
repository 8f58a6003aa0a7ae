# A tour of CPython's memory savers: __slots__, the small-int cache,
# string interning and free lists.
import sys


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


class SlotPoint:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


print("-- __slots__: no __dict__, fixed fields")
p, s = Point(1, 2), SlotPoint(1, 2)
print("Point:", sys.getsizeof(p), "+ its __dict__ when asked:", sys.getsizeof(p.__dict__))
print("SlotPoint:", sys.getsizeof(s))
print("has __dict__:", hasattr(p, "__dict__"), hasattr(s, "__dict__"))
try:
    s.z = 3
except AttributeError as e:
    print("AttributeError:", e)

print("-- the small-int cache: -5..256 exist once")
a = 256
b = int("256")
print("256 is int('256'):", a is b)
c = 257
d = int("257")
print("257 is int('257'):", c is d)
m5 = -5
print("-5 is int('-5'):", m5 is int("-5"))

print("-- interning: identifier-like strings are shared")
x = "hello_world"
y = "hello_" + "world"              # folded at compile time: the same constant
print("folded constant is the same object:", x is y)
z = "".join(["hello_", "world"])    # built at run time: a new object
print("built at run time is the same object:", x is z)
print("after sys.intern:", x is sys.intern(z))

print("-- free lists: a freed float's memory is reused at once")
f = float("1.5")
addr = id(f)
del f
g = float("2.5")
print("the new float reuses the old one's block:", id(g) == addr)
