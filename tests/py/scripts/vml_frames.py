# Frames of generators, coroutines and async generators: gi_frame /
# cr_frame / ag_frame through the states, f_locals / f_lineno / f_back,
# frame.clear().
import gc
import sys


def gen(a):
    b = a + 1
    yield b
    c = b * 2
    yield sys._getframe().f_back.f_code.co_name
    return c


g = gen(1)
fr = g.gi_frame
print(fr.f_code.co_name, fr.f_lineno, fr.f_locals, fr.f_back, fr.f_lasti)
print(next(g), fr.f_lineno, sorted(fr.f_locals.items()), fr.f_back)
print(g.gi_frame is fr, g.gi_suspended, g.gi_running)


def driver():
    return next(g)

print(driver(), fr.f_lineno, fr.f_back)
try:
    next(g)
except StopIteration as e:
    print("returned", e.value)
print(g.gi_frame, fr.f_lineno, sorted(fr.f_locals.items()))


def watcher():
    me = yield
    yield me.gi_frame is sys._getframe(), me.gi_running, me.gi_frame.f_back.f_code.co_name

w = watcher()
next(w)
print(w.send(w))
w.close()
print(w.gi_frame)

# frame.clear() on a suspended generator closes it
def with_finally():
    x = "local"
    try:
        yield 1
        yield 2
    finally:
        print("finally, x =", x)

g = with_finally()
next(g)
fr = g.gi_frame
print(fr.clear(), g.gi_frame, g.gi_suspended)
try:
    next(g)
except StopIteration:
    print("closed by clear")

# clear() of a created generator, of a finished generator's frame
g = with_finally()
fr = g.gi_frame
fr.clear()
print(g.gi_frame, list(g))

# clear() of a running frame, of a generator from inside
def clear_self():
    try:
        sys._getframe().clear()
    except RuntimeError as e:
        yield str(e)
    try:
        sys._getframe().f_back.clear()
    except RuntimeError as e:
        yield "caller: " + str(e)

print(list(clear_self()))


def finished():
    a = [1, 2]
    return sys._getframe()

fr = finished()
print(sorted(fr.f_locals), fr.f_back is not None)
fr.clear()
print(fr.f_locals, fr.f_code.co_name, fr.f_globals is globals())

# generator frames and exceptions: the traceback's frame is the generator's
def failing():
    yield 1
    raise ValueError("from generator")

g = failing()
next(g)
gf = g.gi_frame
try:
    next(g)
except ValueError as e:
    tb = e.__traceback__
    while tb.tb_next:
        tb = tb.tb_next
    print(tb.tb_frame is gf, tb.tb_lineno, tb.tb_frame.f_code.co_name)
print(g.gi_frame)


# coroutines
class Tick:
    def __await__(self):
        yield "tick"


async def coro(n):
    total = n
    await Tick()
    total += 1
    await Tick()
    return total

c = coro(5)
cf = c.cr_frame
print(cf.f_code.co_name, cf.f_locals, cf.f_lineno)
c.send(None)
print(sorted(cf.f_locals.items()), cf.f_lineno, c.cr_frame is cf)
cf.clear()
print(c.cr_frame, c.cr_suspended)
try:
    c.send(None)
except RuntimeError as e:
    print("RuntimeError:", e)


async def agen():
    x = 1
    yield x
    await Tick()
    yield x + 1

ag = agen()
af = ag.ag_frame
print(af.f_code.co_name, af.f_lineno, af.f_locals)
try:
    ag.__anext__().send(None)
except StopIteration as e:
    print("first", e.value)
print(af.f_lineno, sorted(af.f_locals.items()))
a = ag.__anext__()
print(a.send(None), type(ag.ag_await).__name__ if ag.ag_await is not None else None)
a.close()
ag.aclose().close()
del a
cl = ag.aclose()
try:
    cl.send(None)
except (StopIteration, RuntimeError) as e:
    print(type(e).__name__, e, ag.ag_frame is not None)
del cl, ag

# cycles through generator frames are collected
def cyc():
    me = yield
    yield me

g = cyc()
next(g)
g.send(g)
del g
print(gc.collect() > 0)
print("end")
