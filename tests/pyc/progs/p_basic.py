# Output of a little of everything: the .pyc pymm writes must run the same.
import sys

def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a

class Point:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __repr__(self):
        return f"Point({self.x!r}, {self.y:>3})"

def gen(n):
    yield from range(n)

def closure():
    count = 0
    def inc(k=1, *, by=2):
        nonlocal count
        count += k * by
        return count
    return inc

inc = closure()
print(fib(30), [fib(i) for i in range(10)], {i: i * i for i in range(5)})
print(Point(1, "ab"), list(gen(4)), inc(), inc(3, by=5))
print(2 ** 100, -(2 ** 70), 1.5e300, -0.0, 3 + 4j, (1, (2, 3)), frozenset({1}), b"\x00\xff")
print("caf\u00e9 \u20ac \U0001f600", "x" * 300 == "x" * 300, ...)
try:
    {}["missing"]
except KeyError as e:
    print("KeyError", e)
finally:
    print("finally")
with open(__file__) as f:
    print(len(f.readline()) > 0)
match [1, 2, {"k": "v"}]:
    case [a, b, {"k": str() as v}]:
        print("match", a, b, v)
print(sorted({3, 1, 2}), (lambda: 0)(), sys.version_info[:2] >= (3, 11))
