# A tour of object layout: every object starts with a 16-byte header (the
# reference count and the type); objects the collector follows carry a
# 16-byte gc header in front of that, which sys.getsizeof counts too.
import sys

print("-- the header alone")
print("object():", sys.getsizeof(object()))
print("None:", sys.getsizeof(None))

print("-- ints grow 4 bytes per 30-bit digit")
for v in (0, 1, 2**30 - 1, 2**30, 2**60, 2**90):
    print(f"   {v:>28}: {sys.getsizeof(v)}")

print("-- floats are fixed: header + a double")
print("1.5:", sys.getsizeof(1.5))

print("-- str: compact ASCII, Latin-1, 2-byte and 4-byte forms")
for s in ("", "a", "abc", "é", "€", "😀", "a" * 100):
    print(f"   {s[:10]!r:>14}: {sys.getsizeof(s)}")

print("-- bytes: header + size + hash + the bytes and a NUL")
for b in (b"", b"x", b"x" * 100):
    print(f"   {len(b):>3} bytes: {sys.getsizeof(b)}")

print("-- containers count their own storage, not their items")
print("tuple():", sys.getsizeof(()), " (1, 2, 3):", sys.getsizeof((1, 2, 3)))
print("[]:", sys.getsizeof([]), " [1, 2, 3]:", sys.getsizeof([1, 2, 3]))
lst = []
sizes = []
for i in range(20):
    sizes.append(sys.getsizeof(lst))
    lst.append(i)
print("a list growing by append:", sizes)
print("{}:", sys.getsizeof({}), " {'a': 1}:", sys.getsizeof({"a": 1}))
d = {}
sizes = []
for i in range(12):
    d[i] = i
    sizes.append(sys.getsizeof(d))
print("a dict growing:", sizes)
print("set():", sys.getsizeof(set()), " {1, 2, 3}:", sys.getsizeof({1, 2, 3}))


class Plain:
    def __init__(self):
        self.a = 1
        self.b = 2


class Slotted:
    __slots__ = ("a", "b")

    def __init__(self):
        self.a = 1
        self.b = 2


print("-- instances")
p = Plain()
print("Plain instance:", sys.getsizeof(p))
print("Slotted instance:", sys.getsizeof(Slotted()))
print("Plain instance's __dict__:", sys.getsizeof(p.__dict__))
