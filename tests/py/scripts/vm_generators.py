# Generators: iteration, send, throw, close, return values, yield from, PEP 479.
def count(n):
    i = 0
    while i < n:
        yield i
        i += 1
    return "done"

print([x for x in count(4)], sum(count(5)), [x * y for x in count(3) for y in count(2)])
g = count(2)
print(repr(g)[:24], type(g).__name__, g.__name__, g.__qualname__, g.gi_running, g.gi_code.co_name)
print(g.__next__(), g.__next__())
try:
    g.__next__()
except StopIteration as e:
    print("StopIteration", e.value, e.args)
try:
    g.__next__()
except StopIteration as e:
    print("again", e.value, e.args)

def echo():
    received = []
    try:
        while True:
            v = yield len(received)
            received.append(v)
    finally:
        print("echo closing", received)

e = echo()
print(e.send(None), e.send("a"), e.send("b"))
print(e.close(), e.close())
e2 = echo()
try:
    e2.send(1)
except TypeError as err:
    print("TypeError:", err)
print(e2.close())

def catcher():
    while True:
        try:
            yield "ready"
        except ValueError as exc:
            print("caught in generator:", exc)

c = catcher()
print(c.__next__())
print(c.throw(ValueError("boom")))
print(c.throw(ValueError, "two"))
try:
    c.throw(KeyError("k"))
except KeyError as exc:
    print("propagated", repr(exc))
try:
    c.__next__()
except StopIteration:
    print("finished after throw")

def bad_throw_args():
    g = count(1)
    for args in [(), (1,), (ValueError("x"), 1)]:
        try:
            g.throw(*args)
        except TypeError as err:
            print("TypeError:", err)
    try:
        g.throw(1, 2, 3, 4)
    except TypeError as err:
        print("TypeError:", err)
bad_throw_args()

def ignore_exit():
    while True:
        try:
            yield 1
        except GeneratorExit:
            pass
ie = ignore_exit()
ie.__next__()
try:
    ie.close()
except RuntimeError as err:
    print("RuntimeError:", err)
try:
    ie.throw(KeyError("end"))
except KeyError as err:
    print("ended", repr(err))

def pep479():
    yield 1
    raise StopIteration("inner")
try:
    [x for x in pep479()]
except RuntimeError as err:
    print("RuntimeError:", err, repr(err.__cause__), err.__suppress_context__)

def running():
    yield me.gi_running
    yield me.__next__()
me = running()
print(me.__next__())
try:
    me.__next__()
except ValueError as err:
    print("ValueError:", err)

def inner():
    x = yield 1
    print("inner got", x)
    y = yield 2
    print("inner got", y)
    return "inner result"

def outer():
    r = yield from inner()
    print("yield from returned", r)
    r2 = yield from [10, 20]
    print("list delegation returned", r2)
    return "outer result"

o = outer()
print(o.__next__(), o.send("s1"), o.send("s2"), o.__next__())
try:
    o.__next__()
except StopIteration as exc:
    print("outer stop", exc.value)

def delegate_throw():
    try:
        yield from catcher()
    finally:
        print("delegate finally")
dt = delegate_throw()
print(dt.__next__(), dt.throw(ValueError("through")), dt.gi_yieldfrom is not None)
print(dt.close())

def sub_returns():
    try:
        yield 1
    except KeyError:
        return "sub caught"
def wrapper():
    v = yield from sub_returns()
    yield "wrapper got " + v
w = wrapper()
print(w.__next__(), w.throw(KeyError), )

genexp = (x * x for x in [1, 2, 3] if x != 2)
print(type(genexp).__name__, genexp.__name__, [v for v in genexp], [v for v in genexp])

def gen_with_args(a, *rest, k=0):
    for r in rest:
        yield a + r + k
print([v for v in gen_with_args(1, 2, 3, k=10)])

def closes_on_delete():
    try:
        yield 1
    finally:
        print("closed by dealloc")
d = closes_on_delete()
d.__next__()
d = None
print("after delete")

def infinite():
    n = 0
    while True:
        yield n
        n += 1
it = infinite()
print([it.__next__() for _ in "abcde"])

def exc_state():
    try:
        raise ValueError("held")
    except ValueError:
        yield 1
        raise
es = exc_state()
es.__next__()
try:
    es.__next__()
except ValueError as err:
    print("reraised after yield:", err)
