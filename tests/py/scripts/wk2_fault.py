# Weak references to type objects under allocation failures (run.py's fault
# sweep): a static type's first weakref makes its per-runtime state record;
# a class's refs are cleared (callbacks run) when a collection frees it.
import gc
import _weakref

hits = [0, 0]


def cb(w, hits=hits):
    hits[0] = hits[0] + 1


def cb2(w, hits=hits):
    hits[1] = hits[1] + 1


E = type(...)
re = _weakref.ref(E)
rn = _weakref.ref(type(None), cb2)
print(re() is E, rn() is type(None), _weakref.getweakrefcount(E) >= 1)


class A:
    pass


class B(A):
    pass


ra = _weakref.ref(A, cb)
rb = _weakref.ref(B, cb)
pb = _weakref.proxy(B)
print(ra() is A, rb() is B, pb.__name__)  # (python3 counts its __subclasses__ weakref too)
del A, B
gc.collect()
print(ra(), rb(), hits)
del re, rn
print(hits)
