# Subclasses of value types overriding special methods; __new__ with extra
# arguments and super().__new__.
def t(label, f):
    try:
        r = f()
        print(label, repr(r), type(r).__name__)
    except Exception as e:
        print(label, 'EXC', type(e).__name__, e)

class Money(int):
    def __new__(cls, value, currency='EUR'):
        self = super().__new__(cls, value)
        self.currency = currency
        return self
    def __repr__(self):
        return f'Money({int(self)}, {self.currency!r})'
    def __str__(self):
        return f'{int(self)} {self.currency}'
    def __add__(self, other):
        return Money(int(self) + int(other), self.currency)
    __radd__ = __add__
    def __eq__(self, other):
        return isinstance(other, Money) and int(self) == int(other) and self.currency == other.currency
    def __hash__(self):
        return hash((int(self), self.currency))
    def __format__(self, spec):
        return 'M<' + super().__format__(spec) + '>'

m = Money(5, 'USD')
t('repr', lambda: repr(m))
t('str', lambda: str(m))
t('add', lambda: m + 3)
t('radd', lambda: 3 + m)
t('sum', lambda: sum([Money(1), Money(2)], Money(0)))
t('eq', lambda: (m == Money(5, 'USD'), m == 5, m != Money(5)))
t('hash', lambda: hash(m) == hash((5, 'USD')))
t('format', lambda: f'{m:>5}')
t('format()', lambda: format(m, 'x'))
t('bool', lambda: bool(Money(0)))
t('sub (inherited)', lambda: m - 1)
t('print', lambda: print(m))

class Upper(str):
    def __new__(cls, s):
        return str.__new__(cls, s.upper())
    def __len__(self):
        return 42
    def __getitem__(self, i):
        return 'item'
    def __contains__(self, x):
        return True
    def __iter__(self):
        return iter('xy')
u = Upper('abc')
t('upper', lambda: (u, len(u), u[0], 'zz' in u, list(u), u.lower(), u + '!'))
t('isinstance', lambda: (isinstance(u, str), type(u) is Upper, type(u).__mro__))

class Pair(tuple):
    def __new__(cls, a, b):
        return super().__new__(cls, (a, b))
    @property
    def first(self):
        return self[0]
    def __repr__(self):
        return 'Pair' + super().__repr__()
p = Pair(1, [2])
t('pair', lambda: (p, p.first, len(p), p + (3,), p == (1, [2]), p[1]))
t('pair hash', lambda: hash(Pair(1, 2)) == hash((1, 2)))
t('pair args', lambda: Pair(1))

class Celsius(float):
    def __new__(cls, v=0.0, *, unit='C'):
        self = float.__new__(cls, v)
        self.unit = unit
        return self
    def __init__(self, v=0.0, *, unit='C'):
        self.inited = True
    def __neg__(self):
        return 'negated'
    def __lt__(self, other):
        return 'lt'
c = Celsius('1.5', unit='K')
t('celsius', lambda: (c, c.unit, c.inited, -c, c < 1, c * 2, c.__dict__))
t('float.__new__ bad', lambda: float.__new__(Pair, 1.0))
t('int.__new__ bad', lambda: int.__new__(str, 1))
t('int.__new__ not type', lambda: int.__new__(5, 1))

class Bits(bytes):
    def __new__(cls, *args):
        return super().__new__(cls, bytes(args))
    def hexed(self):
        return self.hex()
b = Bits(1, 2, 255)
t('bits', lambda: (b, b.hexed(), b[0], b[1:], len(b), b.decode('latin-1')))

class Z(complex):
    def __abs__(self):
        return -1
t('complex', lambda: (Z(3, 4), abs(Z(3, 4)), Z(1) + 1, Z('1+2j'), Z(1, 2) == 1+2j))

class Tags(frozenset):
    def __repr__(self):
        return 'Tags(' + ','.join(sorted(self)) + ')'
tg = Tags(['b', 'a'])
t('tags', lambda: (tg, 'a' in tg, len(tg), hash(tg) == hash(frozenset('ab')), {tg: 1}[frozenset('ab')]))

# __init__ of a value-type subclass with extra arguments
class Named(int):
    def __new__(cls, v, name):
        return super().__new__(cls, v)
    def __init__(self, v, name):
        self.name = name
n = Named(3, 'three')
t('named', lambda: (n, n.name, n + 1))
t('named missing', lambda: Named(3))

# subclass without __new__ passes the arguments to the base
t('base extra args', lambda: Pair.__base__(1, 2))

class Small(int):
    pass
t('small ints are distinct', lambda: (Small(1) is Small(1), Small(1) == 1))
x = Small(300)
x.tag = 'big'
t('attrs', lambda: (x.tag, vars(x), Small.__dict__.get('__dict__') is not None))
del x.tag
t('deleted', lambda: vars(x))
import gc
class Cyc(tuple):
    pass
cy = Cyc(([],))
cy[0].append(cy)
cy.me = cy
del cy
gc.collect()
print('cycle collected')

t('int.__format__', lambda: (int.__format__(Money(10), 'x'), float.__format__(2.5, '.3f'), str.__format__('a', '>3'), object.__format__(1, '')))
t('object.__format__ spec', lambda: object.__format__(1, 'x'))
t('format non-str', lambda: int.__format__(1, 2))
class BadFormat:
    def __format__(self, spec):
        return 1
t('bad format', lambda: format(BadFormat()))
t('bad fstring', lambda: f'{BadFormat()}')
