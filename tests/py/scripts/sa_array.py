# array.array: every typecode, sequence operations, slicing (extended and
# assignment), the methods, comparisons, repr, the buffer protocol
# (memoryview format/shape/zero-copy writes) and sys.getsizeof.
import array
import sys

A = array.array
for tc in array.typecodes:
    if tc == 'u':
        a = A('u', 'hello')
    elif tc in 'fd':
        a = A(tc, [1.5, -2.25, 0.1, 1e10])
    else:
        a = A(tc, range(5))
    print(tc, a, a.typecode, a.itemsize, len(a), a[0], a[-1], a[1:3], a[::-1], a[::2], list(a), a.tolist())
    print('  ', a.tobytes() == bytes(memoryview(a)), A(tc, a.tobytes()) == a, a == A(tc, a), a + a, a * 2)
    b = A(tc, a)
    b.byteswap()
    print('  ', b.tobytes() == b''.join(bytes(reversed(a.tobytes()[i:i + a.itemsize]))
                                     for i in range(0, len(a.tobytes()), a.itemsize)), b != a or len(a) == 0)
    m = memoryview(a)
    print('  ', m.format, m.itemsize, m.shape, m.strides, m.ndim, m.nbytes, m.readonly, m.obj is a, m.contiguous)
    m.release()

# limits of each integer typecode
for tc in 'bBhHiIlLqQ':
    size = A(tc).itemsize * 8
    lo, hi = (0, (1 << size) - 1) if tc.isupper() else (-(1 << (size - 1)), (1 << (size - 1)) - 1)
    a = A(tc, [lo, hi])
    print(tc, a, a[0] == lo, a[1] == hi)
    for bad in (lo - 1, hi + 1):
        try:
            a.append(bad)
        except OverflowError as e:
            print('  OverflowError', e)
print(A('f', [1e39, -1e39, 1e-50]), A('d', [float('inf')]), A('f', [float('nan')])[0] != 0)

# sequence behaviour
a = A('i', [5, 1, 4, 1, 5, 9, 2, 6])
print(a.count(1), a.count(7), a.index(5), a.index(5, 1), a.index(1, -6), 9 in a, 10 in a, 1.0 in a)
try:
    a.index(5, 1, 4)
except ValueError as e:
    print('ValueError', e)
a.append(3)
a.insert(0, 100)
a.insert(-1, 200)
a.insert(1000, 300)
a.insert(-1000, 400)
print(a, a.pop(), a.pop(0), a.pop(-2), a)
a.remove(1)
a.reverse()
print(a)
a.extend([7, 8])
a.extend(A('i', [9]))
a.extend(x * 2 for x in range(3))
a.fromlist([11, 12])
a.frombytes(A('i', [13]).tobytes())
print(a, len(a))
a += A('i', [14])
a *= 2
print(a)
a *= 0
print(a, len(a))
for x in A('h', [3, 2, 1]):
    print(x, end=' ')
print(list(reversed(A('b', [1, 2, 3]))), sorted(A('d', [3, 1, 2])), sum(A('B', [1, 2, 3])), max(A('q', [4, 8])))
it = iter(A('b', [1, 2]))
print(next(it), next(it), next(it, 'done'), next(it, 'done'))

# slices
a = A('i', range(10))
print(a[2:5], a[-3:], a[:-7], a[::3], a[8:2:-2], a[100:], a[5:2])
a[2:5] = A('i', [20, 30])
print(a)
a[0:0] = A('i', [-1, -2])
print(a)
a[::2] = A('i', range(100, 100 + len(a[::2])))
print(a)
a[-1:] = A('i')
del a[1:3]
print(a)
del a[::3]
print(a)
del a[::-2]
print(a)
a[:] = a
print(a)
a[1:1] = a
print(a)
b = A('i', range(6))
b[4:1:-1] = A('i', [7, 8, 9])
print(b)
for bad in ([1], A('h', [1])):
    try:
        b[0:1] = bad
    except TypeError as e:
        print('TypeError', e)
try:
    b[::2] = A('i', [1])
except ValueError as e:
    print('ValueError', e)
b[1] = -5
b[-1] = 66
del b[0]
print(b)
for bad in (10, -10):
    try:
        b[bad]
    except IndexError as e:
        print('IndexError', e)
    try:
        b[bad] = 1
    except IndexError as e:
        print('IndexError', e)
    try:
        del b[bad]
    except IndexError as e:
        print('IndexError', e)
try:
    b['x']
except TypeError as e:
    print('TypeError', e)

# comparisons (item by item, across typecodes)
x, y = A('i', [1, 2, 3]), A('d', [1.0, 2.0, 3.0])
print(x == y, x != y, x < A('i', [1, 2, 4]), x <= x, A('b', [1, 2]) < x, x > A('B', [1, 2]), x >= A('q', [1, 2, 3, 0]))
print(x == [1, 2, 3], x != (1, 2, 3), A('d', [float('nan')]) == A('d', [float('nan')]))
for bad in (lambda: x < [1], lambda: x + [1], lambda: x + A('b'), lambda: x * 'x', lambda: x + 1):
    try:
        bad()
    except TypeError as e:
        print('TypeError', e)
