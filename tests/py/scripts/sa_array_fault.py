# array under allocation failures (run.py's fault sweep): construction,
# growth, slices, conversions, repr, exports.
import array
a = array.array('i', [1, 2, 3])
for i in range(20):
    a.append(i)
a.extend(range(5))
a.frombytes(bytes(8))
a.fromlist([7, 8])
a[2:4] = array.array('i', [9, 9, 9])
del a[::2]
b = a[1:6] + a[::-3] * 2
print(a, b, len(a), a.tolist()[:3], a.tobytes()[:8], a == b, a < b)
u = array.array('u', 'héllo')
u.fromunicode('!')
print(u, u.tounicode(), repr(array.array('d', [0.5])))
m = memoryview(a)
try:
    a.append(1)
except BufferError as e:
    print(e)
m[0] = 5
print(m.tolist()[:3], m.format, m.shape)
m.release()
try:
    array.array('b', [300])
except OverflowError as e:
    print(e)
print(array.array('b', array.array('i', [1, 2])), array.array('H', (1, 2)), list(iter(array.array('q', [4]))))
