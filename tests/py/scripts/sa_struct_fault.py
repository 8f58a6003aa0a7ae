# struct under allocation failures (run.py's fault sweep): every path that
# allocates — parsing, packing, unpacking, iterators, pack_into, errors.
import struct
s = struct.Struct('<2h3sq?e')
b = s.pack(1, -2, b'ab', 1 << 40, True, 1.5)
print(b, s.unpack(b), s.size, s.format)
ba = bytearray(40)
struct.pack_into('>iQ', ba, 4, -7, 1 << 63)
print(ba, struct.unpack_from('>iQ', ba, 4), struct.unpack_from('@bq', memoryview(ba), offset=0))
print(list(struct.iter_unpack('<hb', b'abcdefghi')))
for f, v in (('b', 300), ('<I', -1), ('c', 'x'), ('z', 1), ('>q', 1 << 64)):
    try:
        struct.pack(f, v)
    except struct.error as e:
        print(f, e)
try:
    struct.unpack('i', b'abc')
except struct.error as e:
    print(e)
print(struct.calcsize('@bi'), struct.calcsize('=bi'))
