# BINARY_OP on floats: a float held only by the value stack, or only by the
# local the next STORE_FAST overwrites, takes the result in place; float **
# has a fast path for a positive finite base.  Values, types, errors and
# sys.getrefcount equal python3's; a float anyone else holds never changes.
import sys

x = 2.5
y = 1.5
a = x * y + x * y
print(a, sys.getrefcount(a))
l = [1.0, 2.0]
keep = l[0]
l[0] -= x * y
print(l, keep, sys.getrefcount(l[0]))
cases = [(2.0, -1.5), (0.0, 2.0), (-2.0, 2.0), (-8.0, 1 / 3), (1e300, 2.0), (2.0, 0.5),
         (float("inf"), 2.0), (float("nan"), 0.0), (1.0, float("nan")), (2, 0.5), (2.0, 3),
         (2, 3), (0.0, -1.0), (1e-300, 2.0), (2.0, 1e10), (0.5, -1e10), (1.0, float("inf"))]
for b, e in cases:
    try:
        print(b, e, b ** e)
    except Exception as ex:
        print(type(ex).__name__, ex)
t = 0.0
for i in range(100):
    t += (i * 0.5) ** 0.5 * 1.5 - t / 3.0
print(t)


class F(float):
    pass


f = F(2.0)
print(type(f * 2.0), type(2.0 * f), f ** 2.0, type(f ** 2.0))


def g():
    x = 1.5
    y = 2.5
    z = x * y
    z = x * y
    w = z
    z = x + y
    print(z, w, sys.getrefcount(z), sys.getrefcount(w))
    for i in range(5):
        d = x - y
        m = d * d
        x = x * 1.0001
        k = d
        d = d + 1.0
        print(d, m, x, k)
    held = []
    for i in range(3):
        v = x / 3.0
        held.append(v)
        v = v * 2.0
    print(held, v)
    s = 0.5
    s = s * s
    print(s, sys.getrefcount(s))


g()
