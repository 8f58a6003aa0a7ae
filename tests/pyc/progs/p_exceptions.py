# Exception tables, with-blocks, generators and async code in a .pyc.
import asyncio
import contextlib

@contextlib.contextmanager
def ctx(tag):
    print("enter", tag)
    try:
        yield tag.upper()
    finally:
        print("exit", tag)

def risky(n):
    try:
        if n % 3 == 0:
            raise ValueError(n)
        return 10 // (n % 3 - 1)
    except ZeroDivisionError:
        return "zero"
    except ValueError as e:
        return f"value {e}"
    else:
        pass
    finally:
        print("checked", n)

async def agen(n):
    for i in range(n):
        await asyncio.sleep(0)
        yield i

async def main():
    out = [x async for x in agen(3)]
    with ctx("a") as a, ctx("b") as b:
        print(a, b, out)

print([risky(i) for i in range(6)])
asyncio.run(main())
try:
    raise ExceptionGroup("eg", [ValueError(1), TypeError(2)])
except* ValueError as g:
    print("value group", g.exceptions)
except* TypeError as g:
    print("type group", g.exceptions)
