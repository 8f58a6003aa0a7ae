# str(), bytes(), bytearray(), memoryview(): values and argument errors
def show(src):
    try:
        r = eval(src)
        print(src, '->', type(r).__name__, repr(r))
    except Exception as e:
        print(src, '!!', type(e).__name__, e)

for src in [
    "str()", "str(5)", "str('abc')", "str([1, 'a'])", "str(b'abc')", "str(None)", "str(1.5)",
    "str(object='x')", "str(b'\\xe9', 'latin-1')", "str(b'\\xff', 'utf-8', 'replace')",
    "str(b'\\xff', errors='ignore')", "str(errors='strict')", "str(b'ab', errors='strict')",
    "str(bytearray(b'ab'), 'ascii')", "str(memoryview(b'ab'), 'ascii')", "str(encoding='ascii')",
    "str(1, 2, 3, 4)", "str(b'a', encoding=1)", "str(b'a', 'utf-8', 3)", "str(1, 'utf-8')",
    "str('a', 'utf-8')", "str(x=1)", "str(object=1, foo=2)", "str(1, object=2)",
    "bytes()", "bytes(3)", "bytes(0)", "bytes([1, 2, 3])", "bytes(b'ab')", "bytes(bytearray(b'xy'))",
    "bytes('\\xe9', 'utf-8')", "bytes('\\xe9', 'ascii', 'ignore')", "bytes(['a'])",
    "bytes(memoryview(b'qq'))", "bytes((65, 66))", "bytes('x', encoding='utf-8')", "bytes(source=1)",
    "bytes([2 ** 70])", "bytes(2 ** 70)", "bytes(iter([7, 8]))", "bytes(True)", "bytes([-1])",
    "bytes('a')", "bytes(1.5)", "bytes(-1)", "bytes([256])", "bytes('a', 'ascii', 'strict', 4)",
    "bytes(x=1)", "bytes(3, 'ascii')", "bytes(errors='x')", "bytes(encoding='x')",
    "bytes('a', errors='strict')", "bytes(3, errors='strict')", "bytes(None)", "bytes(b'a', 1)",
    "bytearray()", "bytearray(2)", "bytearray(b'ab')", "bytearray([1, 2])", "bytearray('ab', 'ascii')",
    "bytearray(iter(b'hi'))", "bytearray(-1)", "bytearray('a')", "bytearray(1.5)", "bytearray(x=1)",
    "bytearray(3, 'a')", "bytearray([300])",
    "bytes(memoryview(b'ab'))", "len(memoryview(object=b'a'))", "bytes(memoryview(bytearray(3)))",
    "memoryview(1)", "memoryview(x=1)", "memoryview(b'a', 2)", "memoryview()", "memoryview('a')",
]:
    show(src)

s = 'abc'
print(str(s) is s)
b = b'xyz'
print(bytes(b) is b)
ba = bytearray(b'xyz')
print(bytearray(ba) is ba, bytearray(ba) == ba)
x = bytearray(b'A')
print(bytes(x) is bytes(x), bytes(memoryview(b'A')) is bytes(memoryview(b'A')))
print(bytes([65]) is bytes([65]), bytes(iter([65])) is bytes(iter([65])), bytes((65,)) is bytes((65,)))
print(bytes('A', 'ascii') is bytes('A', 'ascii'), str(b'A', 'ascii') is str(b'A', 'ascii'))
print(bytes() is bytes(), bytes([]) is bytes(), str() is str(), str(b'', 'ascii') is str())
print(frozenset() is frozenset(), tuple() is tuple())
