"""doctest for CPython's test files under pymm (test-only): pymm has no
doctest; DocTestSuite gives one test that is skipped with that reason."""

import unittest


class _NoDoctest(unittest.TestCase):
    def test_doctests(self):
        self.skipTest("pymm has no doctest module")


def DocTestSuite(module=None, *args, **kwargs):
    return unittest.TestSuite([_NoDoctest('test_doctests')])
