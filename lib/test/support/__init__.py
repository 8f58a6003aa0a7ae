"""test.support — what CPython's test files import from it, for pymm.

pymm's own code, written from the documented behaviour of CPython's
test.support.  Decisions, each with the reason a skipped test reports:

  cpython_only         skip: such tests check CPython's internals
                       ("pymm is not CPython: tests CPython internals")
  refcount_test        run: pymm reproduces CPython's reference counts
  requires_subprocess  skip: pymm has no subprocess module
  requires_resource    run (as python3 does when a test file is run
                       directly, every resource is enabled)
  check_impl_detail    by sys.implementation.name ('pymm')
"""

import gc
import sys
import unittest

__all__ = ['verbose', 'cpython_only', 'refcount_test', 'requires_subprocess',
           'requires_resource', 'is_resource_enabled', 'gc_collect', 'disable_gc',
           'swap_attr', 'swap_item', 'captured_stdout', 'captured_stderr',
           'captured_output', 'run_unittest', 'ALWAYS_EQ', 'NEVER_EQ', 'LARGEST',
           'SMALLEST', 'Py_DEBUG', 'check_impl_detail', 'SuppressCrashReport',
           'import_module', 'no_tracing', 'bigmemtest', 'requires',
           'has_subprocess_support', 'is_jython', 'is_android', 'MS_WINDOWS',
           'impl_detail', 'TestFailed', 'ResourceDenied', 'SHORT_TIMEOUT',
           'LONG_TIMEOUT', 'LOOPBACK_TIMEOUT', 'INTERNET_TIMEOUT', 'reap_children']

verbose = 1
use_resources = None     # None: every resource enabled, as a directly run file
failfast = False
real_max_memuse = 0
max_memuse = 0

SHORT_TIMEOUT = 30.0
LONG_TIMEOUT = 5 * 60.0
LOOPBACK_TIMEOUT = 5.0
INTERNET_TIMEOUT = 60.0

Py_DEBUG = hasattr(sys, 'gettotalrefcount')
is_jython = False
is_android = False
MS_WINDOWS = False
has_subprocess_support = False
is_emscripten = False
is_wasi = False

PYMM_NOT_CPYTHON = "pymm is not CPython: tests CPython internals"
PYMM_NO_SUBPROCESS = "pymm has no subprocess module"


class TestFailed(Exception):
    """A test failed."""


class ResourceDenied(unittest.SkipTest):
    """A test needs a resource that is not enabled."""


# -- decorators -----------------------------------------------------------

def cpython_only(test):
    return unittest.skip(PYMM_NOT_CPYTHON)(test)


def no_tracing(func):
    return func


def refcount_test(test):
    return test


def requires_subprocess():
    return unittest.skip(PYMM_NO_SUBPROCESS)


def is_resource_enabled(resource):
    return use_resources is None or resource in use_resources


def requires(resource, msg=None):
    if not is_resource_enabled(resource):
        raise ResourceDenied(msg or "Use of the %r resource not enabled" % resource)


def requires_resource(resource):
    if is_resource_enabled(resource):
        return lambda item: item
    return unittest.skip("resource {0!r} is not enabled".format(resource))


def bigmemtest(size, memuse, dry_run=True):
    def decorator(f):
        def wrapper(self):
            if not dry_run:
                raise unittest.SkipTest("not enough memory: bigmem tests are not run")
            return f(self, 5147)
        wrapper.__name__ = f.__name__
        wrapper.__qualname__ = getattr(f, '__qualname__', f.__name__)
        wrapper.__doc__ = f.__doc__
        return wrapper
    return decorator


def _parse_guards(guards):
    if not guards:
        return ({'cpython': True}, False)
    is_true = list(guards.values())[0]
    return (guards, not is_true)


def check_impl_detail(**guards):
    """check_impl_detail(cpython=True): is this CPython?  For pymm, False
    unless pymm=True is given (or a guard is false for every name)."""
    guards, default = _parse_guards(guards)
    return guards.get(sys.implementation.name, default)


def impl_detail(msg=None, **guards):
    if check_impl_detail(**guards):
        return lambda item: item
    if msg is None:
        guardnames, default = _parse_guards(guards)
        if default:
            msg = "implementation detail not available on {0}"
        else:
            msg = "implementation detail specific to {0}"
        msg = msg.format(' or '.join(sorted(guardnames.keys())))
    return unittest.skip(msg)


# -- gc -------------------------------------------------------------------

def gc_collect():
    """Collect until nothing more goes, as CPython's does (three calls)."""
    gc.collect()
    gc.collect()
    gc.collect()


