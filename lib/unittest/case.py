"""unittest.case — TestCase, the skip decorators and the assert methods.

pymm's own small unittest (written for pymm; CPython's Lib/unittest was
read for its observable behaviour only).  What a test method can meet:

    setUpClass -> [setUp -> testMethod -> tearDown -> cleanups] -> tearDownClass
                    \\ any step may raise: SkipTest (skipped), the failure
                       exception (failure) or anything else (error)

A test's outcome goes to the result object given to run(); subTest()
blocks report their own failures and let the method go on.
"""

import sys

__unittest = True   # frames of this module are left out of printed tracebacks


class SkipTest(Exception):
    """Raised to skip a test: the argument is the reason."""


class _UnexpectedSuccess(Exception):
    pass


class _SubTestFailed(Exception):
    """Internal: a subTest block failed; the outer test is already counted."""


# Set while a test method (or its setUp/tearDown) runs: lets placeholder
# modules tell test time from import time.
_state = {'in_test': False}


def in_test():
    return _state['in_test']


# ---------------------------------------------------------------------------
# Decorators

def skip(reason):
    """Skip the decorated test or class unconditionally."""
    def decorator(item):
        if isinstance(item, type):
            item.__unittest_skip__ = True
            item.__unittest_skip_why__ = reason
            return item

        def skip_wrapper(*args, **kwargs):
            raise SkipTest(reason)
        skip_wrapper.__name__ = getattr(item, '__name__', 'skip_wrapper')
        skip_wrapper.__qualname__ = getattr(item, '__qualname__', skip_wrapper.__name__)
        skip_wrapper.__doc__ = getattr(item, '__doc__', None)
        skip_wrapper.__unittest_skip__ = True
        skip_wrapper.__unittest_skip_why__ = reason
        return skip_wrapper
    if callable(reason) and not isinstance(reason, str):
        # used bare: @unittest.skip
        item, reason = reason, ''
        return decorator(item)
    return decorator


def _identity(item):
    return item


def skipIf(condition, reason):
    if condition:
        return skip(reason)
    return _identity


def skipUnless(condition, reason):
    if not condition:
        return skip(reason)
    return _identity


def expectedFailure(item):
    item.__unittest_expecting_failure__ = True
    return item


# ---------------------------------------------------------------------------
# Helpers for messages

def safe_repr(obj, short=False):
    try:
        text = repr(obj)
    except Exception:
        text = object.__repr__(obj)
    if short and len(text) > 80:
        return text[:80] + ' [truncated]...'
    return text


def strclass(cls):
    return "%s.%s" % (cls.__module__, cls.__qualname__)


def _regex_search(pattern, text):
    """re.search(pattern, text) is not None, with pymm's fallback engine
    when there is no re module."""
    try:
        import re
    except ImportError:
        re = None
    if re is not None:
        if isinstance(pattern, (str, bytes)):
            pattern = re.compile(pattern)
        return pattern.search(text) is not None
    from unittest import _regex
    if not isinstance(pattern, (str, bytes)):
        pattern = pattern.pattern
    return _regex.search(pattern, text)


# ---------------------------------------------------------------------------
# assertRaises / assertWarns as context managers

