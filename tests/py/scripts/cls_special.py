# Special methods of Python classes reach the object protocol.
class V:
    def __init__(self, *xs):
        self.xs = list(xs)

    def __repr__(self):
        return "V(%s)" % ", ".join(map(repr, self.xs))

    def __add__(self, other):
        if isinstance(other, V):
            return V(*[a + b for a, b in zip(self.xs, other.xs)])
        if isinstance(other, (int, float)):
            return V(*[a + other for a in self.xs])
        return NotImplemented

    __radd__ = __add__

    def __mul__(self, k):
        return V(*[a * k for a in self.xs])

    def __eq__(self, other):
        return isinstance(other, V) and self.xs == other.xs

    def __hash__(self):
        return hash(tuple(self.xs))

    def __len__(self):
        return len(self.xs)

    def __getitem__(self, i):
        return self.xs[i]

    def __iter__(self):
        return iter(self.xs)

    def __contains__(self, v):
        return v in self.xs

    def __bool__(self):
        return any(self.xs)

    def __call__(self, k):
        return self.xs[k]

    def __neg__(self):
        return V(*[-a for a in self.xs])

    def __lt__(self, other):
        return sum(self.xs) < sum(other.xs)


a, b = V(1, 2), V(3, 4)
print(a + b, a + 1, 1 + a, a * 3, -a)
print(a == V(1, 2), a != b, a < b, b < a, sorted([b, a]))
print(len(a), a[0], a[-1], list(a), 2 in a, 5 in a, a(1))
print(bool(V(0, 0)), bool(a), hash(a) == hash(V(1, 2)))
print({a: "x"}[V(1, 2)])
try:
    a + "s"
except TypeError as e:
    print("TypeError:", e)
try:
    a @ b
except TypeError as e:
    print("TypeError:", e)


class Celsius:
    def __init__(self, c):
        self._c = c

    @property
    def f(self):
        return self._c * 9 / 5 + 32

    @f.setter
    def f(self, v):
        self._c = (v - 32) * 5 / 9

    @classmethod
    def freezing(cls):
        return cls(0)

    @staticmethod
    def describe():
        return "temperature"


t = Celsius.freezing()
print(t.f, Celsius.describe(), t.describe())
t.f = 212
print(t._c)
try:
    del t.f
except AttributeError as e:
    print("AttributeError:", e)


class Unhashable:
    def __eq__(self, other):
        return True


try:
    hash(Unhashable())
except TypeError as e:
    print("TypeError:", e)
print(Unhashable.__hash__)
