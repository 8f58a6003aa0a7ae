# The allocation paths of except*, coroutines, async generators and
# generator frames, for the fault sweep: every MemoryError propagates (one
# wrapped into an exception group by except* is re-raised as MemoryError
# at the end), so a faulted run ends with MemoryError and every byte back.
import sys


class Tick:
    def __await__(self):
        v = yield "tick"
        return v


async def leaf(n):
    got = await Tick()
    return n + got


async def agen(n):
    try:
        for i in range(n):
            yield await leaf(i)
    finally:
        pass


class ACM:
    async def __aenter__(self):
        await Tick()
        return self

    async def __aexit__(self, *exc):
        await Tick()
        return False


async def main_coro():
    out = [await leaf(1)]
    async for v in agen(3):
        out.append(v)
    out.append([v async for v in agen(2)])
    async with ACM():
        out.append("in with")
    ag = agen(5)
    out.append(await ag.__anext__())
    await ag.aclose()
    return out


def drive(c):
    v = None
    while True:
        try:
            c.send(v)
        except StopIteration as e:
            return e.value
        v = 1 if v is None else v + 1


def groups():
    out = []
    try:
        raise ExceptionGroup("g", [ValueError(1), TypeError(2), KeyError(3)])
    except* ValueError as e:
        out.append(repr(e))
    except* TypeError:
        out.append("te")
    except* KeyError:
        out.append("ke")
    try:
        try:
            raise ExceptionGroup("outer", [ValueError(1), ExceptionGroup("inner", [ValueError(2), OSError(3)])])
        except* ValueError:
            raise
        except* OSError:
            raise IndexError(4)
    except* (ValueError, IndexError) as e:
        out.append(repr(e))
    try:
        raise KeyError("naked")
    except* KeyError as e:
        out.append(repr(e))
    return out


def frames():
    def gen(a):
        b = a + 1
        yield b
        yield sys._getframe().f_back is not None

    g = gen(1)
    fr = g.gi_frame
    out = [fr.f_lineno, sorted(fr.f_locals), next(g), sorted(fr.f_locals.items())]
    fr.clear()
    out.append(g.gi_frame)
    c = leaf(1)
    c.send(None)
    out.append(c.cr_frame.f_code.co_name)
    c.close()
    return out


def main():
    print(drive(main_coro()))
    print(groups())
    print(frames())


try:
    main()
except BaseExceptionGroup as eg:
    if eg.subgroup(MemoryError) is None:
        raise
    raise MemoryError
print("end")
