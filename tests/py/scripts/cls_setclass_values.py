# __class__ assignment on an instance with inline values: the values become
# a real dict first (keyed by the old class), as CPython does.
import sys, gc
class A:
    def __init__(s): s.x = 1; s.y = 2
class B:
    def __init__(s): s.q = 1
a = A(); a.__class__ = B
print(type(a).__name__, a.x, a.y, vars(a), sys.getsizeof(a.__dict__))
a.z = 3; print(vars(a))
b = B(); print(vars(b), sys.getsizeof(b.__dict__))
a.__class__ = A; print(vars(a))
