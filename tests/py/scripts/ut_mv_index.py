# memoryview items and keys through __index__/__float__ (found by
# CPython's test_memoryview under pymm): packing converts as CPython's
# pack_single, slices take __index__ bounds, reversed() works through the
# sequence protocol, and a view released by the conversion is reported
# (ValueError) without writing into the freed memory.
m=memoryview(bytearray(8)).cast('d')
class F:
    def __float__(self): return 2.5
class I:
    def __index__(self): return 3
class E:
    def __index__(self): raise KeyError('k')
class BadF:
    def __float__(self): return 1
class Big:
    def __index__(self): return 10**30
m[0]=F(); print(m[0]); m[0]=I(); print(m[0])
b=memoryview(bytearray(8))
b[0]=I(); print(b[0])
for fmt in 'bBhHiIlLqQnN':
    x = memoryview(bytearray(16)).cast(fmt)
    for v in (1.5, E(), 300, -1, I(), Big(), 'x', True):
        try:
            x[0]=v; print(fmt, x[0])
        except Exception as e: print(fmt, type(e).__name__, e)
for fmt in 'fd':
    x = memoryview(bytearray(16)).cast(fmt)
    for v in ('x', E(), F(), I(), BadF(), Big(), 10**400):
        try:
            x[0]=v; print(fmt, x[0])
        except Exception as e: print(fmt, type(e).__name__, e)
print(list(reversed(memoryview(b'abc'))), memoryview(b'abcd')[I()], bytes(memoryview(b"abcdef")[I():]), bytes(memoryview(b'abcdef')[:I()]))
try: memoryview(b'abc')[E()]
except KeyError as e: print('KeyError', e)
try: memoryview(b'abc')[Big()]
except IndexError as e: print('IndexError', e)
try: memoryview(b'abc')[1.0]
except TypeError as e: print('TypeError', e)
try: reversed(memoryview(b'abc').cast('B', (1, 3)))
except Exception as e: print(type(e).__name__, e)
try: list(reversed(memoryview(b'abc').cast('B', (1, 3))))
except Exception as e: print(type(e).__name__, e)

size = 64
held = []


def release(view):
    view.release()
    held.append(bytearray(size))   # may reuse the freed block


class Releasing:
    def __init__(self, value):
        self.value = value
        self.view = None

    def __index__(self):
        release(self.view)
        return self.value

    def __float__(self):
        release(self.view)
        return float(self.value)

    def __bool__(self):
        release(self.view)
        return True


def attempt(label, fmt, action):
    del held[:]
    view = memoryview(bytearray(b'\xff' * size))
    if fmt != 'B':
        view = view.cast(*fmt) if isinstance(fmt, tuple) else view.cast(fmt)
    r = Releasing(2)
    r.view = view
    try:
        out = action(view, r)
        print(label, 'ok', out)
    except ValueError as e:
        print(label, 'ValueError', e)
    print('   fresh block untouched:', all(b == 0 for blk in held for b in blk))


attempt('get m[i]', 'B', lambda m, r: m[r])
attempt('get m[:i]', 'B', lambda m, r: list(m[:r]))
attempt('get m[i:4]', 'B', lambda m, r: list(m[r:4]))
attempt('get m[i, 0]', ('B', (32, 2)), lambda m, r: m[r, 0])
attempt('get m[0, i]', ('B', (2, 32)), lambda m, r: m[0, r])


def setter(key_fn, value_fn):
    def action(m, r):
        m[key_fn(r)] = value_fn(r)
    return action


attempt('set m[i]', 'B', setter(lambda r: r, lambda r: 42))
attempt('set m[:i]', 'B', setter(lambda r: slice(None, r), lambda r: b'sp'))
attempt('set m[i:4]', 'B', setter(lambda r: slice(r, 4), lambda r: b'sp'))
attempt('set m[i, 0]', ('B', (32, 2)), setter(lambda r: (r, 0), lambda r: 42))
attempt('set m[0, i]', ('B', (2, 32)), setter(lambda r: (0, r), lambda r: 42))
for fmt in 'bhilqnBHILQNfd?':
    attempt('set m[0] = x (%s)' % fmt, fmt, setter(lambda r: 0, lambda r: r))
