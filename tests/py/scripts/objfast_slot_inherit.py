# Dunders assigned to (and deleted from) a class after its subclasses
# exist reach those subclasses, unless a subclass defines the name itself.

def attempt(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)

# __getattr__ on a base, one and two levels down
class A: pass
class B(A): pass
class C(B): pass
attempt("getattr B before", lambda: B().zzz)
A.__getattr__ = lambda self, name: "A:" + name
attempt("getattr A", lambda: A().zzz)
attempt("getattr B", lambda: B().zzz)
attempt("getattr C", lambda: C().zzz)
attempt("getattr real attr", lambda: (lambda c: (setattr(c, "x", 1), c.x)[1])(C()))
B.__getattr__ = lambda self, name: "B:" + name
attempt("getattr C via B", lambda: C().zzz)
attempt("getattr A still", lambda: A().zzz)
del B.__getattr__
attempt("getattr C after del B", lambda: C().zzz)
del A.__getattr__
attempt("getattr C after del A", lambda: C().zzz)
attempt("hasattr C", lambda: hasattr(C(), "zzz"))
attempt("getattr default", lambda: getattr(C(), "zzz", "dflt"))

# __getattribute__ set later, and with __getattr__ as fallback
A.__getattribute__ = lambda self, name: "GA:" + name
attempt("getattribute C", lambda: C().anything)
del A.__getattribute__
def ga(self, name):
    if name.startswith("miss"):
        raise AttributeError(name)
    return object.__getattribute__(self, name)
A.__getattribute__ = ga
A.__getattr__ = lambda self, name: "fallback:" + name
attempt("getattribute miss", lambda: C().missing)
attempt("getattribute real", lambda: C().__class__.__name__)
del A.__getattribute__, A.__getattr__
attempt("plain again", lambda: C().missing)

# __len__, __bool__
class L: pass
class M(L): pass
attempt("len before", lambda: len(M()))
L.__len__ = lambda self: 7
attempt("len M", lambda: len(M()))
attempt("bool M", lambda: bool(M()))
L.__bool__ = lambda self: False
attempt("bool M with __bool__", lambda: bool(M()))
del L.__len__
attempt("len after del", lambda: len(M()))
del L.__bool__
attempt("bool after del", lambda: bool(M()))

# __add__ / __radd__ / __iadd__
class N: pass
class O(N): pass
attempt("add before", lambda: O() + 1)
N.__add__ = lambda self, other: ("add", other)
N.__radd__ = lambda self, other: ("radd", other)
attempt("add O", lambda: O() + 1)
attempt("radd O", lambda: 1 + O())
def iadd():
    x = O()
    x += 5
    return x
attempt("iadd falls back to add", iadd)
N.__iadd__ = lambda self, other: ("iadd", other)
attempt("iadd O", iadd)
O.__add__ = lambda self, other: ("O.add", other)
attempt("add O own", lambda: O() + 1)
del N.__add__
attempt("add O own after base del", lambda: O() + 1)
attempt("add N after del", lambda: N() + 1)

# __eq__ / __hash__
class E: pass
class F(E): pass
f1, f2 = F(), F()
attempt("eq before", lambda: f1 == f2)
E.__eq__ = lambda self, other: True
attempt("eq after", lambda: f1 == f2)
attempt("ne after", lambda: f1 != f2)
attempt("hash after eq set later", lambda: type(hash(f1)).__name__)
E.__hash__ = None
attempt("hash None", lambda: hash(f1))
E.__hash__ = lambda self: 42
attempt("hash 42", lambda: hash(f1))
attempt("in set", lambda: len({f1, f2}))
del E.__hash__
attempt("hash after del", lambda: type(hash(f1)).__name__)
del E.__eq__
attempt("eq after del", lambda: f1 == f2)
E.__lt__ = lambda self, other: "lt"
attempt("lt", lambda: f1 < f2)
attempt("gt reflected", lambda: f1 > f2)

