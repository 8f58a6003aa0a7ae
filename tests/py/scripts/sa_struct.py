# struct: every format character, the modes, alignment, the buffer
# protocol (bytes / bytearray / memoryview) and CPython's error texts.
import struct


def t(fn, *a, **kw):
    try:
        print(fn.__name__, a, kw, '->', fn(*a, **kw))
    except Exception as e:
        print(fn.__name__, a, kw, '!!', type(e).__name__, e)


class Idx:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


class Flt:
    def __float__(self):
        return 2.25


# sizes and alignment of each mode
for mode in ['', '@', '=', '<', '>', '!']:
    print(repr(mode), [struct.calcsize(mode + c) for c in 'xcbB?hHiIlLqQefd'],
          struct.calcsize(mode + 'bi'), struct.calcsize(mode + 'bq'), struct.calcsize(mode + 'b0q'),
          struct.calcsize(mode + '3s2p'), struct.calcsize(mode + 'ch'), struct.calcsize(mode + 'be'))
print([struct.calcsize('@' + c) for c in 'nNP'], struct.calcsize('bP'), struct.calcsize(' 2 h'.replace(' ', '')))

# round trips of every integer code, in every mode, at its limits
for mode in '@=<>!':
    for c in 'bBhHiIlLqQ' + ('nNP' if mode == '@' else ''):
        bits = struct.calcsize(mode + c) * 8
        lo, hi = (0, (1 << bits) - 1) if c in 'BHILQNP' else (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
        for v in (lo, hi, 1, 0, Idx(5)):
            b = struct.pack(mode + c, v)
            print(mode + c, b.hex(), struct.unpack(mode + c, b))
        t(struct.pack, mode + c, hi + 1)
        t(struct.pack, mode + c, lo - 1)
        t(struct.pack, mode + c, 1 << 70)
        t(struct.pack, mode + c, 1.5)
        t(struct.pack, mode + c, '1')

# floats
for mode in '@<>':
    for c in 'efd':
        for v in (0.0, -0.0, 1.5, 0.1, 1 / 3, 6e-8, 1e-7, 65504.0, 65519.0, float('inf'), -float('inf'), 7, True, Flt()):
            try:
                b = struct.pack(mode + c, v)
                print(mode + c, v if not isinstance(v, Flt) else 'Flt', b.hex(), struct.unpack(mode + c, b))
            except Exception as e:
                print(mode + c, v, '!!', type(e).__name__, e)
        print(struct.unpack(mode + c, struct.pack(mode + c, float('nan')))[0] != 0)
        t(struct.pack, mode + c, 'x')
        t(struct.pack, mode + c, 10 ** 400)
t(struct.pack, '<e', 65520.0)
t(struct.pack, '<e', 10 ** 6)
t(struct.pack, '<f', 3.5e38)
t(struct.pack, '@f', 1e300)
t(struct.pack, '<f', 3.4028235e38)

# c ? s p x
t(struct.pack, 'c', b'a')
t(struct.pack, 'c', b'ab')
t(struct.pack, 'c', 'a')
t(struct.pack, 'c', bytearray(b'a'))
t(struct.pack, '2c', b'a', 1)
t(struct.pack, '?', [])
t(struct.pack, '?', 'x')
t(struct.unpack, '?', b'\x05')
t(struct.pack, '5s', b'abc')
t(struct.pack, '2s', b'abcdef')
t(struct.pack, 's', bytearray(b'xy'))
t(struct.pack, 's', 'x')
t(struct.pack, '5p', b'ab')
t(struct.pack, '2p', b'abcdef')
t(struct.pack, 'p', b'abc')
t(struct.pack, '0s0p', b'a', b'b')
print(struct.pack('300p', b'x' * 300)[:3], len(struct.pack('300p', b'x' * 300)))
t(struct.unpack, '5p', b'\x09abcd')
t(struct.unpack, '3s', b'a\x00c')
t(struct.pack, '3x')
t(struct.pack, 'x', 1)
t(struct.pack, 'b3xh', 1, 2)
t(struct.unpack, 'b3xh', b'\x01\x00\x00\x00\x02\x00')
t(struct.pack, '@3i2s?', 1, 2, 3, b'x', True)

# format parsing errors
for f in ['z', '3', 'i3', '<n', '=N', '>P', 'i\0', '9999999999999999999999', '99999999999999999q',
          ' i  h ', 'i h', '\ti\n', '2 i', '']:
    t(struct.calcsize, f)
t(struct.calcsize, b'ii')
t(struct.calcsize, bytearray(b'ii'))
t(struct.calcsize, 5)

# argument counts
t(struct.pack, 'i', 1, 2)
t(struct.pack, 'ii', 1)
t(struct.pack)
t(struct.unpack)
t(struct.unpack, 'i')
t(struct.unpack, 'i', b'abcd', 1)
t(struct.iter_unpack, 'i')

# buffers
t(struct.unpack, 'i', b'abc')
t(struct.unpack, 'i', b'abcde')
t(struct.unpack, '2i', b'')
t(struct.unpack, 'i', 'abcd')
t(struct.unpack, 'i', 5)
t(struct.unpack, '<i', bytearray(b'abcd'))
print(struct.unpack('<h', memoryview(b'xxabcd')[2:4]))
t(struct.Struct, 'i', fmt='x')
for args in [(b'abcdefgh',), (b'abcdefgh', 4), (b'abcdefgh', 5), (b'abcdefgh', -3), (b'abcdefgh', -4),
             (b'abcdefgh', -9), (b'abcdefgh', 9), (b'abc',)]:
    t(struct.unpack_from, '<i', *args)
t(struct.unpack_from, '<i', buffer=b'abcdxxxx', offset=2)
t(struct.unpack_from, '<i', b'abcd', offset='x')
ba = bytearray(8)
for args in [(ba, 0, 1), (ba, 4, -2), (ba, 5, 1), (ba, -3, 1), (ba, -4, 7), (ba, -9, 1), (ba, 9, 1),
             (b'abcdefgh', 0, 1), (ba, 0), (ba, 0, 1, 2), (ba,), ()]:
    t(struct.pack_into, '<i', *args)
    print(ba)
t(struct.pack_into, '<hh', ba, 0, 1, 'x')
print(ba)
mv = memoryview(ba)
struct.pack_into('<h', mv, 6, -1)
print(ba, mv.tobytes())
try:
    struct.pack_into('<h', mv.toreadonly(), 0, 1)
except TypeError as e:
    print('TypeError', e)
mv.release()

# iter_unpack
print(list(struct.iter_unpack('<h', b'\x01\x00\x02\x00\x03\x00')))
it = struct.iter_unpack('<hb', b'abcdefghi')
print(it.__length_hint__(), next(it), it.__length_hint__(), list(it), it.__length_hint__(), list(it))
t(struct.iter_unpack, 'i', b'abc')
t(struct.iter_unpack, '', b'abc')
t(struct.iter_unpack, 'i', 5)
print(type(struct.iter_unpack('b', b'')).__name__, list(struct.iter_unpack('b', b'')))

# Struct objects
s = struct.Struct('<hi')
print(s.format, s.size, type(s).__name__, type(s).__module__, struct.Struct.__module__)
print(struct.Struct(b'>q').format, struct.Struct(format='h').size)
print(s.pack(1, 2), s.unpack(b'\x01\x00\x02\x00\x00\x00'), s.unpack_from(b'xx\x01\x00\x02\x00\x00\x00', 2))
print(s.unpack_from(buffer=b'\x01\x00\x02\x00\x00\x00'), list(s.iter_unpack(b'\x01\x00\x02\x00\x00\x00' * 2)))
buf = bytearray(10)
print(s.pack_into(buf, 1, 3, 4), buf)
t(s.pack, 1)
t(s.unpack, b'ab')
t(struct.Struct, 5)
t(struct.Struct)
t(struct.Struct, 'z')
t(struct.Struct, bytearray(b'i'))
t(struct.Struct, 'i', 'h')
t(struct.Struct, fmt='i')
try:
    s.size = 3
except AttributeError as e:
    print('AttributeError', e)
import sys
print(sys.getsizeof(struct.Struct('i')), sys.getsizeof(struct.Struct('2ii')), struct.Struct('').__sizeof__(),
      struct.Struct('3s').__sizeof__())

# struct.error
print(repr(struct.error), struct.error.__module__, struct.error.__mro__, issubclass(struct.error, Exception))
try:
    struct.pack('b', 300)
except struct.error as e:
    print('caught', type(e).__name__, e.args)
print(struct.__all__)
struct._clearcache()
