# Overrides on value-type subclasses reached through the protocols (bool, <, hash/eq in dicts and sets, len, format); an int subclass indexes by its value.
class I(int):
    def __bool__(self): return True
    def __lt__(self, o): return 'lt'
    def __index__(self): return 1
print(bool(I(0)), I(5) < 3, [10, 20][I(0)], hex(I(0)))
class CI(str):
    def __eq__(self, o): return isinstance(o, str) and self.lower() == o.lower()
    def __hash__(self): return hash(self.lower())
d = {CI('Key'): 1}
print(d.get('key'), CI('A') == 'a', 'a' == CI('A'), CI('A') in ['a'], {CI('x'), CI('X')})
class S(str): pass
print('-'.join([S('a'), S('b')]), '%s|%r' % (S('x'), S('y')), '{}'.format(S('z')), S('a') + 'b', type(S('a') + 'b').__name__)
print(sorted([I(3), I(1)], key=int), max(S('a'), S('b')), type(max(S('a'), S('b'))).__name__)
class F(float):
    def __repr__(self): return 'F!'
print([F(1.0)], str(F(2.0)), f'{F(3.0)}', F(1.5) == 1.5, hash(F(1.5)) == hash(1.5))
class T(tuple):
    def __len__(self): return 99
t = T((1, 2))
print(len(t), list(t), t[0], t == (1, 2), len(tuple(t)))
class L(list):
    def append(self, x): super().append(x * 2)
l = L([1]); l.append(5); print(l, len(l), type(l[:]).__name__)
class B(bytes):
    def __len__(self): return 7
print(len(B(b'ab')), B(b'ab').decode(), bytes(B(b'ab')))
