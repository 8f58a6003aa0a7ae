# Coroutines driven by hand: send/throw/close, __await__, the error texts,
# cr_* attributes, awaiting custom awaitables, a tiny round-robin scheduler.
import gc
import sys


class Sleep:
    """Yields a request to the scheduler; the scheduler sends back a value."""
    def __init__(self, n):
        self.n = n

    def __await__(self):
        got = yield ("sleep", self.n)
        return got


async def worker(name, n, log):
    total = 0
    for i in range(n):
        got = await Sleep(i)
        log.append((name, i, got))
        total += got
    return name, total


def schedule(coros):
    """Round robin: each coroutine runs to its next request."""
    ready = [(c, None) for c in coros]
    results = []
    tick = 0
    while ready:
        c, v = ready.pop(0)
        try:
            req = c.send(v)
        except StopIteration as e:
            results.append(e.value)
            continue
        tick += 1
        ready.append((c, req[1] * 10 + tick))
    return results


log = []
print(schedule([worker("a", 3, log), worker("b", 2, log), worker("c", 0, log)]))
print(log)


# send / throw / close and the states
async def simple(x):
    try:
        y = await Sleep(x)
    except KeyError as e:
        return "caught " + repr(e)
    return y


c = simple(1)
print(type(c).__name__, c.__name__, c.__qualname__, c.cr_code.co_name)
print(c.cr_running, c.cr_suspended, c.cr_await, c.cr_origin, c.cr_frame is not None)
try:
    c.send(5)
except TypeError as e:
    print("TypeError:", e)
print(c.send(None))
print(c.cr_suspended, type(c.cr_await).__name__)
try:
    c.throw(KeyError("k"))
except StopIteration as e:
    print("returned", e.value)
print(c.cr_frame, c.cr_await, c.cr_suspended)
for op in (lambda: c.send(None), lambda: c.throw(ValueError), lambda: c.__await__().__next__()):
    try:
        op()
    except RuntimeError as e:
        print("RuntimeError:", e)
print(c.close())

# close() of a suspended coroutine runs its finally
async def with_finally():
    try:
        await Sleep(0)
    finally:
        print("finally ran")

c = with_finally()
c.send(None)
print(c.close(), c.cr_frame)

# close() ignored
async def stubborn():
    while True:
        try:
            await Sleep(0)
        except GeneratorExit:
            print("ignoring GeneratorExit")

c = stubborn()
c.send(None)
try:
    c.close()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    c.throw(ValueError("stop"))
except ValueError as e:
    print("ended by", repr(e))
c = None

# StopIteration inside a coroutine (PEP 479)
async def raises_stop():
    raise StopIteration(3)

try:
    raises_stop().send(None)
except RuntimeError as e:
    print("RuntimeError:", e, type(e.__cause__).__name__)

# __await__ of a coroutine: the coroutine_wrapper
async def answer():
    return 42

c = answer()
w = c.__await__()
print(type(w).__name__, iter(w) is w)
try:
    next(w)
except StopIteration as e:
    print("wrapper StopIteration", e.value)

# awaiting bad things
class NoIter:
    def __await__(self):
        return 5

class ReturnsCoro:
    def __await__(self):
        return answer()

class GoodIter:
    def __await__(self):
        return iter([1, 2])


async def await_it(x):
    return await x

for obj in (3, NoIter(), ReturnsCoro(), GoodIter()):
    c = await_it(obj)
    try:
        print("yielded", c.send(None))
        c.close()
    except TypeError as e:
        print("TypeError:", e)
gc.collect()

# a coroutine awaited twice
async def waiter():
    await Sleep(1)

inner = waiter()
async def twice():
    await inner
    
a = twice()
a.send(None)
b = twice()
try:
    b.send(None)
except RuntimeError as e:
    print("RuntimeError:", e)
a.close()
b.close()

# yield from a coroutine in a plain generator
def plain():
    yield from answer()

try:
    next(plain())
except TypeError as e:
    print("TypeError:", e)
gc.collect()

# return values through nested awaits, exceptions crossing awaits
async def level3(x):
    if x < 0:
        raise ValueError("negative %d" % x)
    await Sleep(x)
    return x * 2

async def level2(x):
    try:
        return await level3(x) + 1
    except ValueError as e:
        return "handled " + str(e)

async def level1():
    return [await level2(1), await level2(-1)]

print(schedule([level1()]))

# throw() through the awaiting chain lands in the innermost frame
async def deep():
    try:
        await Sleep(0)
    except ZeroDivisionError:
        print("deep caught")
        return "deep done"

async def middle():
    return await deep()

m = middle()
m.send(None)
print(type(m.cr_await).__name__)
try:
    m.throw(ZeroDivisionError)
except StopIteration as e:
    print(e.value)

# repr, sizes and the gc
c = answer()
print(repr(c).startswith("<coroutine object answer at 0x"))
print(sys.getsizeof(c) == sys.getsizeof(answer()) or "differ", gc.is_tracked(c))
c.close()


def sizes():
    async def small():
        pass

    async def bigger(a, b, c):
        x = a + b + c
        y = [x, x, x]
        await Sleep(y)
    s = small()
    b = bigger(1, 2, 3)
    out = (sys.getsizeof(s), sys.getsizeof(b))
    s.close()
    b.close()
    return out

print(sizes())

# weakrefs to coroutines, and their frames while suspended
import weakref
c = level3(2)
r = weakref.ref(c)
c.send(None)
fr = c.cr_frame
print(fr.f_code.co_name, fr.f_locals, fr.f_back)
c.close()
print(c.cr_frame)
del c
print(r())

# the never-awaited warning: printed once per place
async def never():
    pass

never()
for i in range(3):
    never()

def drop():
    never()

drop()
x = never()
del x
print("end")
