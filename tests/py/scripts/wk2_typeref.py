# Weak references to type objects (CPython's tp_weaklist): classes and the
# built-in types, shared basic refs, callbacks at class death (refcount and
# collection), WeakSet / WeakKeyDictionary of classes; the proxy's
# __reversed__ / __bytes__; ref() rejecting keyword arguments.
import gc
import weakref

# -- classes: a class is in a cycle with its own MRO / dict, so it dies in a
#    collection
log = []
class C:
    pass
r = weakref.ref(C)
print(r() is C, r is weakref.ref(C), weakref.getweakrefcount(C))
rc = weakref.ref(C, lambda w: log.append("C gone"))
p = weakref.proxy(C)
print(weakref.getweakrefcount(C), [type(x).__name__ for x in weakref.getweakrefs(C)])
print(p.__name__, p() .__class__.__name__)
del C
gc.collect()
print(r(), rc(), log)
try:
    p.__name__
except ReferenceError as e:
    print("ReferenceError:", e)

# -- a class whose every reference goes away without a collection is still
#    found through its cycle; a subclass dies before its base
class Base:
    pass
class Sub(Base):
    pass
rb = weakref.ref(Base, lambda w: log.append("Base gone"))
rs = weakref.ref(Sub, lambda w: log.append("Sub gone"))
print(Base.__subclasses__() == [Sub])
del Sub
gc.collect()
print(rs(), rb() is Base, log[-1])
del Base
gc.collect()
print(rb(), log[-1])

# -- metaclasses
class Meta(type):
    pass
class WithMeta(metaclass=Meta):
    pass
rm = weakref.ref(WithMeta)
rmeta = weakref.ref(Meta)
print(rm() is WithMeta, rmeta() is Meta)
del WithMeta
gc.collect()
print(rm(), rmeta() is Meta)

# -- built-in types never die; their refs are shared too
# (counts relative: python3's abc registrations hold weakrefs to some)
n_int, n_list = weakref.getweakrefcount(int), weakref.getweakrefcount(list)
ri = weakref.ref(int)
ri2 = weakref.ref(int, lambda w: None)
print(ri() is int, ri is weakref.ref(int), ri2 in weakref.getweakrefs(int))
print(weakref.getweakrefcount(int) - n_int in (1, 2))   # 1 when ri was there already
del ri2
rl = weakref.ref(list, lambda w: log.append("never"))
print(weakref.getweakrefcount(list) - n_list, rl() is list, rl in weakref.getweakrefs(list))
print(weakref.ref(type)() is type, weakref.ref(object)() is object)
pi = weakref.proxy(int)
print(pi("42") + 1, pi.__name__)
del ri, rl, pi
print(weakref.getweakrefcount(int) - n_int, weakref.getweakrefcount(list) - n_list)

# -- WeakSet / WeakKeyDictionary / WeakValueDictionary of classes
class K1:
    pass
class K2:
    pass
ws = weakref.WeakSet([K1, K2, int, str])
wk = weakref.WeakKeyDictionary({K1: "one", K2: "two", float: "float"})
wv = weakref.WeakValueDictionary({"k1": K1, "k2": K2, "dict": dict})
print(len(ws), K1 in ws, int in ws, sorted(c.__name__ for c in ws))
print(wk[K2], wk[float], sorted(wv))
del K1
gc.collect()
print(len(ws), len(wk), sorted(wv), sorted(c.__name__ for c in ws))
del K2
gc.collect()
print(len(ws), len(wk), sorted(wv), sorted(c.__name__ for c in ws))

# -- proxies: __reversed__ and __bytes__ go to the referent
class Seq:
    def __len__(self):
        return 3
    def __getitem__(self, i):
        return "abc"[i]
    def __reversed__(self):
        return iter("zyx")
    def __bytes__(self):
        return b"seq-bytes"
    def __str__(self):
        return "seq-str"
s = Seq()
ps = weakref.proxy(s)
print("".join(reversed(ps)), bytes(ps), str(ps))
print("__reversed__" in dir(ps), "__bytes__" in dir(ps))
class Plain:
    pass
pp = weakref.proxy(Plain())
gc.collect()
for f in (reversed, bytes):
    try:
        f(pp)
    except ReferenceError as e:
        print(f.__name__, "ReferenceError:", e)
pl = weakref.proxy(Plain2 := type("Plain2", (), {})())
try:
    reversed(pl)
except AttributeError as e:
    print("AttributeError:", e)
del Plain2

# -- ref() takes no keyword arguments (its __init__); __new__ ignores them
class Obj:
    pass
o = Obj()
for call in (lambda: weakref.ref(o, callback=None),
             lambda: weakref.ref(o, None, x=1),
             lambda: weakref.proxy(o, callback=None)):
    try:
        call()
        print("no error")
    except TypeError as e:
        print("TypeError:", e)
class R(weakref.ref):
    pass
try:
    R(o, callback=None)
except TypeError as e:
    print("TypeError:", e)
class R2(weakref.ref):
    def __new__(cls, ob, callback=None, **kw):
        self = super().__new__(cls, ob, callback)
        self.kw = kw
        return self
    def __init__(self, ob, callback=None, **kw):
        super().__init__(ob, callback)
r2 = R2(o, tag=1)
print(r2.kw, r2() is o, weakref.ref(o, **{}) () is o)

# -- union operators of the weak dictionaries (| with a dict on either side)
class V:
    pass
v1, v2 = V(), V()
wvd = weakref.WeakValueDictionary({"a": v1})
print(type({"b": v2} | wvd).__name__, sorted({"b": v2} | wvd), sorted(wvd | {"b": v2}))
wkd = weakref.WeakKeyDictionary({v1: 1})
u = {v2: 2} | wkd
print(type(u).__name__, sorted(u.values()), sorted((wkd | {v2: 3}).values()))
