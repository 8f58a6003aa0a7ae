# deque's two ends (append/pop/insert through one helper each) and its
# argument-count errors (python3 says 'keyword arguments' when all are keywords)
from collections import deque
for a, k in [((1, 2, 3), {}), ((), {"a": 1, "b": 2, "c": 3}), (([],), {"maxlen": 1, "x": 2}), (([1],), {"x": 2})]:
    try:
        deque(*a, **k)
    except TypeError as e:
        print(e)
d = deque([1, 2, 3], maxlen=3)
d.append(4); d.appendleft(0); print(d, d.pop(), d.popleft(), d)
d.insert(1, 9); print(d)
try:
    deque().pop()
except IndexError as e:
    print(e)
try:
    deque().popleft()
except IndexError as e:
    print(e)
for a, k in [((), {'a': 1, 'b': 2, 'c': 3}), (([],), {'a': 1, 'b': 2}), ((1,), {'a': 1, 'b': 2, 'c': 3}), ((1, 2), {'a': 1})]:
    try:
        deque(*a, **k)
    except TypeError as e:
        print(e)
