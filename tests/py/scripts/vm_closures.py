# Cells and closures: nonlocal, global, free variables, unbound errors.
def counter():
    n = 0
    def inc(step=1):
        nonlocal n
        n += step
        return n
    def get():
        return n
    return inc, get

inc, get = counter()
inc(); inc(5)
print(get(), inc.__closure__[0] is get.__closure__[0], inc.__closure__[0].cell_contents)
print(inc.__code__.co_freevars, counter.__code__.co_cellvars)
print(repr(inc.__closure__[0])[:9], type(inc.__closure__[0]).__name__)

def make_adders():
    out = []
    for i in [1, 2, 3]:
        def add(x, i=i):
            return x + i
        out.append(add)
    return out
print([a(10) for a in make_adders()])

def late():
    fs = []
    for i in [1, 2, 3]:
        fs.append(lambda: i)
    return [f() for f in fs]
print(late())

def arg_cell(a, b):
    def use():
        return a + b
    a = a * 2
    return use()
print(arg_cell(1, 2))

def three_levels():
    x = "outer"
    def middle():
        def inner():
            return x
        return inner()
    return middle()
print(three_levels())

g = 1
def use_global():
    global g
    g = g + 41
    return g
print(use_global(), g)

def unbound_free():
    def inner():
        return x
    try:
        inner()
    except NameError as e:
        print(type(e).__name__, e)
    x = 1
    return inner()
print(unbound_free())

def unbound_local():
    try:
        print(y)
    except UnboundLocalError as e:
        print(type(e).__name__, e)
    y = 2
    return y
print(unbound_local())

def delete_cell():
    z = 1
    def inner():
        nonlocal z
        del z
    inner()
    try:
        return z
    except NameError as e:
        print(type(e).__name__, e)
    return "deleted"
print(delete_cell())

def shadow():
    v = 1
    def f():
        v = 2
        return v
    return f(), v
print(shadow())

def comp_closure():
    k = 3
    return [x * k for x in [1, 2]], {x: k for x in "ab"}, sum(x + k for x in [1, 2])
print(comp_closure())

def cell_empty():
    def f():
        return q
    c = f.__closure__[0]
    try:
        c.cell_contents
    except ValueError as e:
        print("ValueError:", e)
    q = 5
    print(c.cell_contents)
    c.cell_contents = 6
    return f()
print(cell_empty())

def recursive_closure():
    def fact(n):
        return 1 if n <= 1 else n * fact(n - 1)
    return fact(10)
print(recursive_closure())