try:
    hash(x)
except TypeError as e:
    print('TypeError', e)

# repr
print(repr(A('d', [0.1, 1e100])), repr(A('u')), repr(A('u', 'x\'y"\n\u20ac')), str(A('b', [-1])))

# unicode arrays
u = A('u', 'abc')
u.fromunicode('de')
u.append('f')
print(u, u.tounicode(), len(u), u[1], u[::-1].tounicode(), u.tobytes()[:8])
for bad in (lambda: u.append('xy'), lambda: u.append(1), lambda: A('i').fromunicode('x'), lambda: u.fromunicode(1),
            lambda: A('i').tounicode()):
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)

# the buffer protocol
a = A('h', [1, 2, 3, 4])
m = memoryview(a)
print(m.format, m.itemsize, m.shape, m.strides, m.tolist(), m[1], m[1:3].tolist())
m[0] = -7
m[2:4] = memoryview(A('h', [30, 40]))
print(a)
a[1] = 99
print(m.tolist(), bytes(m[:1]))
for op in (lambda: a.append(5), lambda: a.pop(), lambda: a.extend([1]), lambda: a.frombytes(b'\0\0'),
           lambda: a.insert(0, 1), lambda: a.remove(99), lambda: a.__delitem__(0), lambda: a.fromlist([1])):
    try:
        op()
        print('no error')
    except BufferError as e:
        print('BufferError', e)
a[0:2] = A('h', [5, 6])        # same length: allowed
a.fromlist([])
a *= 1
print(a, m.tolist())
m2 = m.cast('B')
print(m2.format, len(m2), m2.tolist()[:4])
m.release()
try:
    a.append(1)
except BufferError as e:
    print('BufferError', e)
m2.release()
a.append(1)
print(a, len(a))
with memoryview(A('d', [1.5, 2.5])) as md:
    print(md.format, md.tolist(), md.nbytes)
print(bytes(A('B', [104, 105])), bytearray(A('b', [65])), A('i', [1]).tobytes() == bytes(A('i', [1])))
import struct
print(struct.unpack('3h', A('h', [7, 8, 9])), struct.pack_into('h', A('h', [0]), 0, 5))
e = A('q')
me = memoryview(e)
print(me.shape, me.nbytes, me.tolist(), bytes(me))
me.release()

# sizes: 80 bytes plus what is allocated, CPython's growth pattern
a = A('i')
sizes = []
for i in range(60):
    a.append(i)
    sizes.append(sys.getsizeof(a))
print(sizes)
print([sys.getsizeof(A(tc, [1, 2, 3] if tc != 'u' else 'abc')) for tc in array.typecodes])
print(sys.getsizeof(A('i', range(10))), sys.getsizeof(A('d', b'x' * 16)), sys.getsizeof(A('b', (1, 2))),
      sys.getsizeof(A('i', [1]) * 5), sys.getsizeof(A('i', range(40))[1:30]), A('i', [1, 2]).__sizeof__())
a = A('i', range(100))
while len(a) > 3:
    a.pop()
print(sys.getsizeof(a))
del a[:]
print(sys.getsizeof(a), a.buffer_info()[1])
a = A('b', range(50))
del a[10:]
print(sys.getsizeof(a))
b = A('b', range(50))
b.fromlist(list(range(20)))
print(sys.getsizeof(b))
print(array.ArrayType is A, type(A('b')).__name__, A.__module__, type(iter(A('b'))).__name__)
c = A('i', [1, 2])
print(c.__copy__(), c.__deepcopy__({}), c.__copy__() is c)

# tofile / fromfile through file objects
import os
name = 'sa_array_tmp_%d.bin' % os.getpid()
try:
    with open(name, 'wb') as f:
        A('h', [1, 2, 3]).tofile(f)
        A('h', [4]).tofile(f)
    r = A('h')
    with open(name, 'rb') as f:
        r.fromfile(f, 2)
        print(r)
        try:
            r.fromfile(f, 5)
        except EOFError as e:
            print('EOFError', e, r)
    for bad in ((None, 1), ('x', -1)):
        try:
            r.fromfile(*bad)
        except (AttributeError, ValueError) as e:
            print(type(e).__name__, e)
finally:
    os.remove(name)
print(os.path.exists(name))

# initializers that are iterated
class Counted:
    calls = 0

    def __iter__(self):
        Counted.calls += 1
        return iter([3, 4])


print(A('i', Counted()), Counted.calls, A('i', (x for x in range(3))), A('b', range(4)), A('d', {1: 2}),
      A('u', iter('xy')), A('i', A('b', [1, 2])), sys.getsizeof(A('i', range(5))), sys.getsizeof(A('i', (1, 2))))
try:
    A('i', (x for x in [1, 'a']))
except TypeError as e:
    print('TypeError', e)

# a 'u' array's buffer has format 'w', which memoryview cannot unpack
m = memoryview(A('u', 'ab'))
print(m.format, m.itemsize, len(m), m.tobytes())
for f in (lambda: m.tolist(), lambda: m[0], lambda: m.cast('B').tolist(), lambda: m == m):
    try:
        print(f())
    except NotImplementedError as e:
        print('NotImplementedError', e)
