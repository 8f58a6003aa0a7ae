"""test — pymm's own test package: test.support for CPython's test files.

CPython's own test modules (test_gc.py, test_weakref.py, ...) are run
from the python3 install, unchanged; this package gives them the
test.support they import.  The directory of CPython's test package is
added to this package's __path__ after our own, so that `from test import
mapping_tests` finds CPython's helper module while `test.support` stays
ours.  That directory is taken from PYMM_CPYTHON_TESTDIR when the os
module exists, else from the file being run as __main__ when it lies in
a directory named test.
"""


def _cpython_test_dir():
    import sys
    path = None
    try:
        import os
        path = os.environ.get('PYMM_CPYTHON_TESTDIR')
    except ImportError:
        pass
    if not path:
        main = sys.modules.get('__main__')
        f = getattr(main, '__file__', None) or ''
        d = f.rsplit('/', 1)[0] if '/' in f else ''
        if d.endswith('/test'):
            path = d
    return path


_dir = _cpython_test_dir()
if _dir and _dir not in __path__:
    __path__.append(_dir)
del _dir
