# __class__ assignment: CPython's compatibility rules and messages.
def t(label, f):
    try:
        r = f()
        print(label, repr(r))
    except Exception as e:
        print(label, 'EXC', type(e).__name__, e)
def setc(o, c):
    o.__class__ = c
    return type(o).__name__
class A:
    def who(self): return 'A'
class B:
    def who(self): return 'B'
a = A()
a.x = 1
t('A->B', lambda: (setc(a, B), a.who(), a.x, isinstance(a, B)))
t('to int', lambda: setc(a, int))
t('int to A', lambda: setc(1, A))
t('not a class', lambda: setc(a, 5))
def delc(o):
    del o.__class__
t('delete', lambda: delc(a))
class S:
    __slots__ = ('x',)
class S2:
    __slots__ = ('x',)
class S3:
    __slots__ = ('y',)
t('to slots', lambda: setc(A(), S))
t('slots same', lambda: setc(S(), S2))
t('slots differ', lambda: setc(S(), S3))
class L(list): pass
class L2(list): pass
class D(dict): pass
t('list sub', lambda: setc(L([1]), L2))
t('list to A', lambda: setc(L(), A))
t('list to dict', lambda: setc(L(), D))
class Sub(A): pass
t('to subclass', lambda: setc(A(), Sub))
class I(int): pass
class I2(int): pass
t('int sub', lambda: setc(I(5), I2))
class M(type): pass
class X(metaclass=M): pass
class Y: pass
t('class of class', lambda: setc(X, type))
t('metaclass swap', lambda: setc(Y, M))
