"""unittest.main — the command line of a test module:

    pymm test_x.py [-v] [-q] [-f] [-k SUBSTRING] [Class[.method] ...]

loads the tests of the module (all, or the names given), runs them with
the text runner and exits with status 0 when all went well, 1 otherwise.
"""

import sys

from unittest import loader as _loader, runner as _runner, suite as _suite

__unittest = True

# Test ids a driver wants left out (tests/cpython/run_pymm_tests.py leaves
# out a test that crashed pymm in an earlier run of the same file).
excluded_ids = set()


def _filter(test):
    if isinstance(test, _suite.TestSuite):
        kept = [_filter(t) for t in test]
        test._tests = [t for t in kept if t is not None]
        return test
    if test.id() in excluded_ids:
        return None
    return test


class TestProgram:
    def __init__(self, module='__main__', defaultTest=None, argv=None, testRunner=None,
                 testLoader=None, exit=True, verbosity=1, failfast=None, catchbreak=None,
                 buffer=None, warnings=None, tb_locals=False):
        if isinstance(module, str):
            module = sys.modules[module]
        self.module = module
        self.exit = exit
        self.verbosity = verbosity
        self.failfast = bool(failfast)
        self.testLoader = testLoader if testLoader is not None else _loader.defaultTestLoader
        self.testRunner = testRunner
        if argv is None:
            argv = sys.argv
        self.progName = argv[0] if argv else 'python -m unittest'
        self.testNames = None
        self.parseArgs(argv[1:])
        if defaultTest is not None and self.testNames is None:
            self.testNames = [defaultTest] if isinstance(defaultTest, str) else list(defaultTest)
        self.createTests()
        self.runTests()

    def parseArgs(self, args):
        names = []
        patterns = []
        i = 0
        while i < len(args):
            a = args[i]
            if a in ('-v', '--verbose'):
                self.verbosity = 2
            elif a in ('-q', '--quiet'):
                self.verbosity = 0
            elif a in ('-f', '--failfast'):
                self.failfast = True
            elif a == '-k':
                i += 1
                patterns.append(args[i])
            elif a.startswith('-k'):
                patterns.append(a[2:])
            elif a in ('-h', '--help'):
                print(__doc__)
                sys.exit(0)
            else:
                names.append(a)
            i += 1
        if patterns:
            self.testLoader.testNamePatterns = patterns
        if names:
            self.testNames = names

    def createTests(self):
        if self.testNames is None:
            self.test = self.testLoader.loadTestsFromModule(self.module)
        else:
            self.test = self.testLoader.loadTestsFromNames(self.testNames, self.module)
        if excluded_ids:
            _filter(self.test)

    def runTests(self):
        runner = self.testRunner
        if runner is None:
            runner = _runner.TextTestRunner
        if isinstance(runner, type):
            runner = runner(verbosity=self.verbosity, failfast=self.failfast)
        self.result = runner.run(self.test)
        if self.exit:
            sys.exit(not self.result.wasSuccessful())


main = TestProgram
