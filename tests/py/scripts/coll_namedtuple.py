# namedtuple and the collections.abc checks: needs subclasses of tuple and
# metaclasses (branch subcls); passes once that is merged.
import sys
from collections import namedtuple
import collections.abc as A
P = namedtuple('Point', 'x y')
p = P(1, y=2)
print(p, p.x, p.y, p._fields, p._asdict(), p._replace(x=5), P._make([3, 4]), sys.getsizeof(p) == sys.getsizeof((1, 2)))
print(P.__doc__, P.x.__doc__, P.__name__, isinstance(p, tuple), p == (1, 2), hash(p) == hash((1, 2)))
Q = namedtuple('Q', ['a', 'b', 'c'], defaults=[9, 8])
print(Q(1), Q._field_defaults, Q.__new__.__defaults__)
R = namedtuple('R', 'abc def _x abc', rename=True)
print(R._fields)
for bad in [('1x', 'a'), ('X', 'a a'), ('X', '_a'), ('X', 'class')]:
    try: namedtuple(*bad)
    except ValueError as e: print("ValueError:", e)
try: P(1)
except TypeError as e: print("TypeError:", e)
try: P._make([1])
except TypeError as e: print("TypeError:", e)
try: p._replace(z=1)
except ValueError as e: print("ValueError:", e)
try: p.x = 3
except AttributeError as e: print("AttributeError:", e)
print(P.__module__, P.__match_args__, p.__getnewargs__())
a, b = p; print(a, b)
print(isinstance([], A.Iterable), isinstance({}, A.Mapping), isinstance(1, A.Hashable), isinstance([], A.Hashable), isinstance(len, A.Callable), isinstance((x for x in []), A.Generator), isinstance(iter([]), A.Iterator), isinstance({}, A.MutableMapping), isinstance((), A.Sequence), isinstance('', A.Sized), issubclass(list, A.MutableSequence), isinstance(p, A.Sequence))
class MyIt:
    def __iter__(self): return self
    def __next__(self): raise StopIteration
print(isinstance(MyIt(), A.Iterator), isinstance(MyIt(), A.Iterable), isinstance(MyIt(), A.Sized), issubclass(MyIt, A.Container))
import copy
print(copy.copy(p), copy.deepcopy(Q([1], [2])))
