# aiter() and anext(): the async iteration builtins, with anext's default
# and 3.11's error texts.

def run(coro):
    try:
        while True:
            coro.send(None)
    except StopIteration as e:
        return e.value


async def agen(n):
    for i in range(n):
        yield i


class AIt:
    def __init__(self, n):
        self.i = 0
        self.n = n

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        return self.i * 10


class Awaitable:
    def __init__(self, v, stop=False):
        self.v = v
        self.stop = stop

    def __await__(self):
        yield "tick"
        if self.stop:
            raise StopAsyncIteration
        return self.v


class AwIt:
    """__anext__ returns a plain awaitable (not a coroutine)."""
    def __init__(self):
        self.k = 0

    def __aiter__(self):
        return self

    def __anext__(self):
        self.k += 1
        return Awaitable(self.k, stop=self.k > 2)


async def main():
    g = agen(3)
    print(aiter(g) is g)
    print(await anext(g), await anext(g), await anext(g, 'd'))
    print(await anext(g, 'default'))
    print(await anext(g, None))
    try:
        await anext(g)
    except StopAsyncIteration as e:
        print("StopAsyncIteration", e.args)
    it = aiter(AIt(2))
    print(type(it).__name__)
    print(await anext(it), await anext(it, 5), await anext(it, 'x'))
    # (3.11 raises SystemError for a tuple or exception default here)
    w = AwIt()
    print(await anext(w), await anext(w))
    # the default wrapper's awaitable
    a = anext(agen(0), 7)
    print(type(a).__name__)
    print(await a)


print(run(main()))

# step by step: what anext(it, default) yields and returns (each step asks
# the wrapped awaitable for a fresh __await__ iterator, as 3.11 does)
a = anext(AwIt(), 'x')
print(a.__await__() is a, iter(a) is a)
print(a.send(None))
try:
    a.send(None)
except StopIteration as e:
    print("StopIteration", e.value)
w = AwIt(); w.k = 5
a = anext(w, 'dflt')
print(next(a))
try:
    next(a)
except StopIteration as e:
    print("StopIteration", e.value)
a = anext(AwIt(), 'x')
try:
    a.throw(KeyError('k'))
except KeyError as e:
    print("KeyError", e)
print(anext(AwIt(), 1).close())

# error texts
for f, args in [(aiter, (1,)), (aiter, ([],)), (anext, (1,)), (anext, ([], 2)),
                (aiter, ()), (aiter, (1, 2)), (anext, ()), (anext, (1, 2, 3))]:
    try:
        f(*args)
    except TypeError as e:
        print(f.__name__, e)
try:
    anext(agen(1), default=3)
except TypeError as e:
    print(e)


class BadAiter:
    def __aiter__(self):
        return 42


try:
    aiter(BadAiter())
except TypeError as e:
    print(e)


class Raises:
    def __aiter__(self):
        raise ValueError("from __aiter__")

    def __anext__(self):
        raise ValueError("from __anext__")


for f in (aiter, anext):
    try:
        f(Raises())
    except ValueError as e:
        print(e)


class NotAwaitable:
    def __aiter__(self):
        return self

    def __anext__(self):
        return 3


a = anext(NotAwaitable(), 0)
try:
    a.send(None)
except TypeError as e:
    print(e)
print(anext(NotAwaitable()))
g = agen(2)
print(type(anext(g)).__name__)
