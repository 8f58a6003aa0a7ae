# async def, await, async for, async with, async comprehensions, async generators
async def f(x):
    await x
    async for i in x:
        print(i)
    else:
        done()
    async with a as b, c:
        r = [y async for y in b if y]
        g = (z async for z in b)
        w = [await q for q in r]
    return await g
async def agen(n):
    for i in range(n):
        yield i
        await sleep(0)
