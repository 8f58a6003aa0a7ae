# object.__repr__ names a class by its module and qualified name, as CPython:
# <__main__.A object at 0x...>, nested classes, classes renamed after the fact.
class A:
    class B:
        pass

class S:
    __slots__ = ()

def short(o):
    return repr(o).split(' at 0x')[0]

def f():
    class Local:
        pass
    return Local()

print(short(A()), short(A.B()), short(S()), short(f()), short(object()))
A.__qualname__ = 'Renamed'
A.__module__ = 'elsewhere'
print(short(A()))
A.__module__ = 'builtins'
print(short(A()))
M = type('M', (), {'__module__': 'made'})
print(short(M()), M.__module__)
print(repr(A()).endswith('>'), ' at 0x' in repr(A()))
N = type('N', (), {})
print(short(N()), N.__module__, N)
def g():
    return type('Inner', (A,), {})
print(g().__module__, g())
print(type('W', (), {'__module__': None}).__module__)
