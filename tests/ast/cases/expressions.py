x = 1 + 2 * 3 - 4 / 5 // 6 % 7 @ m ** -2 ** 3
y = ~a | b ^ c & d << 1 >> 2
z = not a and b or c and not d
w = a < b <= c == d != e > f >= g is h is not i in j not in k
v = a if b else c if d else e
u = lambda: 0
t = lambda a, b=1, *args, c, d=2, **kw: (a, b, args, c, d, kw)
s = lambda a, /, b: a
r = (yield)
q = [1, 2, *rest, 3]
p = {1: 2, **other, 3: 4}
o = {1, 2, *more}
n = (1,)
m = ()
l = []
k = {}
j = a[1:2, ::3, 4:]
i = a[...]
h = a[:]
g = a[1:2:3]
f = a.b.c(d, *e, f=g, **h)(i)[j]
e2 = (x := 10) + (y := 20)
d2 = [y for x in range(10) if x if x > 2 for y in x]
c2 = {k: v for k, v in items}
b2 = {x for x in y}
a2 = (x for x in y)
z2 = sum(x for x in y)
y2 = f(x for x in y)
x2 = -1, +2, ~3, --4
w2 = a[b][c](d).e
v2 = (a)
u2 = ((a), (b,), ((c)))
t2 = 1_000_000 + 0x_ff + 0o17 + 0b1010 + 1.5e-3 + 1j + 2.5J + .5 + 5. + 1e10 + 0e0 + 00
s2 = True, False, None, ...
r2 = await_ if 1 else 2
q2 = a.b[c:d].e(f)[g:]
p2 = [*a, *b]
o2 = print(*args, sep='', **kw)
n2 = x[a:=1]
m2 = x[1, 2]
l2 = x[*a]
k2 = [i async for i in aiter()] if 0 else None
