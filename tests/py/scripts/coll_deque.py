import sys
from collections import deque
d=deque([1,2,3])
for f in [lambda: d.index(9), lambda: d.remove(9), lambda: d[5], lambda: d['a'], lambda: d[1:2], lambda: deque(maxlen=-1), lambda: d+[1], lambda: deque([1,2],2).insert(0,5), lambda: deque().pop(), lambda: deque().popleft(), lambda: hash(d), lambda: d.rotate('x'), lambda: deque(1), lambda: deque([], 'x'), lambda: deque([],maxlen=2**70), lambda: d < [1]]:
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
d=deque(); d.append(d); print(d)
class D(deque): pass
print(D([1],3), repr(deque(maxlen=0)))
def it():
  d=deque([1,2]);i=iter(d); next(i); d.append(3); next(i)
try: it()
except Exception as e: print(type(e).__name__, e)
print(deque('abc') == deque('abc'), deque([1,2]) < deque([1,3]), deque([1]) == [1])
d=deque(range(5)); d.rotate(2); print(d); d.rotate(-3); print(d); d.insert(2,'x'); print(d); del d[1]; print(d); d.reverse(); print(d)
d.extendleft('ab'); print(d, d.count('a'), d.index('x'), d * 2, 2 * deque([1]))
d=deque([1,2],3); d+= [4,5]; print(d, d.maxlen, d.copy())
d=deque([1,2],3); d*=5; print(d)
d=deque(); print(sys.getsizeof(d), d.__sizeof__())
for n in [1,16,17,30,31,32,33,47,48,64,80,81,100,200]:
    d=deque(range(n)); print(n, sys.getsizeof(d), end='; ')
print()
d=deque()
for i in range(200):
    d.append(i)
    if i in (0,31,32,95,96,159,160): print(i+1, sys.getsizeof(d), end='; ')
print()
d=deque()
for i in range(70): d.appendleft(i)
print(sys.getsizeof(d))
for i in range(70): d.pop()
print(sys.getsizeof(d), len(d))
d=deque(range(1000)); d.rotate(300); print(d[0], d[-1], d[500], sys.getsizeof(d)); d.rotate(-777); print(d[0], d[999], sys.getsizeof(d))
print(list(reversed(deque(range(130))))[:3], sum(deque(range(1000))))
d=deque(range(200)); del d[150]; d.remove(3); d.insert(100, 'q'); print(d.index('q'), len(d), d[149], 5 in d, 150 in d)
import gc; print(gc.is_tracked(deque()))
d=deque(maxlen=0); d.append(1); d.extend([1,2]); print(d)
print(bool(deque()), bool(deque([0])))
d=deque(range(3)); d.extend(d); print(d)
d=deque(range(100)); d.clear(); print(sys.getsizeof(d), d)
# growth and shrinking by appends/pops at both ends, as sys.getsizeof sees it
d = deque()
sizes = []
for i in range(300):
    (d.append if i % 3 else d.appendleft)(i)
    sizes.append(sys.getsizeof(d))
print(sorted(set(sizes)))
while d:
    (d.pop if len(d) % 2 else d.popleft)()
print(sys.getsizeof(d), len(d))
d = deque(range(10), maxlen=4)
print(d, sys.getsizeof(d))
d.extendleft(range(100, 110))
print(d, len(d))
d = deque('abcdef')
print(list(reversed(d)), d.index('c', 1, 5), d.count('z'), 'e' in d)
try:
    d.index('c', 3)
except ValueError as e:
    print("ValueError:", e)
class Noisy:
    def __init__(self, d):
        self.d = d
    def __eq__(self, other):
        self.d.append(0)
        return False
d = deque([1, 2, 3])
try:
    d.count(Noisy(d))
except RuntimeError as e:
    print("RuntimeError:", e)
d = deque([[1]])
d.append(d)
print(d)
import weakref
w = weakref.ref(d)
del d
import gc
gc.collect()
print("deque in a cycle collected:", w() is None)
print(deque.__name__, deque.__module__, type(iter(deque())).__name__)

# the operator methods as attributes, __reduce__ and deepcopy of a subclass
import copy
from collections import deque
d = deque([1, 2, 3])
d.__setitem__(-1, 9); d.__delitem__(0); print(d, d.__add__(deque([5])), d.__mul__(2), d.__rmul__(2), d.__reduce__()[:3])
d.__iadd__([7]); d.__imul__(2); print(d)
try: d.__setitem__('x', 1)
except TypeError as e: print(e)
try: d.__delitem__(10)
except IndexError as e: print(e)
d[0] = 'a'; del d[1]; print(d)
class D(deque):
    pass
x = D([[1], [2]], 5); x.tag = 't'
y = copy.deepcopy(x); print(type(y).__name__, y, y.maxlen, y.tag, y[0] is x[0])
print(deque(maxlen=3).__reduce__()[:3], x.__reduce__()[1:3])
print(d * 0, 3 * deque('ab'))

# a subclass with __del__: finalizer, weakref callback, and a cycle through itself

import weakref, gc
class DD(deque):
    def __del__(self):
        print("del", list(self))
d = DD([1, 2])
w = weakref.ref(d, lambda r: print("cb"))
del d
print(w())
e = DD([3]); e.append(e)
del e
gc.collect()
print("end")
