# The VM's inline fast paths (BINARY_OP / COMPARE_OP on ints and floats,
# the fused compare-and-jump, BINARY_SUBSCR / STORE_SUBSCR, UNPACK_SEQUENCE)
# give exactly the generic results, errors included.
import sys

big = (1 << 30) - 1
vals = [0, 1, -1, 7, -7, 3, -3, big, -big, 1 << 30, -(1 << 30), 10 ** 20, True, False]
ops = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "//": lambda a, b: a // b, "%": lambda a, b: a % b, "/": lambda a, b: a / b,
    "&": lambda a, b: a & b, "|": lambda a, b: a | b, "^": lambda a, b: a ^ b,
}
for name, f in ops.items():
    row = []
    for a in vals:
        for b in vals:
            try:
                r = f(a, b)
                row.append((type(r).__name__, r))
            except ZeroDivisionError as e:
                row.append(("ZeroDivisionError", str(e)))
    print(name, "all", row)

fl = [0.0, -0.0, 1.5, -2.25, 1e308, -1e308, float("inf"), float("nan"), 3, -4, 0]
for name in ("+", "-", "*", "/"):
    f = ops[name]
    row = []
    for a in fl:
        for b in fl:
            try:
                row.append(repr(f(a, b)))
            except ZeroDivisionError as e:
                row.append("ZeroDivisionError: " + str(e))
    print("float", name, row)

x = 1.0
x += 2
x *= 3
x -= 0.5
x /= 2
print("inplace float", x)
n = 5
n += 1
n *= 1000000
n -= 7
n //= 3
n %= 1000
print("inplace int", n)

# comparisons, fused with jumps and not
cmp_vals = [0, 1, -1, big, -big, 1 << 40, 0.5, -0.0, float("nan"), True]
res = []
for a in cmp_vals:
    for b in cmp_vals:
        res.append((a < b, a <= b, a == b, a != b, a > b, a >= b))
        if a < b:
            res.append("lt")
        if not a >= b:
            res.append("not ge")
        while a > b:
            res.append("gt")
            break
print("compare", res)
nan = float("nan")
print("nan", nan == nan, nan != nan, nan < 1.0, [1 for _ in range(3) if nan == nan])

# subscripts
l = [10, 20, 30]
t = (1, 2, 3)
print(l[0], l[-1], l[2], t[-3], t[1])
for bad in (3, -4, 1 << 40):
    for seq in (l, t):
        try:
            seq[bad]
        except IndexError as e:
            print("IndexError", e)
print(l[True], t[False])
d = {"a": 1}
print(d["a"])
try:
    d["missing"]
except KeyError as e:
    print("KeyError", e)
class Missing(dict):
    def __missing__(self, k):
        return "missing " + k
print(Missing()["x"])
l[1] = "twenty"
l[-1] = "thirty"
try:
    l[3] = 0
except IndexError as e:
    print("IndexError", e)
print(l)
class L(list):
    def __getitem__(self, i):
        return "L" + str(i)
print(L([1, 2])[0])

# unpacking
a, b = 1, 2
c, d2 = [3, 4]
e, f2, g = "xyz"
print(a, b, c, d2, e, f2, g)
for bad in ((1, 2, 3), [1], "ab", 5):
    try:
        p, q, r = bad
    except (ValueError, TypeError) as err:
        print(type(err).__name__, err)

# references: the fast paths own what the generic ones own
o = object()
holder = [o, o]
before = sys.getrefcount(o)
u, v = holder
tt = (o, o)
w, z = tt
item = holder[0]
holder[1] = o
print("refs", sys.getrefcount(o) - before)
del u, v, w, z, item
print("refs after", sys.getrefcount(o) - before)
