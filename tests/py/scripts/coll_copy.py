import copy
class P:
    def __init__(self, x): self.x = x; self.l = [x]
    def __repr__(self): return "P(%r, %r)" % (self.x, self.l)
a = [1, [2, 3], {'k': (4, [5])}, P(6)]
b = copy.copy(a); c = copy.deepcopy(a)
print(b, c, b[1] is a[1], c[1] is a[1], c[2]['k'] is a[2]['k'], c[3] is a[3], c[3].l is a[3].l)
t = (1, 2, 'x'); print(copy.deepcopy(t) is t, copy.copy(t) is t)
t2 = (1, [2]); print(copy.deepcopy(t2) is t2, copy.deepcopy(t2))
cyc = [1]; cyc.append(cyc); d = copy.deepcopy(cyc); print(d[1] is d, d is not cyc, d)
dd = {}; dd['self'] = dd; e = copy.deepcopy(dd); print(e['self'] is e)
shared = [0]; s = copy.deepcopy([shared, shared]); print(s[0] is s[1], s[0] is shared)
class C:
    def __copy__(self): return "copied"
    def __deepcopy__(self, memo): return "deep %d" % len(memo)
print(copy.copy(C()), copy.deepcopy(C()))
class S:
    __slots__ = ('a', 'b')
s = S(); s.a = [1]
s2 = copy.deepcopy(s); print(s2.a, s2.a is s.a, hasattr(s2, 'b'))
class G:
    def __init__(self): self.v = 1
    def __getstate__(self): return {'v': self.v * 10}
    def __setstate__(self, st): self.v = st['v'] + 1
print(copy.copy(G()).v, copy.deepcopy(G()).v)
class R:
    def __init__(self, n): self.n = n
    def __reduce__(self): return (R, (self.n + 100,))
print(copy.copy(R(1)).n, copy.deepcopy(R(2)).n)
print(copy.Error, copy.error is copy.Error, issubclass(copy.Error, Exception))
p = P([1]); m = p.__repr__; m2 = copy.deepcopy(m); print(m2(), m2.__self__ is p)
print(copy.copy({1, 2}), copy.deepcopy({'a': {1, 2}}), copy.copy(bytearray(b'ab')))
f = lambda: 1; print(copy.deepcopy(f) is f, copy.copy(int) is int)
from collections import deque, OrderedDict, Counter, defaultdict
dq = deque([[1], [2]], maxlen=5); dq2 = copy.deepcopy(dq); print(dq2, dq2[0] is dq[0], copy.copy(dq)[0] is dq[0])
print(copy.copy(Counter('aab')), copy.copy(OrderedDict(a=1)), copy.copy(defaultdict(list, a=[1]))['a'])
def gen(): yield 1
try: copy.copy(gen())
except TypeError as e: print(e)