# __call__
class K: pass
class KK(K): pass
attempt("call before", lambda: KK()())
K.__call__ = lambda self, *a: ("called", a)
attempt("call", lambda: KK()(1, 2))
attempt("callable", lambda: callable(KK()))
del K.__call__
attempt("call after del", lambda: KK()())
attempt("callable after del", lambda: callable(KK()))

# __iter__ / __next__ / __contains__ / __getitem__
class I: pass
class J(I): pass
attempt("iter before", lambda: list(J()))
I.__iter__ = lambda self: iter([1, 2, 3])
attempt("iter", lambda: list(J()))
attempt("in via iter", lambda: 2 in J())
I.__contains__ = lambda self, x: x == 99
attempt("contains", lambda: (2 in J(), 99 in J()))
del I.__iter__, I.__contains__
attempt("iter after del", lambda: list(J()))
I.__getitem__ = lambda self, i: i * 10 if i < 3 else (_ for _ in ()).throw(IndexError)
attempt("getitem", lambda: J()[4 // 2])
attempt("iter via getitem", lambda: list(J()))
del I.__getitem__
attempt("getitem after del", lambda: J()[0])
class It: pass
class It2(It): pass
It.__iter__ = lambda self: self
It.__next__ = lambda self: (_ for _ in ()).throw(StopIteration)
attempt("next", lambda: list(It2()))

# diamond: the first base on the MRO wins; a later assignment on the
# second base is shadowed only while the first defines it
class Top: pass
class Left(Top): pass
class Right(Top): pass
class Bottom(Left, Right): pass
attempt("diamond before", lambda: Bottom() * 2)
Right.__mul__ = lambda self, o: "Right.mul"
attempt("diamond Right", lambda: Bottom() * 2)
Top.__mul__ = lambda self, o: "Top.mul"
attempt("diamond Right over Top", lambda: Bottom() * 2)
Left.__mul__ = lambda self, o: "Left.mul"
attempt("diamond Left", lambda: Bottom() * 2)
del Left.__mul__
attempt("diamond Left gone", lambda: Bottom() * 2)
del Right.__mul__
attempt("diamond Top", lambda: Bottom() * 2)
Top.__getattr__ = lambda self, n: "Top.getattr:" + n
attempt("diamond getattr", lambda: Bottom().q)
Right.__getattr__ = lambda self, n: "Right.getattr:" + n
attempt("diamond getattr Right", lambda: Bottom().q)
attempt("diamond getattr Left", lambda: Left().q)
del Top.__getattr__
attempt("diamond getattr after Top del", lambda: Left().q)

# a subclass made after the assignment and a deep chain
class D0: pass
chain = [D0]
for i in range(6):
    chain.append(type("D%d" % (i + 1), (chain[-1],), {}))
D0.__neg__ = lambda self: "neg"
D0.__repr__ = lambda self: "<%s>" % type(self).__name__
attempt("deep neg", lambda: -chain[-1]())
attempt("deep repr", lambda: repr(chain[-1]()))
chain[3].__repr__ = lambda self: "mid"
attempt("deep repr mid", lambda: repr(chain[-1]()))
attempt("deep repr top", lambda: repr(chain[2]()))
del chain[3].__repr__
del D0.__repr__
attempt("deep repr default", lambda: repr(chain[-1]()).startswith("<__main__.D6 object"))

# a subclass of a built-in: the built-in's slot comes back after deletion
class LI(list): pass
class LI2(LI): pass
LI.__len__ = lambda self: 100
attempt("list sub len", lambda: len(LI2([1, 2])))
del LI.__len__
attempt("list sub len after del", lambda: len(LI2([1, 2])))
LI.__getattr__ = lambda self, n: "list-getattr:" + n
attempt("list sub getattr", lambda: LI2().nothing)
attempt("list sub real", lambda: LI2([3]).count(3))
