# Inheritance: MRO, super() chains, diamond, class attributes, isinstance.
class Base:
    kind = "base"

    def __init__(self):
        self.trace = ["Base"]

    def who(self):
        return "Base"


class Left(Base):
    def __init__(self):
        super().__init__()
        self.trace.append("Left")

    def who(self):
        return "Left>" + super().who()


class Right(Base):
    kind = "right"

    def __init__(self):
        super().__init__()
        self.trace.append("Right")

    def who(self):
        return "Right>" + super().who()


class Diamond(Left, Right):
    def __init__(self):
        super().__init__()
        self.trace.append("Diamond")

    def who(self):
        return "Diamond>" + super().who()


d = Diamond()
print([k.__name__ for k in Diamond.__mro__])
print(d.trace, d.who(), d.kind)
print(isinstance(d, Base), issubclass(Diamond, Right), isinstance(d, (int, Left)))
print(Diamond.__bases__, Diamond.__base__, Left.__subclasses__())
print(type(d).__name__, type(d).__qualname__, Diamond.__module__)
try:
    class Bad(Left, Base, Right):
        pass
except TypeError as e:
    print("TypeError:", e)


class Counter:
    instances = 0

    def __init__(self):
        Counter.instances += 1
        self.n = Counter.instances


class Sub(Counter):
    pass


xs = [Counter(), Sub(), Sub()]
print([x.n for x in xs], Counter.instances, Sub.instances)
Sub.instances = 100
print(Counter.instances, Sub.instances, vars(xs[1]))


class E(Exception):
    def __init__(self, code):
        super().__init__("code %d" % code)
        self.code = code


try:
    raise E(7)
except Exception as e:
    print(type(e).__name__, e, e.code, e.args, isinstance(e, Exception))


class L(list):
    def total(self):
        return sum(self)


l = L([1, 2, 3])
l.append(4)
print(l, l.total(), len(l), type(l).__name__, isinstance(l, list))


class D(dict):
    def __missing__(self, key):
        return key * 2


dd = D(a=1)
print(dd["a"], dd["zz"], dd)