class _AssertRaisesContext:
    """What assertRaises returns when used as `with`: the caught exception
    is kept in .exception."""

    def __init__(self, expected, test_case, expected_regex=None, msg=None):
        self.expected = expected
        self.test_case = test_case
        self.expected_regex = expected_regex
        self.msg = msg
        self.exception = None

    def _name(self):
        exp = self.expected
        if isinstance(exp, tuple):
            return ', '.join(getattr(e, '__name__', str(e)) for e in exp)
        return getattr(exp, '__name__', str(exp))

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, tb):
        if exc_type is None:
            self.test_case.fail(self.test_case._formatMessage(
                self.msg, "%s not raised" % self._name()))
        if not issubclass(exc_type, self.expected):
            return False   # let an unexpected exception through
        self.exception = exc_value
        if self.expected_regex is not None:
            if not _regex_search(self.expected_regex, str(exc_value)):
                pat = self.expected_regex
                if not isinstance(pat, (str, bytes)):
                    pat = pat.pattern
                self.test_case.fail(self.test_case._formatMessage(
                    self.msg, '"%s" does not match "%s"' % (pat, str(exc_value))))
        return True

    def handle(self, args, kwargs):
        """assertRaises(exc, callable, *args): call it inside the context."""
        if not args:
            self.msg = kwargs.pop('msg', None)
            if kwargs:
                raise TypeError('%r is an invalid keyword argument for this function'
                                % (next(iter(kwargs)),))
            return self
        func = args[0]
        args = args[1:]
        with self:
            func(*args, **kwargs)
        return None


class _AssertWarnsContext:
    """pymm has no warnings module: tests that check warnings are skipped."""

    def __init__(self, expected, test_case):
        self.expected = expected
        self.test_case = test_case

    def __enter__(self):
        raise SkipTest("pymm has no warnings module (assertWarns)")

    def __exit__(self, *exc):
        return False


class _SubTest:
    """The context manager subTest() returns."""

    def __init__(self, test_case, message, params):
        self.test_case = test_case
        self.message = message
        self.params = params

    def description(self):
        parts = []
        if self.message is not None:
            parts.append("[%s]" % (self.message,))
        if self.params:
            parts.append("(%s)" % ', '.join('%s=%r' % (k, v) for k, v in self.params.items()))
        return ' '.join(parts) or '(<subtest>)'

    def __str__(self):
        return "%s %s" % (self.test_case, self.description())

    def id(self):
        return "%s %s" % (self.test_case.id(), self.description())

    def shortDescription(self):
        return self.test_case.shortDescription()

    def __enter__(self):
        return None

    def __exit__(self, exc_type, exc_value, tb):
        if exc_type is None:
            return False
        if issubclass(exc_type, (SkipTest, KeyboardInterrupt, _SubTestFailed)):
            return False
        result = self.test_case._result
        if result is None:
            return False
        self.test_case._subtest_failed = True
        if issubclass(exc_type, self.test_case.failureException):
            result.addSubTestFailure(self.test_case, self, (exc_type, exc_value, tb))
        else:
            result.addSubTestError(self.test_case, self, (exc_type, exc_value, tb))
        return True


# ---------------------------------------------------------------------------

