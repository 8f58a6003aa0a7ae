# The VM's inline caches (interp/specialize.c) must never change an answer:
# every guard is exercised by changing what a cached site saw before.
import sys

# ---- LOAD_GLOBAL: globals rebound, deleted, shadowing a builtin ----------
x = 1
def get_x():
    return x
out = []
for i in range(5):
    out.append(get_x())
    x = i * 10
print("globals rebound", out)

def use_len(s):
    return len(s)
print("builtin", [use_len("abc") for _ in range(3)])
len = lambda s: 42
print("shadowed builtin", [use_len("abc") for _ in range(3)])
del len
print("unshadowed builtin", [use_len("abc") for _ in range(3)])

def missing():
    return not_yet_defined
for i in range(3):
    try:
        print("missing", missing())
    except NameError as e:
        print("NameError", e)
    if i == 1:
        not_yet_defined = "now defined"
del not_yet_defined
try:
    missing()
except NameError as e:
    print("NameError again", e)

# one code object run with fresh globals dicts (same address, same history)
code = compile("def f():\n    return y\nresult = [f() for _ in range(3)]", "<exec>", "exec")
for i in range(6):
    g = {"y": i}
    exec(code, g)
    print("exec", i, g["result"])
    del g

# builtins dict changes under a cached site
import builtins
def use_abs(v):
    return abs(v)
print("abs", [use_abs(-3) for _ in range(3)])
saved = builtins.abs
builtins.abs = lambda v: "patched"
print("abs patched", [use_abs(-3) for _ in range(3)])
builtins.abs = saved
print("abs restored", [use_abs(-3) for _ in range(3)])

# ---- LOAD_ATTR / LOAD_METHOD / STORE_ATTR --------------------------------
class Base:
    kind = "base"
    def who(self):
        return "Base.who"

class Child(Base):
    def __init__(self, v):
        self.v = v

def read(o):
    return (o.v, o.kind, o.who())

objs = [Child(i) for i in range(4)]
print([read(o) for o in objs])
Base.kind = "changed on base"
print([read(o) for o in objs])
Base.who = lambda self: "patched who"
print([read(o) for o in objs])
Child.who = lambda self: "child who"
print([read(o) for o in objs])
del Child.who
print([read(o) for o in objs])
objs[1].kind = "instance kind"
objs[2].who = lambda: "instance who"
print([read(o) for o in objs])
del objs[1].kind
print([read(o) for o in objs])

# a data descriptor appears on the class after the site was cached
class P:
    def __init__(self):
        self.a = 1
def get_a(o):
    return o.a
p = P()
print([get_a(p) for _ in range(3)])
P.a = property(lambda self: "property a")
print([get_a(p) for _ in range(3)])
del P.a
print([get_a(p) for _ in range(3)])

# __getattr__ / __getattribute__ added later
class G:
    pass
g = G()
g.z = "plain z"
def get_z(o):
    return o.z
print([get_z(g) for _ in range(2)])
G.__getattribute__ = lambda self, n: "from __getattribute__ " + n
print([get_z(g) for _ in range(2)])
del G.__getattribute__
print([get_z(g) for _ in range(2)])

# STORE_ATTR: a property with a setter arrives later; __setattr__ later
class S:
    pass
def put(o, v):
    o.w = v
s = S()
for i in range(3):
    put(s, i)
print("stored", s.w, s.__dict__)
log = []
S.w = property(lambda self: "prop", lambda self, v: log.append(v))
for i in range(3):
    put(s, i + 10)
print("setter log", log, s.w)
del S.w
S.__setattr__ = lambda self, n, v: log.append((n, v))
put(s, 99)
print("setattr log", log, s.__dict__)

# polymorphic sites: several types through one instruction
class A1:
    def m(self):
        return "A1"
    val = "A1.val"
class A2:
    def m(self):
        return "A2"
    def __init__(self):
        self.val = "A2 instance val"
def poly(o):
    return o.m(), o.val
print([poly(o) for o in [A1(), A2(), A1(), A2(), A1()]])

# methods of builtin types through LOAD_METHOD
def appends(n):
    l = []
    for i in range(n):
        l.append(i)
    return l
print(appends(5), "".join(["a", "b"]).upper())

# refcounts stay CPython's through cached paths
class R:
    def __init__(self):
        self.item = object()
    def meth(self):
        return sys.getrefcount(self)
r = R()
before = sys.getrefcount(r.item)
vals = [sys.getrefcount(r.item) for _ in range(3)]
print("refcounts", before == vals[0] == vals[2], [r.meth() for _ in range(3)])
G2 = object()
def getref():
    return sys.getrefcount(G2)
print("global refcounts", [getref() for _ in range(3)])

# class attribute changes seen by subclasses' instances through deep chains
class L0:
    attr = 0
class L1(L0): pass
class L2(L1): pass
class L3(L2): pass
o3 = L3()
def get_attr(o):
    return o.attr
res = []
for i in range(4):
    res.append(get_attr(o3))
    L0.attr = i + 1
L1.attr = "L1"
res.append(get_attr(o3))
del L1.attr
res.append(get_attr(o3))
print("deep", res)

# two types through one site (a method run for a class and its subclass),
# then the base changes, then one of the types dies and another takes over
class W1:
    k = "W1.k"
    def __init__(self):
        self.n = 0
    def bump(self):
        self.n += 1
        return (self.n, self.k, self.tag())
    def tag(self):
        return "W1"
class W2(W1):
    def tag(self):
        return "W2"
ws = [W1(), W2(), W1(), W2()]
print("two ways", [w.bump() for w in ws])
W1.k = "changed k"
W1.tag = lambda self: "patched"
print("two ways after change", [w.bump() for w in ws])
del ws
class W3(W1):
    k = "W3.k"
import gc
gc.collect()
print("third type", [w.bump() for w in [W3(), W1(), W3()]])
for round_ in range(3):
    class Tmp(W1):
        k = "Tmp%d" % round_
    print("fresh class", round_, [Tmp().bump() for _ in range(2)])
    del Tmp
    gc.collect()
