# sys.excepthook and sys.unraisablehook: the defaults, replacing them, a
# hook that fails, and the UnraisableHookArgs it is given.
import sys, gc
print(sys.excepthook is sys.__excepthook__, sys.unraisablehook is sys.__unraisablehook__)
print(sys.excepthook.__name__, sys.unraisablehook.__name__)

seen = []
def hook(u):
    seen.append(u)
    print("hook:", type(u).__name__, u.exc_type.__name__, u.exc_value, u.err_msg,
          type(u.exc_traceback).__name__, len(u), u[0] is u.exc_type)
sys.unraisablehook = hook

class D:
    def __del__(self):
        raise ValueError("in __del__")
d = D()
del d
print(seen[0].object.__qualname__)

def cb(phase, info):
    if phase == "start":
        raise KeyError("cb")
gc.callbacks.append(cb)
gc.collect()
gc.callbacks.remove(cb)
print(seen[1].err_msg, seen[1].object is cb)

class Bad:
    def __call__(self, u):
        raise RuntimeError("hook broke")
    def __repr__(self):
        return "<bad hook>"
class CB:
    def __call__(self, phase, info):
        if phase == "start":
            raise KeyError("cb")
    def __repr__(self):
        return "<gc callback>"
def collect_with(cb):
    gc.callbacks.append(cb)
    gc.collect()
    gc.callbacks.remove(cb)
sys.unraisablehook = Bad()
collect_with(CB())

sys.unraisablehook = sys.__unraisablehook__
collect_with(CB())
try:
    sys.unraisablehook(1)
except TypeError as e:
    print("TypeError:", e)
try:
    sys.excepthook(1, 2)
except TypeError as e:
    print("TypeError:", e)
sys.stderr.flush()

try:
    raise OSError("direct")
except OSError as e:
    sys.excepthook(type(e), e, e.__traceback__)
sys.excepthook(int, 5, None)
del sys.unraisablehook
collect_with(CB())

def myhook(t, v, tb):
    print("excepthook:", t.__name__, v, tb.tb_lineno)
    raise TypeError("excepthook broke")
sys.excepthook = myhook
print("end")
sys.stdout.flush()
raise ZeroDivisionError("uncaught")
