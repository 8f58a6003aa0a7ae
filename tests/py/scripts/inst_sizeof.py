# sys.getsizeof of instances and of their __dict__: a dict made from inline
# values counts the room of the class's shared keys now (each new instance
# takes one place of it, down to one), as CPython 3.11's _PyDict_SizeOf
import sys

class A:
    pass
a = A()
print("instance", sys.getsizeof(a))
for i in range(6):
    print("empty", i, sys.getsizeof(A().__dict__))

class B:
    def __init__(self):
        self.x = 1
        self.y = 2
bs = [B() for i in range(40)]
print("two attrs", [sys.getsizeof(b.__dict__) for b in bs[::7]])
print("instance with values", sys.getsizeof(bs[0]))

class E8:
    def __init__(self):
        self.a = 1; self.b = 2; self.c = 3; self.d = 4
        self.e = 5; self.f = 6; self.g = 7; self.h = 8
print("eight", sys.getsizeof(E8().__dict__))
es = [E8() for i in range(30)]
print("eight later", sys.getsizeof(es[0].__dict__), sys.getsizeof(E8().__dict__))

class C:
    pass
c = C()
for i in range(12):
    setattr(c, "a%d" % i, i)
    d = C()
    print("grow", i, sys.getsizeof(C().__dict__))

class D:
    pass
d = D()
for i in range(34):
    setattr(d, "a%d" % i, i)
    if i in (27, 28, 29, 30, 33):
        print("full", i, sys.getsizeof(d.__dict__) if i == 33 else sys.getsizeof(D().__dict__))
print(len(d.__dict__), list(d.__dict__)[-3:])

# a delete of an absent name still takes a place in the shared keys
class F:
    pass
f = F()
try:
    del f.zz
except AttributeError as ex:
    print(ex)
f2 = F(); f2.q = 1
print("after del", sys.getsizeof(f2.__dict__))

# dict operations on a dict made from values
class G:
    pass
g = G(); g.x = 1; g.y = 2
dg = g.__dict__
print("copy", sys.getsizeof(dg.copy()), dg.copy())
print("popitem", dg.popitem(), sys.getsizeof(dg), dg)
g2 = G(); g2.x = 1; g2.y = 2; d2 = g2.__dict__; d2.clear()
print("clear", sys.getsizeof(d2)); g2.z = 3; print(sys.getsizeof(d2), d2, sys.getsizeof(g2.__dict__))
g3 = G(); g3.x = 1; d3 = g3.__dict__; d3.update({"y": 1, "z": 2})
print("update", sys.getsizeof(d3), d3)
g4 = G(); g4.x = 1; g4.y = 2; d4 = g4.__dict__
print("pop", d4.pop("x"), sys.getsizeof(d4), d4); g4.x = 5; print(d4)
g5 = G(); d5 = g5.__dict__
for k in "abcdefghijklmnopqrstuvwxyz0123456789":
    d5[k] = 1
print("many", sys.getsizeof(d5), len(d5))
g6 = G(); g6.__dict__["k"] = 5
print("item", g6.k, sys.getsizeof(g6.__dict__))
g6.__dict__[1] = 2
print("non-str", sys.getsizeof(g6.__dict__), g6.__dict__)
g7 = G(); g7.__dict__ = {"p": 1}
print("assigned", g7.p, sys.getsizeof(g7.__dict__))
print("dict()", sys.getsizeof(dict(g.__dict__)), sys.getsizeof({**g.__dict__}))
g8 = G(); g8.x = 1; g8.__dict__; del g8.x
print("del after dict", sys.getsizeof(g8.__dict__), g8.__dict__)

# other layouts: a subclass, a subclass of a __slots__ class, a list
# subclass (no inline values: a split dict on the first attribute), an
# exception subclass (its base's dict)
class H(A):
    pass
print("sub", sys.getsizeof(H()), sys.getsizeof(H().__dict__))
class S:
    __slots__ = ("a",)
class T(S):
    pass
t = T()
print("slots sub", sys.getsizeof(t), sys.getsizeof(t.__dict__))
t.a = 1; t.b = 2
print(t.__dict__, t.a)
class L(list):
    pass
l = L()
print("list sub", sys.getsizeof(l), sys.getsizeof(l.__dict__))
l2 = L(); l2.x = 1
print("list sub attr", sys.getsizeof(l2.__dict__))
l3 = L()
try:
    del l3.q
except AttributeError as ex:
    print(ex)
print("list sub del", sys.getsizeof(l3.__dict__))
class Ex(Exception):
    pass
e = Ex(); e.x = 1
print("exc", sys.getsizeof(e), sys.getsizeof(e.__dict__))
class W:
    __slots__ = ("__dict__",)
w = W(); w.x = 1
print("dict slot", sys.getsizeof(w), sys.getsizeof(w.__dict__))
