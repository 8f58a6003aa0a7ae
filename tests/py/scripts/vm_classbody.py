# __build_class__: the class body runs with its namespace as locals, the
# metaclass (here plain functions) gets (name, bases, ns, **kwds).
def meta(name, bases, ns, **kw):
    keys = []
    for k in ns:
        keys.append(k)
    print("meta:", name, bases, keys, kw)
    return ns

class Plain(metaclass=meta):
    "Doc text."
    x = 1
    y = x + 1
    def method(self):
        return self
    z = [i * 2 for i in [1, 2, 3]]

print(Plain["x"], Plain["y"], Plain["z"], Plain["__qualname__"], Plain["__module__"], Plain["__doc__"])
print(Plain["method"].__qualname__)

class WithArgs(1, "two", metaclass=meta, flag=True, other=None):
    pass

def outer():
    v = "closure"
    class Inner(metaclass=meta):
        w = v
        def get(self):
            return v
    return Inner
inner = outer()
print(inner["w"], inner["get"](None), inner["get"].__qualname__)

class Annotated(metaclass=meta):
    a: "int" = 1
    b: "str"
print(Annotated["__annotations__"])

def returns_other(name, bases, ns):
    return "not a class"

try:
    class Broken(metaclass=returns_other):
        def m(self):
            return __class__
except RuntimeError as e:
    print("RuntimeError:", e)
except TypeError as e:
    print("TypeError:", e)

print(Broken)

def meta_raises(name, bases, ns):
    raise ValueError("from metaclass " + name)
try:
    class Failing(metaclass=meta_raises):
        pass
except ValueError as e:
    print("ValueError:", e)

try:
    class BadBody(metaclass=meta):
        1 / 0
except ZeroDivisionError as e:
    print("ZeroDivisionError:", e)

for bad in [(), (1,)]:
    try:
        __build_class__(*bad)
    except TypeError as e:
        print("TypeError:", e)
try:
    __build_class__(meta, 1)
except TypeError as e:
    print("TypeError:", e)