class disable_gc:
    """with disable_gc(): the collector is off inside, restored after."""

    def __enter__(self):
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        if self.was_enabled:
            gc.enable()
        return False


# -- swapping and capturing -------------------------------------------------

_MISSING = object()


class swap_attr:
    """with swap_attr(obj, name, new): obj.name is new inside, put back after
    (deleted again if it did not exist)."""

    def __init__(self, obj, attr, new_val):
        self.obj = obj
        self.attr = attr
        self.new_val = new_val

    def __enter__(self):
        self.old = getattr(self.obj, self.attr, _MISSING)
        setattr(self.obj, self.attr, self.new_val)
        return self.old if self.old is not _MISSING else None

    def __exit__(self, *exc):
        if self.old is _MISSING:
            delattr(self.obj, self.attr)
        else:
            setattr(self.obj, self.attr, self.old)
        return False


class swap_item:
    """with swap_item(mapping, key, new): the same for an item."""

    def __init__(self, obj, item, new_val):
        self.obj = obj
        self.item = item
        self.new_val = new_val

    def __enter__(self):
        self.old = self.obj.get(self.item, _MISSING) if hasattr(self.obj, 'get') else (
            self.obj[self.item] if self.item in self.obj else _MISSING)
        self.obj[self.item] = self.new_val
        return self.old if self.old is not _MISSING else None

    def __exit__(self, *exc):
        if self.old is _MISSING:
            del self.obj[self.item]
        else:
            self.obj[self.item] = self.old
        return False


class captured_output:
    """with captured_output('stdout') as s: sys.stdout is an io.StringIO
    inside; s.getvalue() is what was written."""

    def __init__(self, stream_name):
        self.stream_name = stream_name

    def __enter__(self):
        import io
        self.orig = getattr(sys, self.stream_name)
        self.stream = io.StringIO()
        setattr(sys, self.stream_name, self.stream)
        return self.stream

    def __exit__(self, *exc):
        setattr(sys, self.stream_name, self.orig)
        return False


def captured_stdout():
    return captured_output('stdout')


def captured_stderr():
    return captured_output('stderr')


def captured_stdin():
    return captured_output('stdin')


class SuppressCrashReport:
    """CPython turns off core dumps and crash dialogs here: nothing to do."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


# -- comparison helpers -----------------------------------------------------

class _ALWAYS_EQ:
    """Equal to everything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


ALWAYS_EQ = _ALWAYS_EQ()


class _NEVER_EQ:
    """Equal to nothing, even itself."""

    def __eq__(self, other):
        return False

    def __ne__(self, other):
        return True

    def __hash__(self):
        return 1


NEVER_EQ = _NEVER_EQ()


class _LARGEST:
    """Greater than everything but itself."""

    def __eq__(self, other):
        return isinstance(other, _LARGEST)

    def __lt__(self, other):
        return False

    def __gt__(self, other):
        return not isinstance(other, _LARGEST)

    def __hash__(self):
        return 2


LARGEST = _LARGEST()


class _SMALLEST:
    """Less than everything but itself."""

    def __eq__(self, other):
        return isinstance(other, _SMALLEST)

    def __gt__(self, other):
        return False

    def __lt__(self, other):
        return not isinstance(other, _SMALLEST)

    def __hash__(self):
        return 3


SMALLEST = _SMALLEST()


# -- running ------------------------------------------------------------------

def _run_suite(suite):
    runner = unittest.TextTestRunner(sys.stdout, verbosity=2 if verbose > 1 else 1)
    result = runner.run(suite)
    if not result.wasSuccessful():
        if len(result.errors) == 1 and not result.failures:
            err = result.errors[0][1]
        elif len(result.failures) == 1 and not result.errors:
            err = result.failures[0][1]
        else:
            err = "multiple errors occurred"
        raise TestFailed(err)


def run_unittest(*classes):
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for cls in classes:
        if isinstance(cls, str):
            if cls in sys.modules:
                suite.addTest(loader.loadTestsFromModule(sys.modules[cls]))
            else:
                raise ValueError("str arguments must be keys in sys.modules")
        elif isinstance(cls, (unittest.TestSuite, unittest.TestCase)):
            suite.addTest(cls)
        else:
            suite.addTest(loader.loadTestsFromTestCase(cls))
    _run_suite(suite)


def reap_children():
    pass


def import_module(name, deprecated=False, *, required_on=()):
    from test.support import import_helper
    return import_helper.import_module(name, deprecated, required_on=required_on)
