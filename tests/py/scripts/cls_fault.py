# Allocation faults through class creation with value-type bases and a
# metaclass, list[int], __class__ assignment, exception groups and codec errors.
class I(int):
    def __new__(cls, v, tag='t'):
        self = super().__new__(cls, v)
        self.tag = tag
        return self
class S(str):
    __slots__ = ('a',)
class M(type):
    def __new__(mcs, name, bases, ns, **kw):
        return super().__new__(mcs, name, bases, ns)
class X(metaclass=M, k=1):
    pass
i = I(2 ** 80, 'big')
s = S('h\xe9llo')
s.a = s
t = type('T', (tuple,), {})((1, [2]))
alias = list[int]
class A: pass
class B: pass
a = A()
a.__class__ = B
eg = ExceptionGroup('g', [ValueError(1), TypeError(2)])
m, r = eg.split(ValueError)
try:
    b'\xff'.decode()
except UnicodeDecodeError as e:
    err = (e.start, e.end)
print(i + 1, i.tag, str(s), t, repr(alias), type(a).__name__, str(m), str(r), err, pow(3, -1, 7), f'{i:x}')
