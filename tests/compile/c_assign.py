# assignments: plain, chained, tuple/star unpacking, attributes, subscripts,
# augmented, annotated, walrus, del
a = 1
b = c = d = a + 1
e, f = f, e
g, h, i = 1, 2, 3
j, *k, l = range(10)
*m, n = [1, 2]
(o, p), q = (1, 2), 3
[r, s] = t = "ab"
x.attr = 1
x.attr += 2
x[0] = 3
x[1:2] = [4]
x[a, b] -= 5
x.y.z *= 6
a //= 2; a **= 2; a <<= 1; a >>= 1; a &= 1; a |= 2; a ^= 3; a %= 4; a @= m; a /= 5
v: int = 5
w: list
x.u: int = 1
x[0]: str
if (n := len(m)) > 2:
    print(n)
del a, x.attr, x[0], x[1:2]
def f():
    a = b = 1
    a, b = b, a
    a, b, c = c, b, a
    x: int = 1
    (y := 2)
    del a
    return x, y
