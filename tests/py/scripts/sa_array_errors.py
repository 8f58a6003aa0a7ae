# array: construction, item conversions (CPython's overflow texts), the
# methods' errors, BufferError while a memoryview is exported, sizes.
def getitem(a, k): return a[k]
def setitem(a, k, v): a[k] = v
def delitem(a, k): del a[k]
def add(a, b): return a + b
def eq(a, b): return a == b
def lt(a, b): return a < b
def iadd(a, b):
    a += b
    return a
def imul(a, b):
    a *= b
    return a
import array, sys
def t(fn, *a):
    try: print(fn.__name__ if hasattr(fn,'__name__') else fn, a, '->', fn(*a))
    except Exception as e: print(a, '!!', type(e).__name__, e)
for tc in 'bBuhHiIlLqQfd':
    a = array.array(tc)
    print(tc, a.itemsize, a.typecode, repr(a), sys.getsizeof(a))
for tc, v in [('b',128),('b',-129),('b', 40000),('B',256),('B',-1),('h',1<<15),('H',-1),('H',1<<16),('i',1<<31),('I',-1),('I',1<<32),('l',1<<63),('L',-1),('L',1<<64),('q',1<<63),('Q',-1),('Q',1<<64), ('b', 1.5), ('b','x'), ('f','x'), ('u', 'ab'), ('u', 1), ('d', 1), ('f', 1<<2000), ('i', 1<<100)]:
    t(array.array, tc, [v])
t(array.array, 'z'); t(array.array); t(array.array, 'i', 5); t(array.array, 'i', 'abc'); t(array.array, 'u', 'abc'); t(array.array, 'b', b'ab'); t(array.array, 'i', b'abc'); t(array.array, 'u', [1]); t(array.array, 'u', ['ab'])
t(array.array, 'ii'); t(array.array, 5); t(array.array, 'i', [], 3); t(array.array, 'i', bytearray(b'abcd')); t(array.array, 'b', array.array('i',[1,2]))
t(array.array, 'u', array.array('i')); t(array.array, 'i', array.array('u','ab'))
print(array.typecodes, array.ArrayType is array.array, array.array.__module__, array.array.__name__)
a = array.array('i', [1,2,3])
t(getitem, a, 5); t(setitem, a, 5, 1); t(a.pop, 5); t(array.array('i').pop); t(a.remove, 9); t(a.index, 9); t(setitem, a, slice(0,2), [1]); t(setitem, a, slice(0,3,2), array.array('i',[1])); t(iadd, a, array.array('b')); t(add, a, [1]); t(a.frombytes, b'abc'); t(a.fromlist, (1,)); t(a.fromlist, [1, 'x']); print(a)
t(eq, a, [1,2,3]); t(lt, a, [1]); t(setitem, a, 'x', 1); t(getitem, a, 'x'); t(a.fromunicode, 'x'); t(array.array('u').tounicode); t(a.tounicode); t(a.extend, 5); t(a.extend, array.array('d')); t(a.insert, 'x', 1); t(delitem, a, 10)
m = memoryview(a)
t(a.append, 1); t(a.extend, [1]); t(a.pop); t(delitem, a, 0); t(delitem, a, slice(0,1)); t(iadd, a, a); t(imul, a, 2); t(a.frombytes, b'abcd'); t(a.remove, 1); t(a.insert, 0, 1); t(setitem, a, slice(0,1), array.array('i')); t(setitem, a, 0, 9); t(a.fromlist, [1]); t(a.fromlist, [])
print(m.format, m.itemsize, m.shape, m.strides, m.readonly, m.nbytes, m.tolist(), m.ndim, m.c_contiguous)
m[0] = 42; print(a, m.obj is a); m.release(); a.append(7); print(a)
for tc in 'bBuhHiIlLqQfd':
    print(tc, memoryview(array.array(tc)).format)
print(array.array('d', [1.5, 2]).buffer_info()[1], array.array('u','héllo'), repr(array.array('u', 'a\n\'"')), array.array('f',[0.1]), array.array('b',[1,2])+array.array('b',[3]), array.array('b',[1,2])*2, 3*array.array('b',[1]), array.array('b',[1,2])*-1)
a=array.array('i'); 
for i in range(40): a.append(i); print(sys.getsizeof(a), end=' ')
print()
for i in range(40): a.pop(); print(sys.getsizeof(a), end=' ')
print()
print(sys.getsizeof(array.array('i',[1,2,3])), sys.getsizeof(array.array('i',range(10))), sys.getsizeof(array.array('d',b'x'*16)), sys.getsizeof(array.array('u', 'abc')))
