# The VM's attribute caches over inline instance values: one LOAD_ATTR /
# STORE_ATTR / LOAD_METHOD site meets instances whose attributes are inline,
# in a materialized __dict__, deleted, never set, shadowing a method, and
# instances whose class changes under the site.
import sys

class P:
    def __init__(self, x):
        self.x = x
    def m(self):
        return 'P.m'

class Q(P):
    pass

def read(objs):
    out = []
    for o in objs:
        try:
            out.append(o.x)
        except AttributeError as e:
            out.append(str(e))
    return out

def call(objs):
    return [o.m() for o in objs]

def store(objs, v):
    for o in objs:
        o.x = v

a, b, c, d = P(1), P(2), P(3), Q(4)
b.__dict__                      # materialized
del c.x                         # deleted
e = P.__new__(P)                # never set
for _ in range(3):
    print(read([a, b, c, d, e]))
store([a, b, c, d, e], 7)
print(read([a, b, c, d, e]), vars(a), vars(b), vars(c), vars(e))
a.m = lambda: 'own m'           # shadows the method
for _ in range(3):
    print(call([b, a, d]))
del a.m
print(call([a, b]))
b.__class__ = Q
print(read([a, b]), type(b).__name__, call([b]))
P.m = lambda self: 'new P.m'
print(call([a, b, d]))
objs = [P(i) for i in range(50)]
for i, o in enumerate(objs):
    if i % 3 == 0:
        o.__dict__['x'] = -i
    if i % 7 == 0:
        o.y = i
store(objs[:10], 'z')
print(read(objs), sum(1 for o in objs if hasattr(o, 'y')))
print(sys.getrefcount(objs[5].x) > 0, sys.getsizeof(objs[20].__dict__) > 0)
