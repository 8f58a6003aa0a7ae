"""unittest.suite — TestSuite: a list of tests run in order, with the class
and module fixtures (setUpClass/tearDownClass, setUpModule/tearDownModule)
run when the class or module of consecutive tests changes.

The state of the fixtures lives on the result (as CPython's does), so
nested suites share it: the outermost suite tears down what is left.
"""

import sys

from unittest import case

__unittest = True


class _ErrorHolder:
    """Stands for a fixture (setUpClass (mod.Class)) in the result lists."""

    failureException = None

    def __init__(self, description):
        self.description = description

    def id(self):
        return self.description

    def shortDescription(self):
        return None

    def __str__(self):
        return self.description

    def countTestCases(self):
        return 0


class TestSuite:
    def __init__(self, tests=()):
        self._tests = []
        self.addTests(tests)

    def __repr__(self):
        return "<%s.%s tests=%r>" % (self.__class__.__module__, self.__class__.__qualname__,
                                     list(self))

    def __iter__(self):
        return iter(self._tests)

    def countTestCases(self):
        return sum(t.countTestCases() for t in self._tests)

    def addTest(self, test):
        if not callable(test):
            raise TypeError("{} is not callable".format(repr(test)))
        if isinstance(test, type) and issubclass(test, (case.TestCase, TestSuite)):
            raise TypeError("TestCases and TestSuites must be instantiated "
                            "before passing them to addTest()")
        self._tests.append(test)

    def addTests(self, tests):
        if isinstance(tests, str):
            raise TypeError("tests must be an iterable of tests, not a string")
        for test in tests:
            self.addTest(test)

    def __call__(self, *args, **kwds):
        return self.run(*args, **kwds)

    def run(self, result, debug=False):
        top_level = not getattr(result, '_pymm_suite_running', False)
        if top_level:
            result._pymm_suite_running = True
            result._previousTestClass = None
            result._moduleSetUpFailed = False
        for test in self._tests:
            if result.shouldStop:
                break
            if isinstance(test, case.TestCase):
                self._tearDownPreviousClass(test, result)
                self._handleModuleFixture(test, result)
                self._handleClassSetUp(test, result)
                result._previousTestClass = test.__class__
                if (getattr(test.__class__, '_classSetupFailed', False)
                        or result._moduleSetUpFailed):
                    continue
            test(result)
        if top_level:
            self._tearDownPreviousClass(None, result)
            self._handleModuleTearDown(result)
            result._pymm_suite_running = False
        return result

    def debug(self):
        for test in self._tests:
            test.debug()

    # -- fixtures -----------------------------------------------------------

    def _addFixtureError(self, result, description, exc_info):
        if isinstance(exc_info[1], case.SkipTest):
            result.addSkip(_ErrorHolder(description), str(exc_info[1]))
        else:
            result.addError(_ErrorHolder(description), exc_info)

    def _handleClassSetUp(self, test, result):
        previous = getattr(result, '_previousTestClass', None)
        current = test.__class__
        if current is previous or result._moduleSetUpFailed:
            return
        current._classSetupFailed = False
        if getattr(current, '__unittest_skip__', False):
            return
        try:
            current.setUpClass()
        except Exception:
            current._classSetupFailed = True
            self._addFixtureError(result, 'setUpClass (%s)' % case.strclass(current),
                                  sys.exc_info())
            for exc_info in current.doClassCleanups():
                self._addFixtureError(result, 'setUpClass (%s)' % case.strclass(current),
                                      exc_info)

    def _tearDownPreviousClass(self, test, result):
        previous = getattr(result, '_previousTestClass', None)
        current = test.__class__ if test is not None else None
        if current is previous or previous is None:
            return
        if getattr(previous, '_classSetupFailed', False) or result._moduleSetUpFailed:
            return
        if getattr(previous, '__unittest_skip__', False):
            return
        try:
            previous.tearDownClass()
        except Exception:
            self._addFixtureError(result, 'tearDownClass (%s)' % case.strclass(previous),
                                  sys.exc_info())
        for exc_info in previous.doClassCleanups():
            self._addFixtureError(result, 'tearDownClass (%s)' % case.strclass(previous),
                                  exc_info)

    def _handleModuleFixture(self, test, result):
        previous = getattr(result, '_previousTestClass', None)
        previous_module = previous.__module__ if previous is not None else None
        current_module = test.__class__.__module__
        if current_module == previous_module:
            return
        self._handleModuleTearDown(result)
        result._moduleSetUpFailed = False
        module = sys.modules.get(current_module)
        if module is None:
            return
        setUpModule = getattr(module, 'setUpModule', None)
        if setUpModule is not None:
            try:
                setUpModule()
            except Exception:
                result._moduleSetUpFailed = True
                self._addFixtureError(result, 'setUpModule (%s)' % current_module,
                                      sys.exc_info())

    def _handleModuleTearDown(self, result):
        previous = getattr(result, '_previousTestClass', None)
        if previous is None or result._moduleSetUpFailed:
            return
        module = sys.modules.get(previous.__module__)
        if module is None:
            return
        tearDownModule = getattr(module, 'tearDownModule', None)
        if tearDownModule is not None:
            try:
                tearDownModule()
            except Exception:
                self._addFixtureError(result, 'tearDownModule (%s)' % previous.__module__,
                                      sys.exc_info())
        result._previousTestClass = None
