# Coroutines and async generators where an iterator or a context manager is expected.
async def c(): return 1
async def ag(): yield 1
x = c()
for f in (lambda: next(x), lambda: iter(x), lambda: list(x), lambda: next(ag()), lambda: [i for i in ag()], lambda: len(x)):
    try:
        f()
    except TypeError as e:
        print(e)
x.close()
print(type(c().__await__()).__name__)
import gc
print(gc.is_tracked(ag()))
print(hasattr(ag(), '__iter__'), hasattr(c(), '__next__'))
print(type(ag().__anext__()).__name__, type(ag().aclose()).__name__)
print(c.__code__.co_flags & 0x80, ag.__code__.co_flags & 0x200)
async def holder():
    async with 3:
        pass
try:
    holder().send(None)
except TypeError as e:
    print(e)
