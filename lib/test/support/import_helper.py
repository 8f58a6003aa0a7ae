"""test.support.import_helper — importing what a test needs, or skipping."""

import sys
import unittest


def import_module(name, deprecated=False, *, required_on=()):
    """Import name and return it; SkipTest when it cannot be imported."""
    try:
        __import__(name)
    except ImportError as msg:
        raise unittest.SkipTest(str(msg))
    return sys.modules[name]


def import_fresh_module(name, fresh=(), blocked=(), deprecated=False):
    raise unittest.SkipTest("pymm: import_fresh_module is not supported")


class CleanImport:
    """with CleanImport('mod'): the module is imported afresh inside."""

    def __init__(self, *module_names):
        self.original_modules = dict(sys.modules)
        for name in module_names:
            if name in sys.modules:
                del sys.modules[name]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        sys.modules.clear()
        sys.modules.update(self.original_modules)
        return False
