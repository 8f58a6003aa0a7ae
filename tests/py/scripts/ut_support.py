# lib/test/support's helpers that behave the same as CPython's.
import gc
import sys
from test import support
from test.support import import_helper


class Box:
    value = 1


with support.swap_attr(Box, 'value', 2) as old:
    print('inside', Box.value, old)
print('after', Box.value)
with support.swap_attr(Box, 'other', 3) as old:
    print('inside', Box.other, old)
print(hasattr(Box, 'other'))
d = {'k': 1}
with support.swap_item(d, 'k', 5):
    print(d)
print(d)

with support.captured_stdout() as out:
    print('captured line')
    print(1, 2, sep='-')
print(repr(out.getvalue()))
with support.captured_stderr() as err:
    sys.stderr.write('to stderr\n')
print(repr(err.getvalue()))

print(gc.isenabled())
with support.disable_gc():
    print(gc.isenabled())
print(gc.isenabled())


class Cycle:
    pass


c = Cycle()
c.me = c
del c
support.gc_collect()
print(gc.collect())

print(support.ALWAYS_EQ == 1, 1 == support.ALWAYS_EQ, support.ALWAYS_EQ != 'x')
print(support.NEVER_EQ == support.NEVER_EQ, support.LARGEST > 10**100,
      support.SMALLEST < -10**100)
print(support.Py_DEBUG, support.check_impl_detail(cpython=False) is not None)
print(import_helper.import_module('gc') is gc)
try:
    import_helper.import_module('no_such_module_here')
except Exception as e:
    print(type(e).__name__, e)
with support.SuppressCrashReport():
    print('suppressed')
