# Constructors under allocation faults (run.py's FAULT_SCRIPTS sweep): each
# call below allocates; a fault anywhere must end in MemoryError, no leak.
print(int('123456789012345678901234567890'), int(b'ff', 16), int(7.5), int(' 1_0 '))
print(float('1_2.5e3'), float(b'-inf'), float(3), float('  2.5  '))
print(complex('1+2j'), complex(1, 2), complex('(3-j)'))
print(str(12), str(b'ab', 'ascii'), str(bytearray(b'xy'), errors='strict'))
print(bytes(3), bytes([1, 2]), bytes('hi', 'ascii'), bytearray(b'ab'), bytearray([3, 4]))
print(list('abc'), tuple([1, 2]), sorted(set([3, 1, 2])), sorted(frozenset('ba')))
print(dict([(1, 2), [3, 4]], a=5), dict({'k': 'v'}), slice(1, 2, 3), bool([0]))
print(len(memoryview(b'abcd')), type(None)(), type(...)())
for src in ["int('z')", "float('x' * 40)", "bytes([300])", "dict([(1, 2, 3)])", "int(x=1)",
            "str(b'a', encoding=1)", "complex('1+')", "list(1, 2)", "bytes('a')"]:
    try:
        eval(src)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
