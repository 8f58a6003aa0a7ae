import functools, sys
from functools import lru_cache, cache, cached_property, wraps, total_ordering, partial, reduce

print(functools.partial.__module__, reduce(lambda a, b: a * b, range(1, 6)))

def deco(f):
    @wraps(f)
    def inner(*a, **k):
        "inner doc"
        return f(*a, **k)
    return inner

@deco
def target(x, y=2):
    "target doc"
    return x + y
target.extra = 1
print(target.__name__, target.__qualname__, target.__doc__, target.__wrapped__.__name__, target(1))

@lru_cache(maxsize=3)
def sq(n):
    print("  compute", n)
    return n * n
for n in (1, 2, 3, 1, 4, 2, 5, 1):
    sq(n)
print(sq.cache_info(), sq.cache_parameters())
sq.cache_clear()
print(sq.cache_info())

@lru_cache
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80), fib.cache_info())

@lru_cache(maxsize=None, typed=True)
def kind(x):
    return type(x).__name__
print(kind(3), kind(3.0), kind(3), kind.cache_info())

@lru_cache(maxsize=0)
def nocache(x):
    return x
nocache(1); nocache(1)
print(nocache.cache_info())

@cache
def twice(x, *, k=1):
    return x * 2 * k
print(twice(2), twice(2), twice(2, k=3), twice.cache_info())

try:
    lru_cache("x")
except TypeError as e:
    print("TypeError:", e)

@lru_cache(maxsize=-5)
def neg(x):
    return x
neg(1)
print(neg.cache_info())

@lru_cache(maxsize=2)
def rec(n):
    return 0 if n == 0 else rec(n - 1) + 1
print(rec(5), rec.cache_info())

class Circle:
    def __init__(self, r):
        self.r = r
    @cached_property
    def area(self):
        print("  area computed")
        return 3 * self.r * self.r
c = Circle(2)
print(c.area, c.area, 'area' in c.__dict__, type(Circle.area).__name__)
del c.area
print(c.area)

class Slotted:
    __slots__ = ('x',)
    @cached_property
    def v(self):
        return 1
try:
    Slotted().v
except TypeError as e:
    print("TypeError:", e)

cp = cached_property(lambda self: 1)
class Two:
    a = cp
try:
    class Three:
        a = cp
        b = cp
except (TypeError, RuntimeError) as e:
    print(type(e).__name__, e, repr(e.__cause__))

def loose(self):
    return 1
p = cached_property(loose)
try:
    p.__get__(Circle(1))
except TypeError as e:
    print("TypeError:", e)

@total_ordering
class V:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        return self.v == o.v
    def __lt__(self, o):
        if not isinstance(o, V):
            return NotImplemented
        return self.v < o.v
a, b = V(1), V(2)
print(a < b, a > b, a <= b, a >= b, b >= a, a <= V(1), V.__gt__.__name__, V.__gt__.__qualname__)
try:
    a > 3
except TypeError as e:
    print("TypeError:", e)

@total_ordering
class G:
    def __init__(self, v):
        self.v = v
    def __eq__(self, o):
        return self.v == o.v
    def __ge__(self, o):
        return self.v >= o.v
print(G(1) < G(2), G(2) <= G(2), G(3) > G(2), G.__lt__.__qualname__)
try:
    @total_ordering
    class N:
        pass
except ValueError as e:
    print("ValueError:", e)

print(cached_property[int], sorted(functools.__all__) == sorted(set(functools.__all__)))
print(partial(int, base=2)("101"), sys.getrefcount(sq) > 1)
