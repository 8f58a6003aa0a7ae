# sys.getsizeof calls a class's own __sizeof__ and adds the pre-header (the
# gc head, the managed dict's two words), as 3.11's _PySys_GetSizeOf; its
# default is returned for a TypeError only.
import sys


class C:
    def __sizeof__(self):
        return 100


class D(dict):
    def __sizeof__(self):
        return 7


class S:
    __slots__ = ("a",)

    def __sizeof__(self):
        return 3


class I(int):
    def __sizeof__(self):
        return 1000


class Inherit(C):
    pass


class Neg:
    def __sizeof__(self):
        return -1


class Str:
    def __sizeof__(self):
        return "x"


class Big:
    def __sizeof__(self):
        return 1 << 70


class Raises:
    def __sizeof__(self):
        raise KeyError("inside")


class Flag:
    def __sizeof__(self):
        return True


for obj in (C(), D(), S(), I(5), Inherit(), Flag()):
    print(type(obj).__name__, sys.getsizeof(obj), sys.getsizeof(obj, "dflt"))

for cls in (Neg, Str, Big, Raises):
    try:
        print(sys.getsizeof(cls()))
    except Exception as e:
        print(type(e).__name__, e)
    try:
        print("with default:", sys.getsizeof(cls(), "dflt"))
    except Exception as e:
        print("with default:", type(e).__name__, e)

# without an override: the class's static base measures it
class Plain:
    pass


print(sys.getsizeof(Plain()), sys.getsizeof([1, 2, 3]), sys.getsizeof(Plain(), None))

