# The set operators | & - ^ and |= &= -= ^= (found missing by lib/operator's
# ior under pymm): CPython's results, result kinds and TypeErrors.
a = {1, 2, 3}; b = {3, 4}
print(a | b, a & b, a - b, a ^ b, b - a)
f = frozenset([1, 2]); print(f | a, a | f, f & {2}, type(f - a).__name__, type(a - f).__name__)
s = {1}; t = s; s |= {2, 3}; print(s, t is s)
s &= {2, 3, 9}; print(s, t is s)
s -= {2}; print(s, t is s)
s ^= {3, 7}; print(s, t is s)
s -= s; print(s)
g = frozenset([1]); h = g; g |= {2}; print(g, h, g is h)
for expr in ["{1} | [2]", "[2] | {1}", "{1} - 1", "x = {1}; x |= [2]", "{1} ^ 'a'"]:
    try:
        exec(expr)
    except TypeError as e:
        print('TypeError', e)
big = set(range(20)); big &= set(range(5, 30, 2)); print(big)
big2 = set(range(40)); big2 ^= set(range(30, 50)); print(big2)
print({1, 2} <= {1, 2, 3})
