# PEP 584: dict | dict and |=, with CPython's rules for other operands.
a = {'x': 1, 'y': 2}
b = {'y': 20, 'z': 30}
print(a | b, b | a, a, b)
c = a.copy(); c |= b; print(c)
c |= [('w', 0)]; print(c)
c |= {}; print(c)
for bad in (lambda: a | [('k', 1)], lambda: [('k', 1)] | a, lambda: a | 1):
    try:
        bad()
    except TypeError as e:
        print('TypeError:', e)
try:
    c |= 5
except TypeError as e:
    print('TypeError:', e)
class D(dict):
    pass
d = D(q=1)
print(type(d | a).__name__, d | a, type(a | d).__name__)
d |= a; print(type(d).__name__, d)
print(dict.__or__(a, b), dict.__or__(a, 3), dict.__ror__(a, b))
print({} | {} == {}, ({1: 2} | {1: 3})[1])
