# An async generator that ignores GeneratorExit: aclose() raises
# RuntimeError.  Kept apart from vml_asyncgen (which is in the fault sweep):
# a fault that ends the run before aclose() leaves the generator to its
# finalizer, whose "Exception ignored" report python3 prints too, after
# the MemoryError.


async def ignores_exit():
    try:
        yield 1
    except GeneratorExit:
        yield 2


ag = ignores_exit()
try:
    ag.__anext__().send(None)
except StopIteration:
    pass
try:
    ag.aclose().send(None)
except RuntimeError as e:
    print("RuntimeError:", e)
