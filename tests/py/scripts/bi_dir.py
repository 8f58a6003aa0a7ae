import sys
print(object.__dir__, type.__dir__, type(sys).__dir__)
class A:
    x = 1
    def __init__(self): self.y = 2
print(sorted(object.__dir__(A())) == dir(A()))
print(type.__dir__(A) == dir(A))
class M(type):
    def __dir__(cls): return ['b', 'a']
class B(metaclass=M): pass
print(dir(B))
class C:
    def __dir__(self): return ('z', 'y')
print(dir(C()))
class D:
    def __dir__(self): return 5
try: dir(D())
except TypeError as e: print(e)
class E:
    __dir__ = None
try: dir(E())
except TypeError as e: print(e)
import types
m = types.ModuleType('m')
m.__dir__ = lambda: ['q']
print(dir(m))
print([n for n in dir(sys) if n in ('path', 'argv', 'modules')])
class P:
    @property
    def __dict__(self): return {'p': 1, 'q': 2}
print([n for n in dir(P()) if n in 'pq'])
class NotDict:
    __dict__ = 5
print('__init__' in dir(NotDict()))
class Meta(type): pass
class K(metaclass=Meta):
    a = 1
print([n for n in dir(K) if not n.startswith('__')])
print(type(object.__dir__(1)).__name__, 'real' in object.__dir__(1))
try:
    dir(1, 2)
except TypeError as e:
    print(e)
class P:
    @property
    def __dict__(self): return {'p': 1, 'q': 2}
p = P()
print(p.__dict__, type(P.__dict__['__dict__']).__name__)
p.x = 1
print(p.__dict__, p.x)
