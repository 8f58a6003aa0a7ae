import sys, gc
log = []
def firstiter(ag):
    log.append(('first', ag.__qualname__))
def finalizer(ag):
    log.append(('final', ag.__qualname__, ag.ag_running))
    try:
        ag.aclose().send(None)
    except StopIteration:
        log.append('closed')

async def agen(n):
    try:
        for i in range(n):
            yield i
    finally:
        log.append('finally')

def run(aw):
    try:
        while True:
            aw.send(None)
    except StopIteration as e:
        return e.value

sys.set_asyncgen_hooks(firstiter, finalizer)
g = agen(3)
print(log)
print(run(g.__anext__()), log)
print(run(g.__anext__()), log)
del g
print(log); log.clear()
# finished generator: no finalizer
g = agen(1)
async def drain(g):
    return [x async for x in g]
print(run(drain(g)), log)
del g
print(log); log.clear()
# never iterated: no hooks at all
g = agen(2)
del g
print(log); log.clear()
# asend / athrow / aclose call firstiter too
for meth in ('asend', 'athrow', 'aclose'):
    g = agen(2)
    try:
        if meth == 'asend': run(g.asend(None))
        elif meth == 'athrow': run(g.athrow(ValueError))
        else: run(g.aclose())
    except Exception as e:
        print(meth, type(e).__name__)
    print(meth, log); log.clear()
    del g
    print(meth, log); log.clear()
# creating the awaitable is enough
g = agen(2)
aw = g.__anext__()
print(log); log.clear()
del aw, g
print(log); log.clear()
# firstiter raising: the error comes out of __anext__, only once
def bad(ag):
    log.append('bad')
    raise KeyError('x')
sys.set_asyncgen_hooks(firstiter=bad, finalizer=None)
g = agen(2)
try: g.__anext__()
except KeyError as e: print('KeyError', e)
print(run(g.__anext__()), log); log.clear()
del g
print(log); log.clear()
# hooks captured at first iteration: changing hooks later does not matter
sys.set_asyncgen_hooks(firstiter=None, finalizer=finalizer)
g = agen(3)
run(g.__anext__())
sys.set_asyncgen_hooks(finalizer=None)
del g
print(log); log.clear()
# in a cycle: finalizer called by the collector
sys.set_asyncgen_hooks(firstiter=None, finalizer=finalizer)
class Box: pass
b = [agen(3)]
b.append(b)
run(b[0].__anext__())
del b
gc.collect()
print(log); log.clear()
sys.set_asyncgen_hooks(None, None)
print(sys.get_asyncgen_hooks())
