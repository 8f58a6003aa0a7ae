a, b = 1, 2
print(a, b)
a, b = b, a
print(a, b)
x, y, z = "xyz"
print(x, y, z)
(p, q), r = [1, 2], 3
print(p, q, r)
for k, v in [(1, "a"), (2, "b")]:
    print(k, v)
i = j = 5
print(i, j)
