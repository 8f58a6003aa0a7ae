# dict(x) and d.update(x) decide "mapping or pairs" by a full attribute
# lookup of x.keys (instance attributes, __getattr__, properties), as
# CPython's dict_update_arg.

def attempt(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)

def upd(x, start=None):
    d = dict(start or {})
    d.update(x)
    return d

class Inst:
    def __init__(self):
        self.keys = lambda: ["a", "b"]
    def __getitem__(self, k):
        return k * 2
attempt("instance keys dict", lambda: dict(Inst()))
attempt("instance keys update", lambda: upd(Inst(), {"z": 0}))

class Hook:
    def __getattr__(self, name):
        if name == "keys":
            return lambda: [1, 2]
        raise AttributeError(name)
    def __getitem__(self, k):
        return -k
attempt("getattr keys dict", lambda: dict(Hook()))
attempt("getattr keys update", lambda: upd(Hook()))

class Meth:
    def keys(self):
        return iter(("x", "y"))
    def __getitem__(self, k):
        return k.upper()
attempt("method keys dict", lambda: dict(Meth()))
attempt("method keys update", lambda: upd(Meth()))
attempt("method keys with kwargs", lambda: dict(Meth(), y=0, w=1))

class PropErr:
    @property
    def keys(self):
        raise ValueError("boom")
attempt("keys property ValueError", lambda: dict(PropErr()))
attempt("keys property ValueError update", lambda: upd(PropErr()))

class PropAttrErr:
    @property
    def keys(self):
        raise AttributeError("no keys here")
    def __iter__(self):
        return iter([(1, 2), (3, 4)])
attempt("keys AttributeError means pairs", lambda: dict(PropAttrErr()))
attempt("keys AttributeError update", lambda: upd(PropAttrErr()))

class NonIter:
    def keys(self):
        return 5
attempt("keys non-iterable", lambda: dict(NonIter()))
attempt("keys non-iterable update", lambda: upd(NonIter()))

class KeyMissing:
    def keys(self):
        return ["a", "missing"]
    def __getitem__(self, k):
        if k == "missing":
            raise KeyError(k)
        return 1
attempt("getitem raises", lambda: dict(KeyMissing()))

class DictSub(dict):
    def update(self, *a, **k):
        print("override called")
attempt("dict subclass pairs", lambda: DictSub([(1, 2)]))
attempt("dict subclass mapping", lambda: DictSub(Meth()))

attempt("pairs", lambda: dict([("a", 1), ["b", 2]]))
attempt("pairs update", lambda: upd(zip("ab", range(2))))
attempt("bad pairs", lambda: dict([(1,)]))
attempt("non-iterable", lambda: dict(3))
attempt("non-iterable update", lambda: upd(3))

class Order:
    def keys(self):
        print("keys called")
        return ["p", "q"]
    def __getitem__(self, k):
        print("getitem", k)
        return k
attempt("order", lambda: dict(Order()))
