# A tour of circular references: reference counting alone cannot free a
# cycle; the collector finds it, runs finalizers, and frees it.
import gc
import weakref


class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None

    def __repr__(self):
        return f"Node({self.name!r})"


gc.disable()                       # collections happen only when we ask
gc.collect()

print("-- without a cycle, del frees at once")
a = Node("a")
watch = weakref.ref(a, lambda r: print("   callback: a is gone"))
del a
print("alive after del:", watch() is not None)

print("-- with a cycle, del is not enough")
a, b = Node("a"), Node("b")
a.peer, b.peer = b, a
watch = weakref.ref(a)
del a, b
print("alive after del:", watch() is not None)
print("collected:", gc.collect())
print("alive after gc.collect():", watch() is not None)

print("-- a finalizer runs once, before the cycle is freed")


class Loud(Node):
    def __del__(self):
        print(f"   __del__ of {self.name}, peer {self.peer!r}")


a, b = Loud("a"), Loud("b")
a.peer, b.peer = b, a
del a, b
print("collected:", gc.collect())

print("-- a finalizer may resurrect its object")
saved = []


class Phoenix(Node):
    def __del__(self):
        saved.append(self)


p = Phoenix("p")
p.peer = p
del p
print("collected:", gc.collect())
print("resurrected:", saved)
saved[0].peer = None
saved.clear()

print("-- gc.get_referrers shows who holds an object")
target = Node("target")
holder = {"t": target}
print("a dict refers to target:", any(r is holder for r in gc.get_referrers(target)))

print("-- DEBUG_SAVEALL keeps what the collector found in gc.garbage")
gc.set_debug(gc.DEBUG_SAVEALL)
a, b = Node("a"), Node("b")
a.peer, b.peer = b, a
del a, b
gc.collect()
print("gc.garbage:", sorted(repr(x) for x in gc.garbage))
gc.set_debug(0)
for x in gc.garbage:
    x.peer = None
gc.garbage.clear()
gc.enable()
