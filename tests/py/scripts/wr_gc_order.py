# The order in which weakref callbacks run, by refcount and by gc.collect()
import gc
import weakref

gc.disable()
gc.collect()
log = []


class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None


def watcher(tag):
    def cb(wr):
        log.append(tag)
    return cb


print("-- refcount death: newest callback first")
n = Node("n")
keep = [weakref.ref(n, watcher("first")), weakref.ref(n, watcher("second")),
        weakref.ref(n), weakref.ref(n, watcher("third"))]
del n
print(log)
log.clear()

print("-- a cycle: callbacks run when the collector finds it")
a, b = Node("a"), Node("b")
a.peer, b.peer = b, a
wa1 = weakref.ref(a, watcher("a1"))
wb = weakref.ref(b, watcher("b"))
wa2 = weakref.ref(a, watcher("a2"))
del a, b
print("before collect:", log, wa1() is not None)
n = gc.collect()
print("collected some:", n > 0, "callbacks:", log, wa1(), wb())
log.clear()

print("-- a weakref that is itself garbage: its callback never runs")
c = Node("c")
c.self_ref = weakref.ref(c, watcher("garbage ref"))
c.peer = c
outside = weakref.ref(c, watcher("outside ref"))
del c
gc.collect()
print(log)
log.clear()

print("-- callbacks see every weakref to the garbage already cleared")
x, y = Node("x"), Node("y")
x.peer, y.peer = y, x
wx = weakref.ref(x)
wy = weakref.ref(y, lambda r: log.append(("y dead", wx() is None)))
del x, y
gc.collect()
print(log)
log.clear()

print("-- a callback may drop the last reference to another object")
holder = [Node("held")]
wh = weakref.ref(holder[0], watcher("held"))
z = Node("z")
z.peer = z
wz = weakref.ref(z, lambda r: holder.clear())
del z
gc.collect()
print(log, wh())
log.clear()

print("-- proxies and refs together")
p = Node("p")
pr = weakref.proxy(p, watcher("proxy cb"))
rr = weakref.ref(p, watcher("ref cb"))
p.peer = p
del p
gc.collect()
print(log)
gc.enable()

print("-- subclass instances and proxies inside and outside the garbage")
gc.disable()
log = []
class R(weakref.ref):
    pass
class N: pass
c = N()
c.me = c
c.r = R(c, lambda w: log.append("garbage R"))
keep = R(c, lambda w: log.append("outside R"))
keep.extra = c.r
del c
gc.collect()
print(log, keep(), keep.extra())
p = N(); p.me = p
px = weakref.proxy(p, lambda w: log.append("proxy"))
p.px = weakref.proxy(p, lambda w: log.append("garbage proxy"))
del p
gc.collect()
print(log)
gc.enable()
