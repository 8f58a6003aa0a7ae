# Counter's + - | & and unary + - (one _combine / _each_positive in
# lib/collections), OrderedDict.update (MutableMapping.update), over counts
# of every sign, in python3's result order.
from collections import Counter, OrderedDict

cases = [
    Counter(),
    Counter(a=3, b=1, c=0, d=-2),
    Counter(b=5, c=-1, d=2, e=4),
    Counter("abracadabra"),
    Counter({"x": -3, "a": -1, "z": 0}),
]
for p in cases:
    print("+p", list((+p).items()), "-p", list((-p).items()))
    for q in cases:
        print(list((p + q).items()), list((p - q).items()), list((p | q).items()), list((p & q).items()))
for op in ("__add__", "__sub__", "__or__", "__and__"):
    print(op, getattr(Counter(a=1), op)({"a": 1}))
try:
    Counter(a=1) + {"a": 1}
except TypeError as e:
    print(e)

class Sub(Counter):
    pass
r = Sub(a=2) + Sub(a=1, b=1)
print(type(r).__name__, r)

o = OrderedDict(b=1)
o.update([("a", 2)], c=3)
o.update({"d": 4})
o.update(OrderedDict(e=5))
class K:
    def keys(self):
        return ["f"]
    def __getitem__(self, k):
        return 6
o.update(K())
print(list(o.items()))
print(OrderedDict([("x", 1)], y=2))

# UserDict.update is MutableMapping.update, as in CPython
from collections import UserDict
u = UserDict(a=1)
u.update(UserDict(b=2))
u.update({"c": 3}, d=4)
u.update([("e", 5)])
u.update(K())
u.update(o)
print(list(u.items()))
try:
    u.update(1, 2)
except TypeError as e:
    print(e)
class U2(UserDict):
    def __setitem__(self, k, v):
        super().__setitem__(k, v * 10)
print(U2({"x": 1}, y=2).data)
