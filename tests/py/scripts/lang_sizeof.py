import sys, array, collections, io, types
class C: pass
class S: __slots__ = ('a',)
def f(): pass
def gen(): yield 1
objs = [[], (), {}, set(), frozenset(), '', b'', bytearray(), 1, 1.0, 1j, True, None, object(), C(), S(), f, gen(),
        range(3), memoryview(b'a'), slice(1), iter([]), {}.keys(), int, type, 
        collections.deque(), array.array('b'), io.StringIO(), sys, Ellipsis, NotImplemented, len, [].append]
for o in objs:
    try:
        o.__sizeof__(1)
    except TypeError as e:
        print(type(o).__name__, e)
    else:
        print(type(o).__name__, 'no error')
    try:
        o.__sizeof__(x=1)
    except TypeError as e:
        print(type(o).__name__, e)
    try:
        type(o).__sizeof__()
    except TypeError as e:
        print(type(o).__name__, e)
# which types measure themselves (their own __sizeof__), and the sizes stay python3's
for t in (list, tuple, dict, set, frozenset, str, bytes, bytearray, int, float, bool, object, type,
          types.FunctionType, types.GeneratorType, types.CoroutineType, types.AsyncGeneratorType,
          range, memoryview, types.ModuleType, types.BuiltinFunctionType, collections.deque, array.array):
    print(t.__name__, '__sizeof__' in t.__dict__)
print([].__sizeof__(), [1, 2].__sizeof__(), ''.__sizeof__(), 'abc'.__sizeof__(), (10**30).__sizeof__(),
      {}.__sizeof__(), set().__sizeof__(), bytearray(b'xy').__sizeof__(), True.__sizeof__())
print(type(len.__sizeof__).__name__, [].append.__class__.__name__, len.__class__.__name__)
