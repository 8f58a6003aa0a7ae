# Attribute reads and method calls through the library's generic paths
# (getattr(), hasattr(), and C code calling a method by name: dict(m) calls
# m.keys(), m[k] through __getitem__), with the class changed under them:
# class attributes added, replaced and deleted on a base, a data descriptor
# put over an instance value, an instance value shadowing a method,
# __class__ assignment, __getattribute__ / __getattr__, metaclass attributes.

class Base:
    pass

class Sub(Base):
    pass

s = Sub()
s.a = 1
s.b = 2
print(getattr(s, 'a'), getattr(s, 'b'), hasattr(s, 'c'))
Base.c = 'Base.c'
print(getattr(s, 'c'))
Base.c = 'Base.c2'
print(getattr(s, 'c'))
del Base.c
print(hasattr(s, 'c'), getattr(s, 'c', 'default'))
Base.a = 'Base.a'
print(getattr(s, 'a'))
Base.a = property(lambda self: 'prop')
print(getattr(s, 'a'), s.a)
del Base.a
print(getattr(s, 'a'), s.a)
for i in range(20):
    Base.v = i
    assert getattr(s, 'v') == i and s.v == i
print('v ok', s.v)


class Mapping:
    def __init__(self):
        self.data = {'x': 1, 'y': 2}
    def keys(self):
        return list(self.data)
    def __getitem__(self, k):
        return self.data[k]

m = Mapping()
print(sorted(dict(m).items()))
m.keys = lambda: ['x']               # an instance attribute shadows the method
print(sorted(dict(m).items()))
del m.keys
print(sorted(dict(m).items()))
Mapping.keys = lambda self: ['y']    # the class's method replaced
print(sorted(dict(m).items()))
m.__dict__['keys'] = lambda: ['x', 'y']
print(sorted(dict(m).items()))


class Other:
    def keys(self):
        return ['z']
    def __getitem__(self, k):
        return k * 2

del m.keys
m.__class__ = Other
print(sorted(dict(m).items()), type(m).__name__)


class Hooked:
    def keys(self):                      # found on the class, but the hook decides
        return ['never']
    def __getattribute__(self, name):
        if name == 'keys':
            return lambda: ['h']
        return object.__getattribute__(self, name)
    def __getitem__(self, k):
        return k + '!'

print(sorted(dict(Hooked()).items()))


class Lazy:
    def __getattr__(self, name):
        return 'lazy ' + name

lz = Lazy()
lz.real = 'real'
print(getattr(lz, 'real'), getattr(lz, 'missing'))
Lazy.real = 'class real'
print(getattr(lz, 'real'))


class Meta(type):
    tag = 'meta tag'
    def describe(cls):
        return 'class ' + cls.__name__

class WithMeta(metaclass=Meta):
    pass

print(getattr(WithMeta, 'tag'), WithMeta.describe(), hasattr(WithMeta(), 'tag'))
WithMeta.tag = 'own tag'
print(getattr(WithMeta, 'tag'), Meta.tag)
print(getattr(1, 'real'), getattr('ab', 'upper')(), hasattr(3.5, 'imag'))
