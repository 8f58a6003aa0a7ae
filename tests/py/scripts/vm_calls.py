# Functions and calls: binding, defaults, *args/**kwargs, errors (3.11 texts).
def f0():
    return "f0"

def f2(a, b):
    return a * 10 + b

def fdef(a, b=2, c=3):
    return (a, b, c)

def fstar(a, *args, **kw):
    return (a, args, sorted_items(kw))

def sorted_items(d):
    out = []
    for k in d:
        out.append((k, d[k]))
    out.sort()
    return out

def kwonly(a, *, k, m=7):
    return (a, k, m)

def posonly(a, b, /, c, d=4, *, e=5):
    return (a, b, c, d, e)

print(f0(), f2(1, 2), f2(b=1, a=2), fdef(1), fdef(1, c=9), fdef(1, 2, 3))
print(fstar(1), fstar(1, 2, 3), fstar(1, x=1, y=2), fstar(a=5, z=0))
print(kwonly(1, k=2), kwonly(1, m=0, k=3))
print(posonly(1, 2, 3), posonly(1, 2, c=3, d=0, e=1))
args = (1, 2)
kw = {"c": 30}
print(posonly(*args, **kw), f2(*args), fdef(*[7], **{"b": 8}))
print(fstar(*(1, 2, 3), **{"q": 1}))

def check(thunk):
    try:
        thunk()
    except TypeError as e:
        print("TypeError:", e)

check(lambda: f0(1))
check(lambda: f2(1))
check(lambda: f2())
check(lambda: f2(1, 2, 3))
check(lambda: fdef())
check(lambda: fdef(1, 2, 3, 4))
check(lambda: f2(1, a=1))
check(lambda: f2(1, 2, c=3))
check(lambda: kwonly(1))
check(lambda: kwonly(1, 2))
check(lambda: kwonly(1, 2, k=3))
check(lambda: posonly(1, 2))
check(lambda: posonly(a=1, b=2, c=3))
check(lambda: posonly(1, b=2, c=3))
check(lambda: fdef(*1))
check(lambda: fdef(**1))
check(lambda: fstar(1, **{"x": 1}, **{"x": 2}))
check(lambda: fstar(**{1: 2}))

def three(a, b, c, d, e):
    pass

check(lambda: three())
check(lambda: three(1, 2))
check(lambda: three(1, 2, 3, 4))

# recursion and nested calls
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(20))

def deep(n):
    if n == 0:
        return 0
    return 1 + deep(n - 1)
print(deep(500))

def forever(n):
    return forever(n + 1)
try:
    forever(0)
except RecursionError as e:
    print("RecursionError:", e)

# lambdas, comprehensions, closures over loop variables
sq = lambda x, y=1: x * x + y
print(sq(3), sq(3, 0), [sq(i) for i in [1, 2, 3]], {i: sq(i) for i in [1, 2]})
print(sum([x * y for x in [1, 2, 3] for y in [10, 20] if x != 2]))

# function attributes
def documented(a, b: "int" = 1, *, c: 2 = "x") -> [1]:
    "The doc."
    return a

print(documented.__name__, documented.__qualname__, documented.__doc__)
print(documented.__defaults__, documented.__kwdefaults__, documented.__module__)
print(sorted_items(documented.__annotations__))
print(documented.__code__.co_name, documented.__code__.co_varnames, documented.__closure__)
print(f0.__doc__, f0.__defaults__, f0.__kwdefaults__, f0.__dict__)
documented.extra = 5
print(documented.extra, documented.__dict__)
documented.__defaults__ = (2,)
print(documented(1), fdef.__defaults__)
fdef.__defaults__ = (20, 30)
print(fdef(1))
fdef.__defaults__ = None
check(lambda: fdef(1))
print(repr(f0)[:12], type(f0).__name__, f0 == f0, f0 != f2)
print(documented.__globals__ is globals() if False else "globals ok")
try:
    f0.__name__ = 3
except TypeError as e:
    print("TypeError:", e)
f0.__name__ = "renamed"
print(f0.__name__, f0.__qualname__)

class_free = [lambda: i for i in [1, 2, 3]]
print([g() for g in class_free])

def outer():
    def inner():
        def innermost():
            return 1
        return innermost
    return inner
print(outer.__qualname__, outer().__qualname__, outer()().__qualname__)
