# The C core of weakref under allocation failures (run.py's fault sweep):
# refs with and without callbacks, a subclass, proxies, collection order.
import gc
import _weakref


class A:
    pass


log = []
a = A()
r = _weakref.ref(a)
rc = _weakref.ref(a, lambda w, log=log: log.append("ref"))
p = _weakref.proxy(a)
pc = _weakref.proxy(a, lambda w, log=log: log.append("proxy"))
a.x = [1, 2]
print(r() is a, p.x, _weakref.getweakrefcount(a), len(_weakref.getweakrefs(a)))


class R(_weakref.ref):
    pass


s = R(a, lambda w, log=log: log.append("sub"))
s.tag = "t"
print(s.tag, s() is a, rc.__callback__ is not None, hash(r) == hash(a))
del a
print(log, r(), s())
b = A()
b.me = b
wb = _weakref.ref(b, lambda w, log=log: log.append("cycle"))
del b
gc.collect()
print(log)
