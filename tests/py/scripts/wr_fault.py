# The C core of weakref under allocation failures (run.py's fault sweep):
# refs with and without callbacks, a subclass, proxies, collection order.
import gc
import _weakref


class A:
    pass


# The callbacks allocate nothing (small ints in a list made in advance):
# an error inside a callback would keep the preallocated MemoryError's
# traceback (and its frames) until teardown -- see the report of issue 14.
hits = [0, 0, 0, 0, 0]


def cb_ref(w, hits=hits):
    hits[0] = hits[0] + 1


def cb_proxy(w, hits=hits):
    hits[1] = hits[1] + 1


def cb_sub(w, hits=hits):
    hits[2] = hits[2] + 1


def cb_cycle(w, hits=hits):
    hits[3] = hits[3] + 1

a = A()
r = _weakref.ref(a)
rc = _weakref.ref(a, cb_ref)
p = _weakref.proxy(a)
pc = _weakref.proxy(a, cb_proxy)
a.x = [1, 2]
print(r() is a, p.x, _weakref.getweakrefcount(a), len(_weakref.getweakrefs(a)))


class R(_weakref.ref):
    pass


s = R(a, cb_sub)
s.tag = "t"
print(s.tag, s() is a, rc.__callback__ is not None, hash(r) == hash(a))
del a
print(hits, r(), s())
b = A()
b.me = b
wb = _weakref.ref(b, cb_cycle)
del b
gc.collect()
print(hits)
