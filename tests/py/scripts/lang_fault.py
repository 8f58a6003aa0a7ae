# Allocation failures on the new paths: asyncgen hooks (set, get, firstiter,
# finalizer), coroutine origin tracking, cr_origin, __module__ of module
# functions.  The hooks use no globals: a faulted run ends before the
# generator dies, and its finalizer then runs at teardown.
import sys, math
log = []
def first(ag, log=log):
    log.append('first')
def fin(ag, log=log):
    log.append('fin')
async def agen():
    yield 1
    yield 2
sys.set_asyncgen_hooks(firstiter=first, finalizer=fin)
h = sys.get_asyncgen_hooks()
print(h.firstiter is first, h.finalizer is fin, len(h))
g = agen()
try:
    g.__anext__().send(None)
except StopIteration as e:
    print(e.value)
del g
print(log)
sys.set_asyncgen_hooks(None, None)
async def co():
    pass
def make():
    return co()
sys.set_coroutine_origin_tracking_depth(3)
c = make()
try:
    print(len(c.cr_origin), c.cr_origin[0][1:], sys.get_coroutine_origin_tracking_depth())
finally:
    c.close()   # no never-awaited warning after a faulted run's traceback
sys.set_coroutine_origin_tracking_depth(0)
print(math.sqrt.__module__, len.__module__)
