# pow() modular inverse, __index__ in indexing and slicing, int() conversion order and messages.
def t(label, f):
    try:
        r = f()
        print(label, repr(r))
    except Exception as e:
        print(label, 'EXC', type(e).__name__, e)
t('pow inv', lambda: (pow(2, -1, 5), pow(3, -2, 7), pow(-3, -1, 7), pow(2, -1, -5)))
t('pow noninv', lambda: pow(2, -1, 4))
t('pow mod0', lambda: pow(2, -1, 0))
t('pow big', lambda: pow(12345678901234567890, -1, 10**30 + 7))
t('pow float', lambda: pow(2.0, -1, 5))
class Ix:
    def __init__(self, v): self.v = v
    def __index__(self): return self.v
t('tuple idx', lambda: ((1, 2, 3)[Ix(1)], (1, 2, 3)[Ix(-1)], (1, 2, 3)[Ix(0):Ix(2)], (1,2,3,4)[::Ix(2)]))
t('list idx', lambda: ([1, 2, 3][Ix(1)], [1, 2, 3][Ix(1):], [1, 2, 3][:Ix(-1)]))
t('str idx', lambda: ('abc'[Ix(2)], 'abcdef'[Ix(1):Ix(5):Ix(2)]))
t('bytes idx', lambda: (b'abc'[Ix(1)], b'abc'[Ix(1):]))
t('range idx', lambda: (range(10)[Ix(3)], range(10)[Ix(2):Ix(4)]))
l = [1, 2, 3]
l[Ix(0)] = 9
del l[Ix(1)]
t('list set', lambda: l)
t('bad idx', lambda: (1, 2)[Ix('x')])
t('bad idx2', lambda: [1][Ix(1.5)])
t('big idx', lambda: [1][Ix(2**100)])
t('range big', lambda: 'abc'[Ix(-2**100):Ix(2**100)])
class BoolIdx:
    def __index__(self): return True
t('mul', lambda: ([0] * Ix(3), 'ab' * Ix(2), (1,) * Ix(2)))

# int() conversion order
class OnlyIndex:
    def __index__(self): return 7
class OnlyInt:
    def __int__(self): return 8
class OnlyTrunc:
    def __trunc__(self): return 9
class IntAndIndex:
    def __int__(self): return 1
    def __index__(self): return 2
class BadInt:
    def __int__(self): return 'x'
class BadIndex:
    def __index__(self): return 'y'
class BadTrunc:
    def __trunc__(self): return 'z'
class TruncToIndex:
    def __trunc__(self): return OnlyIndex()
class IntSubRet:
    def __int__(self): return True
class TruncInt(int):
    pass
class RetSub:
    def __int__(self): return TruncInt(4)
for c in (OnlyIndex, OnlyInt, IntAndIndex, BadInt, BadIndex):
    t('int(%s)' % c.__name__, lambda: (lambda r: (r, type(r).__name__))(int(c())))
t('int(object)', lambda: int(object()))
t('int(None)', lambda: int(None))
t('int([])', lambda: int([]))
t('index(OnlyInt)', lambda: [1, 2][OnlyInt()])
t('operator index', lambda: (hex(OnlyIndex()), bin(OnlyIndex()), oct(OnlyIndex())))
t('hex(OnlyInt)', lambda: hex(OnlyInt()))
t('float->int', lambda: (int(3.9), int(-3.9), int(True)))
t('int(float nan)', lambda: int(float('nan')))
t('int(float inf)', lambda: int(float('inf')))
