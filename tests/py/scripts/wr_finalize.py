# weakref.finalize: when it runs, alive/detach/peek/atexit, and at exit
import gc
import weakref


class Res:
    def __init__(self, name):
        self.name = name


def report(*args, **kwargs):
    print("finalizer:", args, sorted(kwargs.items()))
    return "result"


r = Res("r")
f = weakref.finalize(r, report, "r died", code=1)
print("alive:", f.alive, "atexit:", f.atexit, "peek:", f.peek()[0].name, f.peek()[2:])
del r
print("alive after del:", f.alive, f.peek(), f.detach(), f())

s = Res("s")
g = weakref.finalize(s, report, "called early")
print("call:", g(), g.alive, g())
del s

t = Res("t")
h = weakref.finalize(t, report, "detached")
obj, func, args, kwargs = h.detach()
print("detach:", obj is t, func is report, args, kwargs, h.alive, h.detach())
del t, obj

print("-- a finalizer on a cycle runs when the collector frees it")
gc.disable()
u = Res("u")
u.me = u
k = weakref.finalize(u, report, "cycle")
del u
print("still alive:", k.alive)
gc.collect()
print("after collect:", k.alive)
gc.enable()

print("-- at exit: the pending ones, newest first, not those with atexit off")
keep = [Res(n) for n in "abcd"]
fa = weakref.finalize(keep[0], report, "exit a")
fb = weakref.finalize(keep[1], report, "exit b (atexit off)")
fb.atexit = False
fc = weakref.finalize(keep[2], report, "exit c")
fd = weakref.finalize(keep[3], print, "exit d", "via print")
print("atexit flags:", fa.atexit, fb.atexit, fc.atexit)
del fa, fb, fc, fd
print("end of script")
