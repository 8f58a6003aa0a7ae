# UnicodeDecodeError / UnicodeEncodeError / UnicodeTranslateError built from Python and raised by the codecs.
def t(label, f):
    try:
        r = f()
        print(label, repr(r))
    except Exception as e:
        print(label, 'EXC', type(e).__name__, e)
e = UnicodeDecodeError('utf-8', b'\xffabc', 0, 1, 'invalid start byte')
t('decode', lambda: (str(e), repr(e), e.encoding, e.object, e.start, e.end, e.reason, e.args))
e.start = 1
e.end = 3
e.reason = 'other'
t('decode set', lambda: str(e))
t('decode one', lambda: str(UnicodeDecodeError('ascii', bytearray(b'a\x80'), 1, 2, 'ordinal not in range(128)')))
t('decode range', lambda: str(UnicodeDecodeError('ascii', b'ab', 0, 2, 'bad')))
t('decode empty', lambda: str(UnicodeDecodeError('ascii', b'', 0, 0, 'bad')))
t('decode args', lambda: UnicodeDecodeError('utf-8', b'x', 0, 1))
t('decode types', lambda: UnicodeDecodeError(1, b'x', 0, 1, 'r'))
t('decode obj', lambda: UnicodeDecodeError('utf-8', 'x', 0, 1, 'r'))
e2 = UnicodeEncodeError('ascii', 'h\xe9llo', 1, 2, 'ordinal not in range(128)')
t('encode', lambda: (str(e2), e2.encoding, e2.object, e2.start, e2.end, e2.reason))
t('encode wide', lambda: (str(UnicodeEncodeError('ascii', '\u20ac', 0, 1, 'r')), str(UnicodeEncodeError('ascii', '\U0001f600', 0, 1, 'r'))))
t('encode range', lambda: str(UnicodeEncodeError('ascii', 'abc', 0, 3, 'r')))
t('encode types', lambda: UnicodeEncodeError('ascii', b'x', 0, 1, 'r'))
e3 = UnicodeTranslateError('h\xe9', 1, 2, 'no mapping')
t('translate', lambda: (str(e3), e3.encoding, e3.object, e3.start, e3.end, e3.reason, e3.args))
t('translate range', lambda: str(UnicodeTranslateError('abc', 0, 2, 'r')))
t('translate args', lambda: UnicodeTranslateError('a', 0, 1))
t('raise', lambda: (_ for _ in ()).throw(UnicodeDecodeError('utf-8', b'\xff', 0, 1, 'bad')))
try:
    b'\xff'.decode('utf-8')
except UnicodeDecodeError as x:
    t('real', lambda: (x.encoding, x.object, x.start, x.end, x.reason, str(x)))
try:
    'é'.encode('ascii')
except UnicodeEncodeError as x:
    t('real enc', lambda: (x.encoding, x.object, x.start, x.end, x.reason, str(x)))
class MyErr(UnicodeDecodeError):
    pass
t('subclass', lambda: str(MyErr('utf-8', b'\xff', 0, 1, 'bad')))
t('isinstance', lambda: (isinstance(e, ValueError), isinstance(e, UnicodeError)))
t('bad start', lambda: str(UnicodeDecodeError('utf-8', b'ab', 5, 9, 'r')))
