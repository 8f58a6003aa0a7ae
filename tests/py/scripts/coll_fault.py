# The deque of _collections under allocation failures (run.py's fault
# sweep): growth across blocks at both ends, rotate, copy, repr, iteration.
import sys
from _collections import deque

d = deque(range(100))
d.extendleft(range(70))
d.rotate(33)
d.rotate(-90)
e = d.copy()
e.append(e)
print(len(d), d[0], d[-1], d[80], sys.getsizeof(d), len(repr(e)))
f = deque("abc", maxlen=2)
f.extend("defg")
f.insert(1, "x") if len(f) < 2 else None
print(f, list(reversed(d))[:3], d.count(5), d.index(5))
del d[50]
d.remove(6)
print(len(d), (d + deque([1]))[-1], len(d * 2))
