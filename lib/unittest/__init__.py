"""unittest — pymm's own small unit-testing framework.

Enough of CPython's unittest for CPython's own test files to run under
pymm: TestCase with the fixtures and assert methods, subTest, the skip
decorators, expectedFailure, TestSuite, TestLoader, the text runner with
CPython's summary lines, and main().  Written for pymm; CPython's
Lib/unittest was read for behaviour only.

    case.py    TestCase, SkipTest, skip/skipIf/skipUnless/expectedFailure
    result.py  TestResult and traceback formatting (no traceback module)
    suite.py   TestSuite with class and module fixtures
    loader.py  TestLoader (test* methods, load_tests)
    runner.py  TextTestResult, TextTestRunner
    main.py    main() / TestProgram
    mock.py    a small Mock (calls recorded, assert_called*)
    _regex.py  a small backtracking regular expression matcher used by
               assertRegex/assertRaisesRegex when there is no re module
"""

__unittest = True

from unittest.case import (TestCase, FunctionTestCase, SkipTest, skip, skipIf,
                           skipUnless, expectedFailure)
from unittest.result import TestResult
from unittest.suite import TestSuite
from unittest.loader import (TestLoader, defaultTestLoader, getTestCaseNames,
                             makeSuite, findTestCases)
from unittest.runner import TextTestRunner, TextTestResult
from unittest.main import main, TestProgram

__all__ = ['TestResult', 'TestCase', 'TestSuite', 'TextTestRunner', 'TestLoader',
           'FunctionTestCase', 'main', 'defaultTestLoader', 'SkipTest', 'skip',
           'skipIf', 'skipUnless', 'expectedFailure', 'TextTestResult',
           'getTestCaseNames', 'makeSuite', 'findTestCases']
