# CALL of a class with object's __new__ and a Python __init__: the VM makes
# the instance and calls __init__ with it prepended (specialize.c's
# PMI_IC_INIT).  Results, errors, tracebacks' texts and sys.getrefcount(self)
# inside __init__ (3 positionally, 4 with keywords, as CPython's
# slot_tp_init) equal python3's, before and after the site is cached, and
# after the class changes.
import sys


class P:
    def __init__(self, x, y=2, *, z=3):
        self.x = x
        self.y = y
        self.z = z
        print("init refs", sys.getrefcount(self))


class Bad:
    def __init__(self):
        return 5


class Raises:
    def __init__(self, a):
        raise ValueError(a)


class Slotted:
    __slots__ = ("a",)

    def __init__(self, a):
        self.a = a


class Meta(type):
    pass


class WithMeta(metaclass=Meta):
    def __init__(self):
        print("WithMeta.__init__")


class OwnNew:
    def __new__(cls, *a):
        print("__new__", a)
        return object.__new__(cls)

    def __init__(self, *a):
        print("__init__", a)


class Gen:
    def __init__(self):
        yield 1


for i in range(3):
    p = P(i)
    print(p.x, p.y, p.z, sys.getrefcount(p))
    p = P(i, z=9, y=4)
    print(p.x, p.y, p.z)
    for make in (Bad, lambda: Raises(i), P, lambda: P(1, 2, 3), Gen):
        try:
            make()
        except (TypeError, ValueError) as e:
            print(type(e).__name__, e)
    print(Slotted(i).a)
    WithMeta()
    OwnNew(i)


def site(cls):
    return cls(1)


# one call site over several classes, then the class changes under it
class Q(P):
    pass


for cls in (P, Q, P, Q):
    print(type(site(cls)).__name__)
P.__init__ = lambda self, x: print("replaced", x)
print(type(site(P)).__name__, type(site(Q)).__name__)


def init2(self, *a):
    print("init2", a)


Q.__init__ = init2
site(Q)
site(P)
del Q.__init__
site(Q)
P.__new__ = lambda cls, *a: "not an instance"
print(site(P), site(Q))
try:
    site(int)
    print(site(str), site(float))
except TypeError as e:
    print(e)
