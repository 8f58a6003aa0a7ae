# Subclasses of the built-in value types: construction, layout, dispatch.
import sys

def t(label, f):
    try:
        r = f()
        print(label, repr(r), type(r).__name__)
    except Exception as e:
        print(label, 'EXC', type(e).__name__, e)

class I(int): pass
class F(float): pass
class C(complex): pass
class S(str): pass
class B(bytes): pass
class T(tuple): pass
class FS(frozenset): pass
class L(list): pass
class D(dict): pass
class ST(set): pass
class BA(bytearray): pass

for cls, args in [(I, (5,)), (I, ()), (I, ('ff', 16)), (I, (-2**100,)), (F, (1.5,)), (F, ('2.5',)),
                  (C, (1, 2)), (S, ('héllo',)), (S, ()), (S, (b'abc', 'ascii')), (B, (b'xyz',)), (B, (3,)),
                  (T, ([1, 2, 3],)), (T, ()), (FS, ([1, 2, 2],)), (L, ((1, 2),)), (D, ({'a': 1},)),
                  (ST, ([3],)), (BA, (b'ab',))]:
    x = cls(*args)
    print(cls.__name__, repr(x), type(x) is cls, isinstance(x, cls.__bases__[0]), type(x).__name__)
    x.attr = 7
    print('  dict', x.__dict__, x.attr)

# arithmetic returns the base type
i = I(7)
for label, f in [('i+1', lambda: i + 1), ('1+i', lambda: 1 + i), ('i*i', lambda: i * i), ('-i', lambda: -i),
                 ('+i', lambda: +i), ('abs', lambda: abs(I(-3))), ('i//2', lambda: i // 2), ('i<<1', lambda: i << 1),
                 ('f+1', lambda: F(1.5) + 1), ('-f', lambda: -F(2.0)), ('c*2', lambda: C(1, 1) * 2),
                 ('s+s', lambda: S('a') + S('b')), ('s*2', lambda: S('ab') * 2), ('s.upper', lambda: S('ab').upper()),
                 ('s[0]', lambda: S('ab')[0]), ('s[:]', lambda: S('ab')[:]), ('b+b', lambda: B(b'a') + b'b'),
                 ('t+t', lambda: T((1,)) + (2,)), ('t[:]', lambda: T((1, 2))[:]), ('t[0]', lambda: T((1, 2))[0]),
                 ('str(s)', lambda: str(S('q'))), ('bytes(b)', lambda: bytes(B(b'q'))), ('tuple(t)', lambda: tuple(T((1,)))),
                 ('len s', lambda: len(S('abc'))), ('len t', lambda: len(T((1, 2)))), ('hash i', lambda: hash(I(5)) == hash(5)),
                 ('hash s', lambda: hash(S('ab')) == hash('ab')), ('eq', lambda: (I(5) == 5, S('a') == 'a', T((1,)) == (1,))),
                 ('dict key', lambda: {S('k'): 1}['k']), ('in', lambda: 'k' in {S('k')}), ('bool', lambda: (bool(I(0)), bool(S('')))),
                 ('repr', lambda: (repr(I(3)), repr(F(0.5)), repr(S('x')), repr(B(b'x')), repr(T((1,))), repr(FS()))),
                 ('str', lambda: (str(I(3)), str(F(0.5)), str(S('x')))), ('fmt', lambda: f'{I(3):>4}|{F(1.25):.1f}|{S("ab"):^6}'),
                 ('isinstance', lambda: (isinstance(I(1), int), issubclass(I, int), isinstance(1, I))),
                 ('int(I)', lambda: type(int(I(5))).__name__), ('s.join', lambda: S(',').join(['a', 'b'])),
                 ('divmod', lambda: divmod(I(7), 2)), ('round', lambda: round(F(2.567), 1)), ('pow', lambda: I(2) ** 10)]:
    t(label, f)

# layout as python3 reports it
for cls in (I, T, B):
    print(cls.__name__, cls.__basicsize__, cls.__itemsize__, cls.__dictoffset__, cls.__weakrefoffset__)

class I2(int):
    __slots__ = ()
class T2(tuple):
    __slots__ = ()
print(I2.__basicsize__, I2.__dictoffset__, T2.__basicsize__, T2.__dictoffset__)
t('I2 dict', lambda: I2(1).__dict__)
t('slots int', lambda: type('X', (int,), {'__slots__': ('a',)}))

# getsizeof
print([sys.getsizeof(I(x)) for x in (0, 1, -5, 2**40, 2**100)])
print([sys.getsizeof(T(x)) for x in ((), (1,), (1, 2, 3))], [sys.getsizeof(B(x)) for x in (b'', b'a', b'abc')])
print([sys.getsizeof(S(x)) for x in ('', 'a', 'abc', 'é', '€', '😀', 'a' * 100)])
print(sys.getsizeof(I2(5)), sys.getsizeof(F(1.0)), sys.getsizeof(C(1)), sys.getsizeof(L()), sys.getsizeof(D()))

# a subclass of a subclass; dict survives in deeper classes
class J(I):
    pass
j = J(2**70)
j.x = 1
j.y = [j]
print(j, j.__dict__.keys(), J.__dictoffset__, J.__basicsize__)
class S3(S):
    __slots__ = ('a', 'b')
s3 = S3('abcé')
s3.a = 1
s3.b = 2
s3.c = 3
print(s3, s3.a, s3.b, s3.__dict__)
