# Async generators, async for / async with / async comprehensions, driven
# by hand (a run() loop standing in for an event loop).
import gc
import sys


class Tick:
    def __await__(self):
        v = yield "tick"
        return v


def run(coro, sends=None):
    """Drive coro: every request is answered with a counter."""
    n = 0
    v = None
    while True:
        try:
            req = coro.send(v)
        except StopIteration as e:
            return e.value
        n += 1
        v = n


async def counter(limit):
    try:
        for i in range(limit):
            t = await Tick()
            received = yield (i, t)
            if received is not None:
                print("  received", received)
    finally:
        print("  counter finally", limit)


async def main1():
    out = []
    async for item in counter(3):
        out.append(item)
    return out

print(run(main1()))


async def comprehensions():
    a = [x async for x in counter(3)]
    b = [x[0] * 10 async for x in counter(4) if x[0] % 2]
    c = {x[0]: x[1] async for x in counter(2)}
    d = [await Tick() for _ in range(2)]
    return a, b, c, d

print(run(comprehensions()))


async def breaking():
    ag = counter(10)
    async for item in ag:
        if item[0] == 1:
            break
    print("  after break", ag.ag_running, ag.ag_frame is not None)
    await ag.aclose()
    print("  closed", ag.ag_frame)
    return item

print(run(breaking()))

# the asend / athrow objects by hand
ag = counter(5)
print(type(ag).__name__, ag.__name__, ag.__qualname__, ag.ag_code.co_name, ag.ag_running, ag.ag_await)
print(repr(ag).startswith("<async_generator object counter at 0x"))
print(ag.__aiter__() is ag)
a = ag.__anext__()
print(type(a).__name__, a.__await__() is a, iter(a) is a)
print(a.send(None))
print(ag.ag_running, type(ag.ag_await).__name__)
try:
    a.send(None)
except StopIteration as e:
    print("value", e.value)
print(ag.ag_running)
try:
    a.send(None)
except RuntimeError as e:
    print("RuntimeError:", e)

a = ag.asend("hello")
print(a.send(None))
b = ag.__anext__()
try:
    b.send(None)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    a.send(None)
except StopIteration as e:
    print("value", e.value)

# athrow: caught or not
t = ag.athrow(KeyError("boom"))
try:
    t.send(None)
except KeyError as e:
    print("KeyError out of athrow", e)
print(ag.ag_frame)
t2 = ag.athrow(ValueError)
try:
    t2.send(None)
except StopIteration:
    print("StopIteration from a finished generator")
try:
    t2.send(None)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    ag.__anext__().send(None)
except StopAsyncIteration:
    print("exhausted")


async def catcher():
    while True:
        try:
            yield 1
        except ValueError as e:
            print("  catcher got", repr(e))
            yield "recovered"


ag = catcher()
try:
    ag.__anext__().send(None)
except StopIteration as e:
    print("first", e.value)
t = ag.athrow(ValueError, ValueError("v"), None)
try:
    t.send(None)
except StopIteration as e:
    print("athrow value", e.value)
t = catcher().athrow()
try:
    t.send(None)
except TypeError as e:
    print("TypeError:", e)
c = ag.aclose()
try:
    c.send(None)
except StopIteration:
    print("aclose done")
print(ag.ag_frame)


async def raises_stop_async():
    yield 1
    raise StopAsyncIteration


async def drain(ag):
    return [x async for x in ag]

try:
    run(drain(raises_stop_async()))
except RuntimeError as e:
    print("RuntimeError:", e)


async def raises_stop():
    yield 1
    raise StopIteration


try:
    run(drain(raises_stop()))
except RuntimeError as e:
    print("RuntimeError:", e)

# async for over things that are not async iterables
class NoANext:
    def __aiter__(self):
        return 5

class BadANext:
    def __aiter__(self):
        return self
    def __anext__(self):
        return 7

class Custom:
    def __init__(self):
        self.i = 0
    def __aiter__(self):
        return self
    async def __anext__(self):
        self.i += 1
        if self.i > 3:
            raise StopAsyncIteration
        await Tick()
        return self.i

for obj in (1, NoANext(), BadANext(), Custom()):
    try:
        print(run(drain(obj)))
    except TypeError as e:
        print("TypeError:", e, "|", repr(e.__cause__))

# async with
class ACM:
    def __init__(self, swallow):
        self.swallow = swallow
    async def __aenter__(self):
        await Tick()
        print("  aenter")
        return "resource"
    async def __aexit__(self, typ, val, tb):
        await Tick()
        print("  aexit", typ.__name__ if typ else None, val)
        return self.swallow


async def use(swallow, fail):
    async with ACM(swallow) as r:
        print("  body", r)
        if fail:
            raise ValueError("in body")
    return "finished"

print(run(use(False, False)))
print(run(use(True, True)))
try:
    run(use(False, True))
except ValueError as e:
    print("ValueError:", e)


class NotACM:
    pass

class NoAExit:
    async def __aenter__(self):
        return 1

class SyncEnter:
    def __aenter__(self):
        return 1
    def __aexit__(self, *a):
        return 2

async def bad_with(m):
    async with m:
        pass

for m in (NotACM(), NoAExit(), SyncEnter()):
    try:
        run(bad_with(m))
    except TypeError as e:
        print("TypeError:", e)

# an async generator dropped while suspended: finalized by closing
async def dropped():
    try:
        yield 1
        yield 2
    finally:
        print("  dropped finally")

ag = dropped()
try:
    ag.__anext__().send(None)
except StopIteration as e:
    print("got", e.value)
del ag
gc.collect()
print(sys.getsizeof(dropped()) > 0, gc.is_tracked(dropped()))
print("end")
