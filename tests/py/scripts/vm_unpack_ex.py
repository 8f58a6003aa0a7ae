# Star unpacking (UNPACK_EX): before, the starred list, after; its errors.
a, *b, c = [1, 2, 3, 4, 5]
print(a, b, c)
*x, = "abc"
print(x)
first, *rest = (9,)
print(first, rest)
p, q, *r, s, t = [0, 1, 2, 3, 4, 5]
print(p, q, r, s, t)
for h, *tl in [[1, 2, 3], [4]]:
    print(h, tl)
try:
    a, *b, c = [1]
except ValueError as e:
    print(e)
try:
    a, *b = 1
except TypeError as e:
    print(e)
def gen():
    yield 1
    yield 2
    yield 3
m, *n = gen()
print(m, n)
