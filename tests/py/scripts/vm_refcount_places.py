# sys.getrefcount at many placements: the same instructions with the same
# ownership rules give CPython's counts.
import sys
rc = sys.getrefcount

x = []
print("global", rc(x))
lst = [x, x]
print("in a list twice", rc(x))
t = (x,)
print("in a tuple", rc(x))
d = {"k": x}
print("as a dict value", rc(x))
del lst, t, d
print("after del", rc(x))


def param(a):
    return rc(a)


print("parameter", param(x))


def param_kw(*, a):
    return rc(a)


print("keyword-only parameter", param_kw(a=x))


def varargs(*args):
    return rc(args[0])


print("inside *args", varargs(x))


class C:
    def method(self, a):
        return rc(self), rc(a)

    @staticmethod
    def smeth(a):
        return rc(a)


c = C()
print("method self, arg", c.method(x))
print("bound method call", C.method(c, x))
print("staticmethod", C.smeth(x))
m = c.method
print("held bound method: self", rc(c))
del m


def outer():
    y = []
    def inner():
        return rc(y)
    return inner(), rc(y)


print("closure cell", outer())


def gen(a):
    yield rc(a)
    yield rc(a)


g = gen(x)
print("generator", next(g), rc(x))
print("generator again", next(g))
del g
print("after generator", rc(x))
print("comprehension", [rc(x) for _ in range(1)])
print("generator expression", list(rc(x) for _ in range(1)))
try:
    raise ValueError(x)
except ValueError as e:
    print("in handler: exception", rc(e), "payload", rc(x))
print("after handler", rc(x))
o = object()
print("fresh object", rc(o))
s = "a unique string for counting"
print("constant str", rc(s) >= 2)
# (an int constant's count is not compared: CPython's compiler keeps one
# more reference to it than the code object's co_consts accounts for)
print("None is immortal-ish", rc(None) > 100)
