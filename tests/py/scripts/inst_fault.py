# allocation points of inline instance values (run under the fault sweep):
# the class's shared keys, each instance's values, a dict made from them,
# split dict copies and the split -> combined conversions
import sys

class A:
    def __init__(self, n):
        self.n = n
        self.sq = n * n

class B(A):
    pass

objs = [A(i) for i in range(3)] + [B(i) for i in range(2)]
print([o.sq for o in objs])
o = objs[0]
o.extra = [1]
del o.n
print(sorted(vars(o)), sys.getsizeof(o.__dict__))
d = objs[1].__dict__.copy()
d["k"] = 1
print(d)
e = objs[2].__dict__
print(e.popitem(), e)
f = objs[3].__dict__
f.update({"u": 1, "w": 2})
f[1] = 2
print(f)
g = objs[4]
for i in range(32):
    setattr(g, "a%d" % i, i)
print(len(vars(g)))
h = A(7)
h.__dict__ = {"z": 1}
print(vars(h))

class L(list):
    pass
l = L(); l.t = 1
print(vars(l))
