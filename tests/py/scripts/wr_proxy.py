# weakref.proxy: forwarding, ReferenceError once the referent is gone
import sys
import weakref

from impmod_wrmask import mask


class V:
    def __init__(self, v):
        self.v = v
        self.items = [1, 2, 3]

    def __add__(self, o):
        return V(self.v + (o.v if isinstance(o, V) else o))

    def __radd__(self, o):
        return V(o + self.v)

    def __iadd__(self, o):
        self.v += o
        return self

    def __mul__(self, o):
        return self.v * o

    def __neg__(self):
        return -self.v

    def __lt__(self, o):
        return self.v < (o.v if isinstance(o, V) else o)

    def __eq__(self, o):
        return self.v == (o.v if isinstance(o, V) else o)

    __hash__ = None

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]

    def __setitem__(self, i, x):
        self.items[i] = x

    def __delitem__(self, i):
        del self.items[i]

    def __contains__(self, x):
        return x in self.items

    def __iter__(self):
        return iter(self.items)

    def __bool__(self):
        return self.v != 0

    def __index__(self):
        return self.v

    def __str__(self):
        return "V%d" % self.v

    def __repr__(self):
        return "V(%d)" % self.v


o = V(5)
p = weakref.proxy(o)
print("type:", type(p).__name__, weakref.ProxyType.__name__, weakref.CallableProxyType.__name__)
print("shared:", p is weakref.proxy(o), weakref.getweakrefcount(o))
print(mask(repr(p)))
print("str:", str(p), "attr:", p.v, "method:", p.__add__(1))
print("ops:", (p + 1).v, (1 + p).v, p * 2, -p, p < 9, p == 5, p != 5, bool(p))
print("container:", len(p), p[0], 2 in p, list(p), [1, 2, 3][p - 3 if False else 0])
p[0] = 10
del p[1]
print("mutated:", o.items)
p.w = "set through proxy"
print("setattr:", o.w)
del p.w
print("delattr:", hasattr(o, "w"))
p += 1
print("in-place:", type(p).__name__, o.v)
p = weakref.proxy(o)
print("index:", hex(p), bin(p))
try:
    hash(p)
except TypeError as e:
    print("TypeError:", e)
print("proxy == proxy:", weakref.proxy(o) == p)

calls = []
p2 = weakref.proxy(o, lambda pr, calls=calls, type=type: calls.append(type(pr).__name__))
print("proxy with callback is new:", p2 is not p, weakref.getweakrefcount(o))
del o
print("callback:", calls)
for what, f in [("attr", lambda: p.v), ("str", lambda: str(p)), ("add", lambda: p + 1),
                ("len", lambda: len(p)), ("iter", lambda: iter(p)), ("bool", lambda: bool(p)),
                ("getitem", lambda: p[0]), ("eq", lambda: p == 1)]:
    try:
        f()
        print(what, "worked?")
    except ReferenceError as e:
        print(what, "ReferenceError:", e)
print(mask(repr(p)).replace("NoneType", "<dead>"))


class Fn:
    def __call__(self, *a, **k):
        return ("called", a, sorted(k.items()))


fn = Fn()
cp = weakref.proxy(fn)
print("callable proxy:", type(cp).__name__, cp(1, x=2), callable(cp), callable(p))


def plain(x):
    return x * 3


pp = weakref.proxy(plain)
print("function proxy:", pp(4), pp.__name__)
del fn
try:
    cp()
except ReferenceError as e:
    print("ReferenceError:", e)


class It:
    def __init__(self):
        self.n = 0

    def __iter__(self):
        return self

    def __next__(self):
        self.n += 1
        if self.n > 3:
            raise StopIteration
        return self.n


it = It()
ip = weakref.proxy(it)
print("iterator proxy:", next(ip), list(ip))
try:
    next(weakref.proxy(V(1)))
except (TypeError, ReferenceError) as e:
    print(type(e).__name__, e)
