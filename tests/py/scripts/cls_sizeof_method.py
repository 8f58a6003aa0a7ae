# object.__sizeof__ and the built-ins' __sizeof__: sys.getsizeof minus the gc
# head (and the managed dict's pre-header words for plain instances).
import sys

class A:
    pass

class B:
    def __init__(self):
        self.x = 1

class S:
    __slots__ = ('a', 'b')

class L(list):
    pass

for o in (object(), A(), B(), S(), [], [1, 2, 3], (), (1, 2), {}, {'a': 1}, set(), 'abc', b'xy',
          1, 10**30, 1.5, L([1]), range(3), bytearray(b'abc')):
    print(type(o).__name__, o.__sizeof__(), sys.getsizeof(o))
