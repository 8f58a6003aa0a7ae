# functions: defaults, keyword-only, positional-only, *args/**kw, annotations,
# closures, nonlocal, global, decorators, lambdas, generators, docstrings
def f0(): pass
def f1(a, b=1, *args, c, d=2, **kw): return a
def f2(a, /, b, *, c): return a + b + c
def f3(a: int, b: "str" = "x") -> list[int]: "docstring"; return [a]
@dec
@dec2(1)
def f4(): return 1
def outer(x):
    y = 1
    def inner(z):
        nonlocal y
        y += z
        return x + y
    return inner
def counter():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    return inc, lambda: n
G = 0
def setg():
    global G
    G = 1
def gen(n):
    for i in range(n):
        x = yield i
        if x:
            yield from gen(x)
    return n
lam = lambda a, *b, c=1, **d: (a, b, c, d)
def defaults(a=[], b={}, c=(1, 2), d=-1, e=None): return a
def shadow(list):
    return list
def cells(a, b):
    def g(): return a
    return g
