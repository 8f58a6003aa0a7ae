# A MemoryError raised in a weakref callback is reported as unraisable; the
# report must release it with its traceback, so the callback's frame and its
# locals die at once (issue 13: pymm handed out its preallocated MemoryError,
# which kept the traceback -- and the Marker below -- alive until teardown).
import gc
import sys
import weakref

class Obj:
    pass

class Marker:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print("freed", self.name)

class Callback:
    def __init__(self, name):
        self.name = name
    def __repr__(self):
        return "<callback %s>" % self.name
    def __call__(self, wr):
        m = Marker(self.name)
        big = [0, 0] * (sys.maxsize // 8)   # MemoryError before any allocation

def drop(name):
    o = Obj()
    r = weakref.ref(o, Callback(name))
    print("dropping", name)
    del o
    print("reported", name)
    return r

r1 = drop("first")
r2 = drop("second")

# the same through a cycle collected by gc
def cyc(name):
    o = Obj()
    o.self = o
    r = weakref.ref(o, Callback(name))
    del o
    print("collecting", name)
    gc.collect()
    print("collected", name)
    return r

r3 = cyc("cycle")

# the MemoryError caught by the program itself, then one reported
try:
    [0, 0] * (sys.maxsize // 8)
except MemoryError as e:
    print("caught", type(e).__name__, e.args)
r4 = drop("after-caught")
print("end")
