# attribute behaviour of instances whose attributes live inline, and of the
# dicts made from them (split tables over the class's shared keys)
class A:
    pass

# key order is each instance's own insertion order
x = A(); x.a = 1; x.b = 2
y = A(); y.b = 1; y.a = 2
print(list(vars(x)), list(vars(y)), vars(y))
h = A(); h.y = 1; del h.y; h.x = 2; h.y = 3
print(list(vars(h)))
z = A(); z.a = 1; z.b = 2; del z.a; z.a = 3
print(z.__dict__, list(z.__dict__.items()), list(reversed(z.__dict__)))

# attribute errors
q = A()
for op in ("get", "del"):
    try:
        if op == "get":
            q.missing
        else:
            del q.missing
    except AttributeError as e:
        print(op, e)
q.__dict__
try:
    del q.missing
except AttributeError as e:
    print("del after dict", e)
try:
    q.missing
except AttributeError as e:
    print("get after dict", e)
print(getattr(q, "missing", "dflt"), hasattr(q, "missing"))

# the dict and the attributes are one store
d = A(); d.v = 1
dd = d.__dict__
print(dd is d.__dict__, dd is vars(d))
dd["w"] = 2; print(d.w)
d.u = 3; print(dd)
del dd["v"]; print(hasattr(d, "v"), dd)
del d.w; print(dd, len(dd))
dd.setdefault("s", 9); print(d.s, "s" in dd, dd.get("nope"), dd == {"u": 3, "s": 9})
print(repr(dd), sorted(dd.keys()), list(dd.values()), list(dd.items()))
it = iter(dd)
d.new = 1
try:
    next(it)
except RuntimeError as e:
    print(e)

# __dict__ assignment
e = A(); e.a = 1; e.b = 2
e.__dict__ = {"c": 3}
print(e.__dict__, hasattr(e, "a"), e.c)
e.d = 4; print(e.__dict__)
try:
    e.__dict__ = [1]
except TypeError as ex:
    print(ex)
del e.__dict__
print(e.__dict__, hasattr(e, "c"))
e.c = 5; print(vars(e))
nd = {}
e.__dict__ = nd; e.z = 1; print(nd)

# names that are not strs
g = A(); g.a = 5
try:
    setattr(g, 1, 2)
except TypeError as ex:
    print(ex)
try:
    getattr(g, 1)
except TypeError as ex:
    print(ex)

# descriptors: data descriptors first, then the instance, then the class
class P:
    k = "class"
    @property
    def p(self):
        return "prop"
    def m(self):
        return "method"
o = P()
print(o.k, o.p, o.m())
o.k = "inst"; o.m = lambda: "shadow"
print(o.k, o.m(), P.k)
try:
    o.p = 1
except AttributeError as ex:
    print(ex)
del o.k
print(o.k, list(vars(o)))

# many names: past the shared keys' room the instance gets its own table
class M:
    pass
m = M()
for i in range(35):
    setattr(m, "n%d" % i, i)
print(len(vars(m)), m.n0, m.n34, list(vars(m))[:3])
m2 = M(); m2.n1 = 1; m2.other = 2
print(vars(m2))
for i in range(35):
    delattr(m, "n%d" % i)
print(vars(m))

# subclasses, __slots__ bases, weak references, exceptions
class B(A):
    pass
b = B(); b.x = 1
print(vars(b), B.__dict__.get("__dict__"), A.__dict__["__dict__"])
print(b.__weakref__)
class Sl:
    __slots__ = ("a", "__weakref__")
class T(Sl):
    pass
t = T(); t.a = 1; t.b = 2
print(t.a, vars(t), t.__weakref__)
class Ex(ValueError):
    pass
ex = Ex("m"); ex.note = 1
print(vars(ex), ex.args, ex.note)
try:
    raise Ex("boom")
except Ex as caught:
    caught.extra = 2
    print(vars(caught))

# instances made by a built-in base's constructor
class L(list):
    pass
l = L([1, 2]); l.tag = "t"; l.more = 1
print(l, vars(l), l.tag)
class Dd(dict):
    pass
dd2 = Dd(a=1); dd2.attr = 2
print(dd2, vars(dd2))

# copies and comparisons of made dicts
c1 = A(); c1.a = 1; c1.b = [2]
cp = c1.__dict__.copy(); cp["a"] = 10
print(cp, c1.__dict__, cp == c1.__dict__, dict(c1.__dict__) == c1.__dict__)
c2 = A(); c2.b = [2]; c2.a = 1
print(c1.__dict__ == c2.__dict__, list(c1.__dict__) == list(c2.__dict__))
print({**c2.__dict__, "z": 0})
