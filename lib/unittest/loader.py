"""unittest.loader — TestLoader: finds the test* methods of TestCase
classes, in a module (honouring its load_tests(loader, tests, pattern)
hook) or by dotted name ("Class", "Class.test_method")."""

import sys

from unittest import case, suite

__unittest = True


class _FailedTest(case.TestCase):
    """Stands for a name that could not be loaded: running it raises the
    error met while loading."""

    def __init__(self, method_name, exception):
        self._exception = exception
        self._pymm_method = method_name
        case.TestCase.__init__(self, 'runTest')
        self._testMethodName = method_name

    def runTest(self):
        raise self._exception

    def run(self, result=None):
        self._testMethodName = 'runTest'
        try:
            return case.TestCase.run(self, result)
        finally:
            self._testMethodName = self._pymm_method


class TestLoader:
    testMethodPrefix = 'test'
    suiteClass = suite.TestSuite
    testNamePatterns = None

    def __init__(self):
        self.errors = []

    def getTestCaseNames(self, testCaseClass):
        names = []
        for name in dir(testCaseClass):
            if not name.startswith(self.testMethodPrefix):
                continue
            attr = getattr(testCaseClass, name, None)
            if not callable(attr):
                continue
            if self.testNamePatterns is not None:
                full = '%s.%s' % (case.strclass(testCaseClass), name)
                if not any(p in full for p in self.testNamePatterns):
                    continue
            names.append(name)
        names.sort()
        return names

    def loadTestsFromTestCase(self, testCaseClass):
        if issubclass(testCaseClass, suite.TestSuite):
            raise TypeError("Test cases should not be derived from TestSuite.")
        names = self.getTestCaseNames(testCaseClass)
        if not names and hasattr(testCaseClass, 'runTest'):
            names = ['runTest']
        return self.suiteClass([testCaseClass(name) for name in names])

    def loadTestsFromModule(self, module, *args, pattern=None, **kws):
        tests = []
        for name in dir(module):
            obj = getattr(module, name)
            if isinstance(obj, type) and issubclass(obj, case.TestCase):
                tests.append(self.loadTestsFromTestCase(obj))
        load_tests = getattr(module, 'load_tests', None)
        tests = self.suiteClass(tests)
        if load_tests is not None:
            try:
                return load_tests(self, tests, pattern)
            except Exception as e:
                self.errors.append(str(e))
                return self.suiteClass([_FailedTest('load_tests', e)])
        return tests

    def loadTestsFromName(self, name, module=None):
        parts = name.split('.')
        if module is None:
            __import__(parts[0])
            obj = sys.modules[parts[0]]
            parts = parts[1:]
        else:
            obj = module
        parent = None
        for part in parts:
            parent, obj = obj, getattr(obj, part)
        if isinstance(obj, type(sys)):
            return self.loadTestsFromModule(obj)
        if isinstance(obj, type) and issubclass(obj, case.TestCase):
            return self.loadTestsFromTestCase(obj)
        if (isinstance(parent, type) and issubclass(parent, case.TestCase)
                and callable(obj)):
            return self.suiteClass([parent(parts[-1])])
        if isinstance(obj, suite.TestSuite):
            return obj
        if isinstance(obj, case.TestCase):
            return self.suiteClass([obj])
        raise TypeError("don't know how to make test from: %s" % obj)

    def loadTestsFromNames(self, names, module=None):
        return self.suiteClass([self.loadTestsFromName(name, module) for name in names])


defaultTestLoader = TestLoader()


def getTestCaseNames(testCaseClass, prefix='test'):
    loader = TestLoader()
    loader.testMethodPrefix = prefix
    return loader.getTestCaseNames(testCaseClass)


def makeSuite(testCaseClass, prefix='test'):
    loader = TestLoader()
    loader.testMethodPrefix = prefix
    return loader.loadTestsFromTestCase(testCaseClass)


def findTestCases(module, prefix='test'):
    loader = TestLoader()
    loader.testMethodPrefix = prefix
    return loader.loadTestsFromModule(module)
