"""unittest.runner — the text runner: a line (or a dot) per test while
they run, then the failures' tracebacks and CPython's summary:

    Ran 12 tests in 0.034s

    FAILED (failures=1, errors=2, skipped=3)

With the environment variable PYMM_UNITTEST_REPORT=path (or
unittest.runner.report_path set by a driver), every test's
outcome is also appended to that file as it happens, one tab-separated
line each ("start <id>" before a test, then "<outcome> <id> <reason>",
outcome one of ok fail error skip xfail xpass) — what
tests/cpython/run_pymm_tests.py reads, so a test that crashes pymm is
still named.
"""

import sys
import time

from unittest import result as _result

__unittest = True


class _Report:
    """The machine-readable record (PYMM_UNITTEST_REPORT)."""

    def __init__(self, path):
        self.path = path

    def write(self, *fields):
        line = '\t'.join(str(f).replace('\t', ' ').replace('\n', ' ') for f in fields)
        with open(self.path, 'a', encoding='utf-8') as f:
            f.write(line + '\n')


# Set by a driver that has no environment to pass it (pymm without os).
report_path = None


def _report_from_env():
    path = report_path
    if path is None:
        try:
            import os
            path = os.environ.get('PYMM_UNITTEST_REPORT')
        except ImportError:
            path = None
    return _Report(path) if path else None


def _case_of(test):
    return getattr(test, 'test_case', test)


class TextTestResult(_result.TestResult):
    separator1 = '=' * 70
    separator2 = '-' * 70

    def __init__(self, stream, descriptions, verbosity, report=None):
        _result.TestResult.__init__(self, stream, descriptions, verbosity)
        self.stream = stream
        self.showAll = verbosity > 1
        self.dots = verbosity == 1
        self.descriptions = descriptions
        self._newline = True
        self.report = report
        self._failed_ids = set()

    def getDescription(self, test):
        doc = test.shortDescription()
        if self.descriptions and doc:
            return '\n'.join((str(test), doc))
        return str(test)

    def _write(self, text):
        self.stream.write(text)
        self.stream.flush()

    def startTest(self, test):
        _result.TestResult.startTest(self, test)
        if self.report:
            self.report.write('start', test.id())
        if self.showAll:
            self._write(self.getDescription(test) + ' ... ')
            self._newline = False

    def _outcome(self, test, long_text, short, kind, reason=''):
        if self.showAll:
            if not self._newline:
                pass
            self._write(long_text + '\n')
            self._newline = True
        elif self.dots:
            self._write(short)
        if self.report:
            self.report.write(kind, _case_of(test).id(), reason)

    def stopTest(self, test):
        _result.TestResult.stopTest(self, test)
        if self.report and test.id() in self._failed_ids:
            self.report.write('fail', test.id(), 'subtest')

    def addSuccess(self, test):
        _result.TestResult.addSuccess(self, test)
        self._outcome(test, 'ok', '.', 'ok')

    def addError(self, test, err):
        _result.TestResult.addError(self, test, err)
        self._outcome(test, 'ERROR', 'E', 'error', '%s: %s' % (err[0].__name__, err[1]))

    def addFailure(self, test, err):
        _result.TestResult.addFailure(self, test, err)
        self._outcome(test, 'FAIL', 'F', 'fail', str(err[1]))

    def _sub(self, test, subtest, err, name, short):
        if self.showAll:
            if not self._newline:
                self._write('\n')
            self._write('  %s ... %s\n' % (self.getDescription(subtest), name))
            self._newline = True
        elif self.dots:
            self._write(short)
        self._failed_ids.add(test.id())

    def addSubTestFailure(self, test, subtest, err):
        _result.TestResult.addSubTestFailure(self, test, subtest, err)
        self._sub(test, subtest, err, 'FAIL', 'F')

    def addSubTestError(self, test, subtest, err):
        _result.TestResult.addSubTestError(self, test, subtest, err)
        self._sub(test, subtest, err, 'ERROR', 'E')

    def addSkip(self, test, reason):
        _result.TestResult.addSkip(self, test, reason)
        self._outcome(test, 'skipped {0!r}'.format(reason), 's', 'skip', reason)

    def addExpectedFailure(self, test, err):
        _result.TestResult.addExpectedFailure(self, test, err)
        self._outcome(test, 'expected failure', 'x', 'xfail')

    def addUnexpectedSuccess(self, test):
        _result.TestResult.addUnexpectedSuccess(self, test)
        self._outcome(test, 'unexpected success', 'u', 'xpass')

    def printErrors(self):
        if self.dots or self.showAll:
            self._write('\n')
        self.printErrorList('ERROR', self.errors)
        self.printErrorList('FAIL', self.failures)
        if self.unexpectedSuccesses:
            self._write(self.separator1 + '\n')
            for test in self.unexpectedSuccesses:
                self._write('UNEXPECTED SUCCESS: %s\n' % self.getDescription(test))

    def printErrorList(self, flavour, errors):
        for test, err in errors:
            self._write(self.separator1 + '\n')
            self._write('%s: %s\n' % (flavour, self.getDescription(test)))
            self._write(self.separator2 + '\n')
            self._write('%s\n' % err)


class TextTestRunner:
    resultclass = TextTestResult

    def __init__(self, stream=None, descriptions=True, verbosity=1, failfast=False,
                 buffer=False, resultclass=None, warnings=None, tb_locals=False):
        self.stream = stream if stream is not None else sys.stderr
        self.descriptions = descriptions
        self.verbosity = verbosity
        self.failfast = failfast
        if resultclass is not None:
            self.resultclass = resultclass

    def _makeResult(self):
        result = self.resultclass(self.stream, self.descriptions, self.verbosity)
        if isinstance(result, TextTestResult):
            result.report = _report_from_env()
        return result

    def run(self, test):
        result = self._makeResult()
        result.failfast = self.failfast
        start = time.perf_counter()
        result.startTestRun()
        try:
            test(result)
        finally:
            result.stopTestRun()
        taken = time.perf_counter() - start
        result.printErrors()
        out = self.stream
        out.write(TextTestResult.separator2 + '\n')
        run = result.testsRun
        out.write('Ran %d test%s in %.3fs\n' % (run, run != 1 and 's' or '', taken))
        out.write('\n')
        infos = []
        if not result.wasSuccessful():
            out.write('FAILED')
            if result.failures:
                infos.append('failures=%d' % len(result.failures))
            if result.errors:
                infos.append('errors=%d' % len(result.errors))
        else:
            out.write('OK')
        if result.skipped:
            infos.append('skipped=%d' % len(result.skipped))
        if result.expectedFailures:
            infos.append('expected failures=%d' % len(result.expectedFailures))
        if result.unexpectedSuccesses:
            infos.append('unexpected successes=%d' % len(result.unexpectedSuccesses))
        if infos:
            out.write(' (%s)' % (', '.join(infos),))
        out.write('\n')
        out.flush()
        return result
