import sys, weakref, math
r = weakref.ref(sys); print(r() is sys, sys.getsizeof(sys), sys.getsizeof(math), type(sys).__weakrefoffset__, type(sys).__dictoffset__)
import types
m = types.ModuleType("m"); r = weakref.ref(m, lambda r: print("cb")); del m; print(r())
print(weakref.getweakrefcount(sys))
print(hasattr(sys, '__weakref__'), '__weakref__' in type(sys).__dict__)
rs = [weakref.ref(math), weakref.ref(math)]
print(rs[0] is rs[1], weakref.getweakrefcount(math))
d = weakref.WeakValueDictionary()
m2 = types.ModuleType("m2")
d['m2'] = m2
print(list(d))
del m2
print(list(d))
m3 = types.ModuleType("m3")
m3.me = m3
w = weakref.ref(m3, lambda r: print('m3 gone'))
del m3
import gc
gc.collect()
print(w())
