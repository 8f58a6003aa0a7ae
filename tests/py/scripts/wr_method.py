# weakref.WeakMethod: alive while both the object and the function are
import gc
import weakref


class Obj:
    def __init__(self, n):
        self.n = n

    def get(self):
        return self.n

    def other(self):
        return -self.n


o = Obj(7)
r = weakref.ref(o.get)
print("a plain ref to a bound method dies at once:", r())
bound = o.get
rb = weakref.ref(bound)
print("while the bound method lives:", rb() is bound, weakref.getweakrefcount(bound))
del bound
print("then:", rb())
wm = weakref.WeakMethod(o.get)
print("WeakMethod:", wm()(), isinstance(wm, weakref.ref), type(wm).__name__)
print("eq:", wm == weakref.WeakMethod(o.get), wm == weakref.WeakMethod(o.other), wm != weakref.WeakMethod(o.other))
print("hash as the object's:", hash(wm) == hash(weakref.ref(o)))
dead = []
wm2 = weakref.WeakMethod(o.get, lambda w: dead.append(w is wm2))
del o
print("after del:", wm(), wm2(), dead)
print("dead eq:", wm == wm, wm == wm2)
try:
    weakref.WeakMethod(len)
except TypeError as e:
    print("TypeError:", e)
try:
    weakref.WeakMethod(lambda: 1)
except TypeError as e:
    print("TypeError:", e)


class Cyc:
    def m(self):
        return "m"


c = Cyc()
c.me = c
wc = weakref.WeakMethod(c.m)
print(wc()())
del c
gc.collect()
print("cycle collected:", wc())
