# Known shortest chains.  Each case builds a graph whose shortest path from
# a root is known by construction, and deletes the direct names.
import pymm, sys

class Node:
    def __init__(self, parent=None):
        self.parent = parent

# 1. module global -> list index -> attribute
cache = [0, 1, 2, Node(Node())]
pymm.print_why_alive(cache[3].parent)

# 2. a cycle: the target is in a cycle and also one link from a global;
#    the search must not go round the cycle.
a = Node()
b = Node(a)
a.parent = b
holder = {'k': [b]}
del b
pymm.print_why_alive(holder['k'][0])       # a.parent (2 links), not holder['k'][0] (3)
del a
pymm.print_why_alive(holder['k'][0])       # now only through holder
pymm.print_why_alive(holder['k'][0].parent)  # round the cycle: b.parent

# 3. longer way vs shorter way: nested lists (5 links) vs a tuple (2 links)
deep_target = Node()
deep = [[[[deep_target]]]]
short = (1, (deep_target,))
del deep_target
pymm.print_why_alive(short[1][0])
del short
pymm.print_why_alive(deep[0][0][0][0])

# 4. dict keys: int keys by repr; a str key with a quote
table = {7: [], "it's": {}}
pymm.print_why_alive(table[7])
pymm.print_why_alive(table["it's"])

# 5. held only by a frame (the innermost function's locals)
def outer():
    x = [1]
    def inner():
        only_here = Node()
        kept = [only_here]
        return pymm.why_alive(only_here), pymm.why_alive(kept)
    return inner()
print(outer())

# 6. a frame's local reaching a cycle of instances
def cyc():
    n1 = Node(); n2 = Node(n1); n1.parent = n2
    return pymm.why_alive(n1.parent.parent.parent)
print(cyc())

# 7. unreachable from every root
print(pymm.why_alive(object()))

# ---- pymm only: cpython_chains.py runs the cases above under CPython ----

# 7b. a frame local beats the same list held by the for loop's iterator
def loop():
    for x in [[Node()]]:
        return pymm.why_alive(x[0])
print(loop())

# 8. roots by bytes: the module dict reaches both lists
big = [0] * 1000
small = [0]
res = pymm.top_roots([big, small], 50)
print(res[0][1] == sys.getsizeof(big) + sys.getsizeof(small), res[0][2])
print('__main__.__dict__' in [r[0] for r in res], all(r[2] == 2 for r in res))
def g():
    mine = [0] * 5000
    return pymm.top_roots([mine, big], 1)
print(g()[0][0])
