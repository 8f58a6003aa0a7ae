# Comprehensions run in their own frames: scoping, nesting, closures over
# the loop variable, conditionals, dict/set comprehensions, walrus.
xs = [3, 1, 4, 1, 5, 9, 2, 6]
print([x * x for x in xs if x % 2])
print({x: x % 3 for x in xs})
print(sorted({x % 4 for x in xs}))
print([(i, j) for i in range(3) for j in range(i)])
print([[c for c in w] for w in ("ab", "cde")])
funcs = [lambda: i for i in range(3)]
print([f() for f in funcs])
funcs = [lambda i=i: i for i in range(3)]
print([f() for f in funcs])
x = "outer"
print([x for x in "ab"], x)
print([y := v + 1 for v in (1, 2)], y)
total = sum(n for n in range(10) if n % 3 == 0)
print(total)
g = (c.upper() for c in "xyz")
print(next(g), list(g))


class K:
    base = 10
    vals = [base + i for i in range(3)] if False else None
    names = [n for n in ("a", "b")]


print(K.names)
try:
    print([undefined_name for _ in range(1)])
except NameError as e:
    print("NameError:", e)