class TestCase:
    """One test: an instance runs one method (methodName) of the class."""

    failureException = AssertionError
    longMessage = True
    maxDiff = 80 * 8

    def __init__(self, methodName='runTest'):
        self._testMethodName = methodName
        self._cleanups = []
        self._result = None
        self._subtest_failed = False
        try:
            meth = getattr(self, methodName)
        except AttributeError:
            if methodName != 'runTest':
                raise ValueError("no such test method in %s: %s" % (self.__class__, methodName))
            self._testMethodDoc = None
        else:
            self._testMethodDoc = getattr(meth, '__doc__', None)

    # class-level fixtures (run by TestSuite)
    @classmethod
    def setUpClass(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        pass

    @classmethod
    def addClassCleanup(cls, function, *args, **kwargs):
        lst = cls.__dict__.get('_class_cleanups')
        if lst is None:
            lst = []
            cls._class_cleanups = lst
        lst.append((function, args, kwargs))

    @classmethod
    def doClassCleanups(cls):
        lst = cls.__dict__.get('_class_cleanups') or []
        errors = []
        while lst:
            function, args, kwargs = lst.pop()
            try:
                function(*args, **kwargs)
            except Exception:
                errors.append(sys.exc_info())
        return errors

    def setUp(self):
        pass

    def tearDown(self):
        pass

    def addCleanup(self, function, *args, **kwargs):
        self._cleanups.append((function, args, kwargs))

    def enterContext(self, cm):
        result = type(cm).__enter__(cm)
        self.addCleanup(type(cm).__exit__, cm, None, None, None)
        return result

    def doCleanups(self):
        ok = True
        while self._cleanups:
            function, args, kwargs = self._cleanups.pop()
            try:
                function(*args, **kwargs)
            except Exception:
                ok = False
                if self._result is not None:
                    self._result.addError(self, sys.exc_info())
        return ok

    # naming
    def id(self):
        return "%s.%s" % (strclass(self.__class__), self._testMethodName)

    def __str__(self):
        return "%s (%s.%s)" % (self._testMethodName, strclass(self.__class__),
                               self._testMethodName)

    def __repr__(self):
        return "<%s testMethod=%s>" % (strclass(self.__class__), self._testMethodName)

    def shortDescription(self):
        doc = self._testMethodDoc
        if not doc:
            return None
        return doc.strip().split("\n")[0].strip()

    def countTestCases(self):
        return 1

    def defaultTestResult(self):
        from unittest.result import TestResult
        return TestResult()

    # running
    def skipTest(self, reason):
        raise SkipTest(reason)

    def subTest(self, msg=None, **params):
        return _SubTest(self, msg, params)

    def _call_step(self, result, func, is_test):
        """Run one step; record its outcome.  True if it went through."""
        try:
            func()
        except KeyboardInterrupt:
            raise
        except SkipTest as e:
            result.addSkip(self, str(e.args[0]) if e.args else '')
            return 'skip'
        except _SubTestFailed:
            return 'fail'
        except self.failureException:
            if is_test and self._expecting_failure:
                result.addExpectedFailure(self, sys.exc_info())
                return 'xfail'
            result.addFailure(self, sys.exc_info())
            return 'fail'
        except BaseException:
            if is_test and self._expecting_failure:
                result.addExpectedFailure(self, sys.exc_info())
                return 'xfail'
            if isinstance(sys.exc_info()[1], SystemExit):
                result.addError(self, sys.exc_info())
                return 'error'
            result.addError(self, sys.exc_info())
            return 'error'
        return 'ok'

    def run(self, result=None):
        if result is None:
            result = self.defaultTestResult()
        self._result = result
        result.startTest(self)
        try:
            method = getattr(self, self._testMethodName)
            cls_skip = getattr(self.__class__, '__unittest_skip__', False)
            if cls_skip or getattr(method, '__unittest_skip__', False):
                why = (getattr(self.__class__, '__unittest_skip_why__', '') if cls_skip
                       else getattr(method, '__unittest_skip_why__', ''))
                result.addSkip(self, why)
                return result
            self._expecting_failure = (getattr(method, '__unittest_expecting_failure__', False)
                                       or getattr(self, '__unittest_expecting_failure__', False))
            self._subtest_failed = False
            _state['in_test'] = True
            try:
                outcome = self._call_step(result, self.setUp, False)
                if outcome == 'ok':
                    outcome = self._call_step(result, method, True)
                    after = self._call_step(result, self.tearDown, False)
                    if outcome == 'ok' and after != 'ok':
                        outcome = after
                if not self.doCleanups() and outcome == 'ok':
                    outcome = 'error'
            finally:
                _state['in_test'] = False
            if outcome == 'ok':
                if self._subtest_failed:
                    pass   # already reported by the subtests
                elif self._expecting_failure:
                    result.addUnexpectedSuccess(self)
                else:
                    result.addSuccess(self)
            return result
        finally:
            self._result = None
            result.stopTest(self)

    def __call__(self, *args, **kwargs):
        return self.run(*args, **kwargs)

    def debug(self):
        self.setUp()
        getattr(self, self._testMethodName)()
        self.tearDown()
        while self._cleanups:
            function, args, kwargs = self._cleanups.pop()
            function(*args, **kwargs)

    # ------------------------------------------------------------------
    # assert methods

    def _formatMessage(self, msg, standardMsg):
        if msg is None:
            return standardMsg
        if not self.longMessage:
            return msg
        try:
            return '%s : %s' % (standardMsg, msg)
        except UnicodeDecodeError:
            return '%s : %s' % (safe_repr(standardMsg), safe_repr(msg))

    def fail(self, msg=None):
        raise self.failureException(msg)

    def assertTrue(self, expr, msg=None):
        if not expr:
            self.fail(self._formatMessage(msg, "%s is not true" % safe_repr(expr)))

    def assertFalse(self, expr, msg=None):
        if expr:
            self.fail(self._formatMessage(msg, "%s is not false" % safe_repr(expr)))

    def assertEqual(self, first, second, msg=None):
        if not first == second:
            standard = '%s != %s' % (safe_repr(first, True), safe_repr(second, True))
            self.fail(self._formatMessage(msg, standard))

    def assertNotEqual(self, first, second, msg=None):
        if not first != second:
            self.fail(self._formatMessage(msg, '%s == %s' % (safe_repr(first),
                                                              safe_repr(second))))

    assertListEqual = assertEqual
    assertTupleEqual = assertEqual
    assertDictEqual = assertEqual
    assertSetEqual = assertEqual
    assertMultiLineEqual = assertEqual

    def assertSequenceEqual(self, seq1, seq2, msg=None, seq_type=None):
        if seq_type is not None and not isinstance(seq1, seq_type):
            self.fail(self._formatMessage(msg, 'First sequence is not a %s: %s'
                                          % (seq_type.__name__, safe_repr(seq1))))
        self.assertEqual(list(seq1), list(seq2), msg)

    def assertCountEqual(self, first, second, msg=None):
        a, b = list(first), list(second)
        for x in a:
            for i in range(len(b)):
                if b[i] == x:
                    del b[i]
                    break
            else:
                self.fail(self._formatMessage(msg, 'Element counts were not equal: %s'
                                              % safe_repr(x)))
        if b:
            self.fail(self._formatMessage(msg, 'Element counts were not equal: %s'
                                          % safe_repr(b[0])))

    def assertAlmostEqual(self, first, second, places=None, msg=None, delta=None):
        if first == second:
            return
        diff = abs(first - second)
        if delta is not None:
            if diff <= delta:
                return
            standard = '%s != %s within %s delta (%s difference)' % (
                safe_repr(first), safe_repr(second), safe_repr(delta), safe_repr(diff))
        else:
            if places is None:
                places = 7
            if round(diff, places) == 0:
                return
            standard = '%s != %s within %r places (%s difference)' % (
                safe_repr(first), safe_repr(second), places, safe_repr(diff))
        self.fail(self._formatMessage(msg, standard))

    def assertNotAlmostEqual(self, first, second, places=None, msg=None, delta=None):
        diff = abs(first - second)
        if delta is not None:
            if not (first == second) and diff > delta:
                return
        else:
            if places is None:
                places = 7
            if not (first == second) and round(diff, places) != 0:
                return
        self.fail(self._formatMessage(msg, '%s == %s' % (safe_repr(first), safe_repr(second))))

    def assertIs(self, expr1, expr2, msg=None):
        if expr1 is not expr2:
            self.fail(self._formatMessage(msg, '%s is not %s' % (safe_repr(expr1),
                                                                  safe_repr(expr2))))

    def assertIsNot(self, expr1, expr2, msg=None):
        if expr1 is expr2:
            self.fail(self._formatMessage(msg, 'unexpectedly identical: %s' % safe_repr(expr1)))

    def assertIsNone(self, obj, msg=None):
        if obj is not None:
            self.fail(self._formatMessage(msg, '%s is not None' % safe_repr(obj)))

    def assertIsNotNone(self, obj, msg=None):
        if obj is None:
            self.fail(self._formatMessage(msg, 'unexpectedly None'))

    def assertIn(self, member, container, msg=None):
        if member not in container:
            self.fail(self._formatMessage(msg, '%s not found in %s' % (safe_repr(member),
                                                                        safe_repr(container))))

    def assertNotIn(self, member, container, msg=None):
        if member in container:
            self.fail(self._formatMessage(msg, '%s unexpectedly found in %s'
                                          % (safe_repr(member), safe_repr(container))))

    def assertIsInstance(self, obj, cls, msg=None):
        if not isinstance(obj, cls):
            self.fail(self._formatMessage(msg, '%s is not an instance of %r'
                                          % (safe_repr(obj), cls)))

    def assertNotIsInstance(self, obj, cls, msg=None):
        if isinstance(obj, cls):
            self.fail(self._formatMessage(msg, '%s is an instance of %r' % (safe_repr(obj), cls)))

    def assertLess(self, a, b, msg=None):
        if not a < b:
            self.fail(self._formatMessage(msg, '%s not less than %s' % (safe_repr(a),
                                                                         safe_repr(b))))

    def assertLessEqual(self, a, b, msg=None):
        if not a <= b:
            self.fail(self._formatMessage(msg, '%s not less than or equal to %s'
                                          % (safe_repr(a), safe_repr(b))))

    def assertGreater(self, a, b, msg=None):
        if not a > b:
            self.fail(self._formatMessage(msg, '%s not greater than %s' % (safe_repr(a),
                                                                            safe_repr(b))))

    def assertGreaterEqual(self, a, b, msg=None):
        if not a >= b:
            self.fail(self._formatMessage(msg, '%s not greater than or equal to %s'
                                          % (safe_repr(a), safe_repr(b))))

    def assertRaises(self, expected_exception, *args, **kwargs):
        context = _AssertRaisesContext(expected_exception, self)
        try:
            return context.handle(args, kwargs)
        finally:
            context = None

    def assertRaisesRegex(self, expected_exception, expected_regex, *args, **kwargs):
        context = _AssertRaisesContext(expected_exception, self, expected_regex)
        return context.handle(args, kwargs)

    def assertWarns(self, expected_warning, *args, **kwargs):
        context = _AssertWarnsContext(expected_warning, self)
        if args:
            with context:
                args[0](*args[1:], **kwargs)
            return None
        return context

    def assertWarnsRegex(self, expected_warning, expected_regex, *args, **kwargs):
        return self.assertWarns(expected_warning, *args, **kwargs)

    def assertRegex(self, text, expected_regex, msg=None):
        if not _regex_search(expected_regex, text):
            pat = expected_regex if isinstance(expected_regex, (str, bytes)) \
                else expected_regex.pattern
            self.fail(self._formatMessage(msg, "Regex didn't match: %r not found in %r"
                                          % (pat, text)))

    def assertNotRegex(self, text, unexpected_regex, msg=None):
        if _regex_search(unexpected_regex, text):
            self.fail(self._formatMessage(msg, "Regex matched: %r matches %r"
                                          % (text, unexpected_regex)))

    # the old names
    failUnlessEqual = assertEquals = assertEqual
    assert_ = failUnless = assertTrue


class FunctionTestCase(TestCase):
    """A plain function as a test case."""

    def __init__(self, testFunc, setUp=None, tearDown=None, description=None):
        TestCase.__init__(self)
        self._setUpFunc = setUp
        self._tearDownFunc = tearDown
        self._testFunc = testFunc
        self._description = description

    def setUp(self):
        if self._setUpFunc is not None:
            self._setUpFunc()

    def tearDown(self):
        if self._tearDownFunc is not None:
            self._tearDownFunc()

    def runTest(self):
        self._testFunc()

    def id(self):
        return self._testFunc.__name__

    def __str__(self):
        return "%s (%s)" % (strclass(self.__class__), self._testFunc.__name__)

    def shortDescription(self):
        if self._description is not None:
            return self._description
        doc = self._testFunc.__doc__
        return doc and doc.split("\n")[0].strip() or None
