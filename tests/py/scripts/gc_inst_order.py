# The order the collector leaves instances of Python classes in
# (gc.get_objects), and what it finds: their traverse visits the dict, the
# values (by key index) or the __slots__, then the class, as CPython's
# subtype_traverse, and that order decides where move_unreachable appends
# what it reaches.  Trees are built children first, as Python evaluates
# Node(tree(d - 1), tree(d - 1)), so the first collection moves nodes to the
# unreachable list and back.
import gc

class Node:
    def __init__(self, left, right):
        self.left = left
        self.right = right

class Slot:
    __slots__ = ('a', 'b', 'c')

def tree(d, label):
    if d == 0:
        return Node(None, None)
    return Node(tree(d - 1, label), tree(d - 1, label))

def labels(root):
    # number the nodes in a fixed (preorder) walk, then list them in the
    # order gc.get_objects() holds them
    names = {}
    stack = [root]
    while stack:
        n = stack.pop()
        if n is None or id(n) in names:
            continue
        names[id(n)] = len(names)
        for k in ('left', 'right', 'a', 'b', 'c', 'extra'):
            v = getattr(n, k, None)
            if isinstance(v, (Node, Slot)):
                stack.append(v)
    return [names[id(o)] for o in gc.get_objects() if id(o) in names]

gc.collect()
gc.disable()
t = tree(4, 't')
print("tree before", labels(t)[:12])
gc.collect()
print("tree after 1", labels(t))
gc.collect()
print("tree after 2", labels(t)[:12])

# the dict state: some nodes have a __dict__ made, extra attributes set
u = tree(3, 'u')
stack = [u]
k = 0
while stack:
    n = stack.pop()
    if n is None:
        continue
    k += 1
    if k % 3 == 0:
        n.__dict__
    if k % 4 == 0:
        n.extra = Node(None, None)
    stack.append(n.left)
    stack.append(n.right)
gc.collect()
print("dict tree", labels(u))

# slots, children made first, linked into cycles through every slot
def slotted(d):
    s = Slot()
    if d:
        s.c = slotted(d - 1)
        s.a = slotted(d - 1)
        s.a.b = s
    return s
v = slotted(4)
gc.collect()
print("slots", labels(v))
del v
print("slots garbage", gc.collect())

# garbage through values, a made dict, and slots together
for i in range(3):
    a = Node(None, None); b = Node(a, None); a.left = b
    a.__dict__
    s = Slot(); s.a = a; a.right = s; s.b = s
del a, b, s
print("mixed garbage", gc.collect())

del t, u
print("trees garbage", gc.collect())
gc.enable()
