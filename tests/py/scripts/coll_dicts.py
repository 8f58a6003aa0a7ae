import sys
from collections import defaultdict, OrderedDict, Counter, ChainMap, UserDict, UserList, deque
import collections.abc as A
d = defaultdict(list)
d['a'].append(1); d['b']
print(d, sys.getsizeof(defaultdict(list)) - sys.getsizeof({}), d.default_factory, type(d).__name__, defaultdict)
print(defaultdict(None, a=1), d.copy(), d | {'z': 0}, isinstance(d, dict))
try: defaultdict(1)
except TypeError as e: print(e)
try: defaultdict()['x']
except KeyError as e: print('KeyError', e)
o = OrderedDict(a=1, b=2, c=3)
o.move_to_end('a'); print(o); o.move_to_end('c', last=False); print(o)
print(o.popitem(), o.popitem(last=False), o, OrderedDict())
print(OrderedDict(a=1, b=2) == OrderedDict(b=2, a=1), OrderedDict(a=1, b=2) == dict(b=2, a=1), list(reversed(OrderedDict(a=1, b=2))))
c = Counter('abracadabra')
print(c, c.most_common(2), sorted(c.elements())[:5], c['z'], c.total())
c.update('aaz'); c.subtract({'b': 5}); print(c)
print(Counter(a=3, b=1) + Counter(a=1, b=2), Counter(a=3, b=1) - Counter(a=1, b=2), Counter(a=3, b=1) | Counter(a=1, b=2), Counter(a=3, b=1) & Counter(a=1, b=2))
print(+Counter(a=-1, b=2), -Counter(a=-1, b=2), Counter(a=1) == Counter(a=1, b=0), Counter())
cm = ChainMap({'a': 1}, {'a': 2, 'b': 3})
print(cm['a'], cm['b'], len(cm), sorted(cm), cm, cm.new_child({'c': 4}).parents)
u = UserDict(a=1); u['b'] = 2; print(u, len(u), 'a' in u, u.get('q', 5))
l = UserList([3, 1, 2]); l.sort(); l.append(9); print(l, l[1:], len(l), l + [0])
print(isinstance(u, A.Mapping), isinstance(l, A.Sequence))
