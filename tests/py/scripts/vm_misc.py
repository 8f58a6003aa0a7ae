# Mixed VM cases: errors through C callers (sum over a generator), exception
# context across C, finally in close(), mutable defaults, return in finally.
def g():
    yield 1
    1 / 0
try:
    sum(g())
except ZeroDivisionError as e:
    print("through C:", e)
def inner():
    try:
        raise KeyError("a")
    except KeyError:
        yield 1
        raise ValueError("b")
try:
    try:
        raise IndexError("outer")
    except IndexError:
        sum(inner())
except ValueError as e:
    print(repr(e), repr(e.__context__), repr(e.__context__.__context__))
def f(a, *, b):
    return a, b
m = f.__get__ if False else None
def h():
    return [f(i, b=i) for i in [1, 2]]
print(h())
def raising_finally():
    try:
        yield 1
    finally:
        raise RuntimeError("in finally")
r = raising_finally()
r.__next__()
try:
    r.close()
except RuntimeError as e:
    print("close raised", e)
def k(**kw):
    return kw
print(k(**{"a": 1}, b=2), k(*[], **{}))
x = [1, 2, 3]
def mut():
    x.append(4)
    return x
print(mut(), len(x))
def count_calls(n, acc=[]):
    acc.append(n)
    return len(acc)
print(count_calls(1), count_calls(2), count_calls.__defaults__)
def tryret():
    for i in [1, 2]:
        try:
            return i
        finally:
            pass
print(tryret())
def w():
    try:
        return (yield 5)
    finally:
        print("w done")
ww = w()
print(ww.__next__())
try:
    ww.send("val")
except StopIteration as e:
    print("value", e.value)
