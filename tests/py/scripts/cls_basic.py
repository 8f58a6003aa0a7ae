# Classes from type(name, bases, ns): attributes, MRO, __slots__, slot
# wrappers.  (Error cases are in tests/c/test_class.c: the VM has no
# try/except yet.)  (The VM's builtins have no int/object/bool yet:
# they are reached through type().)
int = type(1)
object = type(1).__mro__[-1]
C = type('C', (), {'x': 1, '__module__': '__main__', '__doc__': 'doc'})
print(C, C.__name__, C.__qualname__, C.__module__, C.__doc__, C.__mro__, C.__bases__, C.x)
c = C()
c.y = 5
print(c.y, c.x, c.__dict__, type(c) is C)
D = type('D', (C,), {'z': 2, '__module__': '__main__'})
d = D()
print(D.__mro__, d.x, d.z, D.__base__, C.__subclasses__())
S = type('S', (), {'__slots__': ('b', 'a'), '__module__': '__main__'})
s = S()
s.a = 3
print(s.a, S.__slots__, S.a)
print(int.__add__(1, 2), (1).__add__(2), int.__radd__(1, 2), object.__eq__(c, c), object.__ne__(c, d))
print(int.__add__, object.__init__)
object.__setattr__(c, 'w', 7)
print(c.w, object.__getattribute__(c, 'w'))
C.__name__ = 'E'
print(C.__name__, C.__qualname__, C)
