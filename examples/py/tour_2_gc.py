# A tour of the cycle collector: three generations, thresholds, and what
# gc.collect() finds.
import gc

print("enabled:", gc.isenabled())
print("thresholds (gen0, gen1, gen2):", gc.get_threshold())

print("-- which objects the collector follows")
print("list:", gc.is_tracked([]))
print("int:", gc.is_tracked(42))
print("str:", gc.is_tracked("text"))
print("dict of atoms:", gc.is_tracked({"a": 1}))
print("dict holding a list:", gc.is_tracked({"a": []}))
print("tuple of atoms, after a collection:", end=" ")
t = tuple([1, 2, 3])
gc.collect()
print(gc.is_tracked(t))


class Node:
    def __init__(self, name):
        self.name = name
        self.other = None


print("-- a cycle outlives its names (each instance is one object)")
gc.collect()
gc.disable()
a = Node("a")
b = Node("b")
a.other = b
b.other = a
del a, b
print("unreachable objects found:", gc.collect())
gc.enable()

print("-- a bigger cycle: a ring of 100 nodes")
first = Node(0)
node = first
for i in range(1, 100):
    node.other = Node(i)
    node = node.other
node.other = first
del first, node
# In 3.11 an instance keeps its attributes in a values array beside it
# until something asks for its __dict__, so each node counts as one object.
print("unreachable objects found:", gc.collect())

print("-- callbacks see every collection")
seen = []


def on_gc(phase, info):
    seen.append((phase, info["generation"]))


gc.callbacks.append(on_gc)
gc.collect(1)
gc.callbacks.remove(on_gc)
print(seen)

print("-- freezing moves everything to a permanent generation")
gc.freeze()
print("frozen objects > 0:", gc.get_freeze_count() > 0)
gc.unfreeze()
print("after unfreeze:", gc.get_freeze_count())
