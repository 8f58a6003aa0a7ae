# int(), bool(), float(), complex(): values and argument errors (CPython 3.11)
def show(src):
    try:
        r = eval(src)
        print(src, '->', type(r).__name__, repr(r))
    except Exception as e:
        print(src, '!!', type(e).__name__, e)

for src in [
    # int
    "int()", "int('12')", "int(' 12 ')", "int('-0b101', 0)", "int('z', 36)", "int('0x10', 0)",
    "int(' -1_0 ')", "int('1_000')", "int('12', base=3)", "int(b'12', 16)", "int(bytearray(b'12'))",
    "int(memoryview(b'12'))", "int(3.9)", "int(-3.9)", "int(True)", "int(10**30)", "int(-0.0)",
    "int(1e300)", "int('0', 0)", "int('000', 0)", "int('0o17', 8)", "int('0b1', 0)",
    "int('z')", "int(b'z')", "int(bytearray(b'z'), 16)", "int(memoryview(b'q'))", "int('')",
    "int('1__0')", "int('010', 0)", "int('9', 8)", "int('_1')", "int('1_')", "int('z', 0)",
    "int('1' * 5000)", "len(str(int('1' * 4300)))", "int('1' * 5000, 16) > 0",
    "int(x=1)", "int(1, 2, 3)", "int('1', bas=3)", "int(1, base=10)", "int(1.5, 10)",
    "int('1', base='a')", "int('1', 37)", "int('1', 1)", "int('1', -1)", "int(1.5, 37)",
    "int(base=10)", "int([])", "int(())", "int(None)", "int(1j)", "int('1', 0.5)", "int(float('inf'))",
    "int(float('-inf'))", "int(float('nan'))", "int(set())", "int('1', 2, base=2)",
    # bool
    "bool()", "bool(0)", "bool(1)", "bool([1])", "bool('')", "bool(None)", "bool(0.0)",
    "bool(x=1)", "bool(1, 2)",
    # float
    "float()", "float('1.5')", "float(3)", "float(True)", "float(10**400)", "float('inf')",
    "float('-iNfinity')", "float('+INF')", "float('nan ')", "float('-nan')", "float('1e500')",
    "float('-1e-500')", "float(' +.5 ')", "float('5.')", "float('1.e5')", "float(b' 2.5\\n')",
    "float(bytearray(b'7'))", "float(memoryview(b'1'))", "float('0.1')", "float('1_2.3_4e1_0')",
    "float(' 1_0.5 ')", "float('1e5_0')", "float('\\t-3.25E-2 ')", "float(2**53 + 1)",
    "float('x')", "float('')", "float('  ')", "float('0x1p3')", "float('1__0')", "float('infx')",
    "float('1e')", "float('.e5')", "float('._5')", "float('1_.5')", "float('1._5')",
    "float('1e_5')", "float('1e5j')", "float('.')", "float('-')", "float('in')", "float('nana')",
    "float(b'q')", "float(bytearray(b'q'))", "float('a' * 300)",
    "float(x=1)", "float(1, 2)", "float([])", "float(None)", "float(1, x=1)", "float(1j)",
    # complex
    "complex()", "complex(1)", "complex(1, 2)", "complex(1.5, -2)", "complex(1j, 1j)",
    "complex(True, 1)", "complex(real=1, imag=2)", "complex(imag=2)", "complex(real='1')",
    "complex('1+2j')", "complex('  (1-2j) ')", "complex('j')", "complex('-j')", "complex('+J')",
    "complex('1+j')", "complex('1-J')", "complex('2.5e1J')", "complex('inf+nanj')", "complex('3')",
    "complex('-1.5')", "complex('1e3-2e-3j')", "complex('( 2j )')",
    "complex('x')", "complex('')", "complex('1 + 2j')", "complex('1+2')", "complex('j1')",
    "complex('()')", "complex('(1')", "complex('1+2jj')",
    "complex(1, '2')", "complex('1', '2')", "complex('1', imag=0)", "complex(x=1)",
    "complex([])", "complex(1, [])", "complex(b'1')", "complex(None)",
    # non-ASCII text: Unicode digits and white space
    "int('\u0661\u0662')", "float('\u0661\u0662')", "int('\u3000 42\u2003')",
    "float('\xa01.5\u2028')", "int('\u0661\u0662x')", "int('\xe9')", "float('\xe9')",
    "float('1.\u0665')", "int('\uff11\uff10', 16)", "int('\U0001D7CE7')", "int('1\xe9' * 150)",
    "complex('\u0661+\u0662j')", "int('\u0661_\u0662')", "float('\xbd')", "int('\xb2')",
]:
    show(src)

big = 10 ** 30
print(int(big) is big)
f = 2.5
print(float(f) is f)
c = 3j
print(complex(c) is c)
print(bool(5) is True, bool() is False)
