# gc counts of instances whose attributes live inline (no __dict__ object
# until one is asked for), as CPython 3.11's managed dicts
import gc

class A:
    pass

gc.collect()
a = A(); b = A(); a.o = b; b.o = a
del a, b
print("pair", gc.collect())

x = A(); x.o = x
del x
print("self", gc.collect())

x = A(); x.__dict__; x.o = x
del x
print("dict first", gc.collect())

x = A(); x.o = x; x.__dict__
del x
print("dict after", gc.collect())

x = A(); x.o = x; vars(x)
del x
print("vars", gc.collect())

# a ring of ten instances, some with a dict
ring = [A() for i in range(10)]
for i, r in enumerate(ring):
    r.nxt = ring[(i + 1) % 10]
    r.i = i
for r in ring[::3]:
    r.__dict__
del ring, r
print("ring", gc.collect())

# tracking: the instance always; a made dict only when a value may be tracked
p = A()
print(gc.is_tracked(p), gc.is_tracked(p.__dict__))
p = A(); p.x = 1
print(gc.is_tracked(p.__dict__))
p = A(); p.x = []
print(gc.is_tracked(p.__dict__))
p = A(); p.__dict__; p.x = []
print(gc.is_tracked(p.__dict__))

# get_referents sees the values without a dict
p = A(); p.a = [1]; p.b = (2,)
print(sorted(map(repr, gc.get_referents(p))))

# subclasses and a class with many names (a dict once the keys are full)
class B(A):
    pass
x = B(); y = B(); x.y = y; y.x = x
del x, y
print("sub", gc.collect())
class C:
    pass
c = C()
for i in range(40):
    setattr(c, "n%d" % i, c)
del c
print("full", gc.collect())

# a cycle through a list subclass (no inline values: a split dict)
class L(list):
    pass
l = L(); l.me = l
del l
print("list sub", gc.collect())

# a finalizer-free cycle through an exception subclass
class E(Exception):
    pass
e = E(); e.me = e
del e
print("exc", gc.collect())
