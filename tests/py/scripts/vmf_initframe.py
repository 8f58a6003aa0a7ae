# CALL of a class whose __init__ is a Python function: the frame is pushed
# by the loop (no C call); what a program sees must stay 3.11's.
import sys

class P:
    def __init__(self, x, y=2):
        self.x = x
        self.y = y
        print("refcount of self in __init__:", sys.getrefcount(self))
        print("caller:", sys._getframe(1).f_code.co_name)

def make():
    p = P(1)
    q = P(1, 3)
    return p.x + p.y + q.y

print(make())

class Bad:
    def __init__(self):
        return 42

try:
    Bad()
except TypeError as e:
    print("TypeError:", e)

class BadNone:
    def __init__(self):
        return None
print(type(BadNone()).__name__)

class Raises:
    def __init__(self, n):
        if n:
            raise ValueError("n=%d" % n)

for n in (0, 1):
    try:
        r = Raises(n)
        print("made", type(r).__name__)
    except ValueError as e:
        print("ValueError", e, e.__traceback__.tb_next.tb_frame.f_code.co_name)

class Args:
    def __init__(self, a, b):
        pass
for args in ((), (1,), (1, 2, 3)):
    try:
        Args(*args) if len(args) != 1 else Args(1)
    except TypeError as e:
        print("TypeError:", e)

class Var:
    def __init__(self, *a, **k):
        self.a = a
        self.k = k
v = Var(1, 2)
print(v.a, v.k)

class KwOnly:
    def __init__(self, *, k=5):
        self.k = k
print(KwOnly().k)

# recursion: each class call counts two levels, as in 3.11
class Rec:
    def __init__(self, n):
        self.child = Rec(n + 1) if n < 10000 else None
depth = 0
class Deep:
    def __init__(self):
        global depth
        depth += 1
        Deep()
try:
    Deep()
except RecursionError as e:
    print("RecursionError:", e, depth > 100)
d1 = depth
def plain():
    global depth
    depth += 1
    plain()
depth = 0
try:
    plain()
except RecursionError:
    pass
print("class depth ratio about one half:", abs(d1 * 2 - depth) < 10, d1, depth)

# a generator __init__ takes the generic path
class GenInit:
    def __init__(self):
        yield 1
try:
    GenInit()
except TypeError as e:
    print("TypeError:", e)

# exception context inside a handler
try:
    try:
        raise KeyError("k")
    except KeyError:
        Bad()
except TypeError as e:
    print("context:", repr(e.__context__))

# instances in cycles are still found by the collector
import gc
gc.collect()
class C:
    def __init__(self, other=None):
        self.other = other
gc.disable()
for i in range(1000):
    a = C()
    b = C(a)
    a.other = b
del a, b
print("collected", gc.collect())
gc.enable()
print(sys.getrefcount(C) < 100)
