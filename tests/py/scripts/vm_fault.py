# A small program touching every allocation the VM makes (functions, bound
# defaults, *args/**kwargs, cells, generators, exception objects, handlers):
# run.py's fault sweep fails each of its allocations in turn.
def make(base, *extra, scale=2, **named):
    total = base
    def add(v):
        nonlocal total
        total += v * scale
        return total
    for e in extra:
        add(e)
    for k in named:
        add(named[k])
    return add

adder = make(1, 2, 3, scale=3, x=4)
print(adder(10))

def gen(n):
    i = 0
    while i < n:
        got = yield i
        if got:
            i += got
        i += 1
    return i

g = gen(10)
print(g.__next__(), g.send(2), [v for v in g])

def outer():
    v = yield from gen(3)
    return v

print([x for x in outer()])

def risky(x):
    try:
        if x:
            raise ValueError("bad %d" % x)
        return "fine"
    except ValueError as e:
        try:
            raise KeyError(x) from e
        except KeyError as k:
            return repr(k) + repr(k.__cause__)
    finally:
        x = None

print(risky(0), risky(5))
print([f(2) for f in [lambda y: y + 1, lambda y, z=3: y * z]])
