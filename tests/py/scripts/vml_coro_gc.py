# Suspended coroutines, async generators and never-started coroutines in reference cycles:
# the collector finalizes them (finally blocks run, the warning is printed).
import gc
class Tick:
    def __await__(self):
        yield 1
async def c(box):
    try:
        await Tick()
    finally:
        print("fin", len(box))
box = []
co = c(box)
box.append(co)
co.send(None)
del co, box
print(gc.collect() > 0)
async def ag(box):
    try:
        yield 1
    finally:
        print("ag fin", len(box))
box = []
a = ag(box)
box.append(a)
try:
    a.asend(None).send(None)
except StopIteration as e:
    print(e.value)
del a, box
print(gc.collect() > 0)
async def nev(box): pass
box = []
box.append(nev(box))
del box
print(gc.collect() > 0)
print("end")
