# lib/io.py's StringIO and BytesIO against CPython's io.
import io

s = io.StringIO()
print(s.write('hello\n'), s.write('world'), s.tell())
print(repr(s.getvalue()))
print(s.seek(0), repr(s.readline()), repr(s.read()), repr(s.read()))
s.seek(2)
s.write('LL')
print(repr(s.getvalue()), s.tell())
print(s.truncate(4), repr(s.getvalue()))
s.seek(0, 2)
print(s.tell())
print(list(io.StringIO('a\nb\nc')), io.StringIO('x\ny\n').readlines())
try:
    s.write(b'bytes')
except TypeError as e:
    print('TypeError', e)
s.close()
print(s.closed)
try:
    s.getvalue()
except ValueError as e:
    print('ValueError', e)
with io.StringIO('ctx') as c:
    print(c.read(2), c.read(5), repr(c.read()))
print(c.closed)

b = io.BytesIO(b'0123456789')
print(b.read(3), b.tell(), b.read(), b.read())
b.seek(-4, 2)
print(b.read(2))
b.seek(2)
print(b.write(b'AB'), b.getvalue(), b.tell())
b.seek(12)
b.write(b'!')
print(b.getvalue())
buf = bytearray(4)
b.seek(0)
print(b.readinto(buf), buf)
m = memoryview(bytearray(3))
print(b.readinto(m), bytes(m))
try:
    io.BytesIO(b'ZZZZ').readinto(memoryview(b'abc'))
except TypeError as e:
    print('TypeError', e)
print(b.write(memoryview(b'xyz')), b.getvalue())
try:
    b.write('str')
except TypeError as e:
    print('TypeError', e)
print(io.BytesIO(b'l1\nl2\n').readlines())
print(io.SEEK_SET, io.SEEK_CUR, io.SEEK_END)
