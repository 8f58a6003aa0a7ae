# An error crossing awaits, an uncaught group raised from an await inside except*,
# and a coroutine never awaited that lives until teardown ("sys:1").
async def never(): pass
keep = never()
async def f():
    raise ValueError("in coro")
async def g():
    await f()
c = g()
try:
    c.send(None)
except ValueError as e:
    import sys
print("x")
async def h():
    try:
        raise ExceptionGroup("eg", [ValueError(1), KeyError(2)])
    except* ValueError:
        await f()
c = h()
c.send(None)
