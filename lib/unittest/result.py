"""unittest.result — TestResult: what happened to each test, and the
tracebacks of failures formatted without the traceback module.

Lists kept (as CPython's): failures and errors hold (test, formatted
traceback) pairs, skipped holds (test, reason), expectedFailures
(test, traceback), unexpectedSuccesses the tests.
"""

import sys

__unittest = True


def _source_line(cache, filename, lineno):
    lines = cache.get(filename)
    if lines is None:
        try:
            with open(filename, encoding='utf-8') as f:
                lines = f.read().split('\n')
        except Exception:
            lines = []
        cache[filename] = lines
    if 1 <= lineno <= len(lines):
        return lines[lineno - 1].strip()
    return ''


def _format_one(exc, lines, cache):
    tb = exc.__traceback__
    frames = []
    while tb is not None:
        frame = tb.tb_frame
        hidden = False
        try:
            hidden = '__unittest' in frame.f_globals
        except Exception:
            pass
        if not hidden:
            code = frame.f_code
            frames.append((code.co_filename, tb.tb_lineno, code.co_name))
        tb = tb.tb_next
    if frames:
        lines.append('Traceback (most recent call last):\n')
        for filename, lineno, name in frames:
            lines.append('  File "%s", line %s, in %s\n' % (filename, lineno, name))
            src = _source_line(cache, filename, lineno)
            if src:
                lines.append('    %s\n' % src)
    cls = type(exc)
    name = cls.__qualname__
    mod = getattr(cls, '__module__', 'builtins')
    if mod not in ('builtins', '__main__'):
        name = '%s.%s' % (mod, name)
    try:
        text = str(exc)
    except Exception:
        text = '<exception str() failed>'
    lines.append('%s: %s\n' % (name, text) if text else '%s\n' % name)


def format_exception(exc):
    """The printed traceback of exc with its causes, as a string."""
    chain = []
    seen = set()
    e = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        chain.append(e)
        if e.__cause__ is not None:
            e = e.__cause__
        elif e.__context__ is not None and not e.__suppress_context__:
            e = e.__context__
        else:
            e = None
    lines = []
    cache = {}
    for i in range(len(chain) - 1, -1, -1):
        _format_one(chain[i], lines, cache)
        if i > 0:
            if chain[i - 1].__cause__ is chain[i]:
                lines.append('\nThe above exception was the direct cause of the '
                             'following exception:\n\n')
            else:
                lines.append('\nDuring handling of the above exception, another '
                             'exception occurred:\n\n')
    return ''.join(lines)


class TestResult:
    """Collects the outcome of every test run with it."""

    def __init__(self, stream=None, descriptions=None, verbosity=None):
        self.failures = []
        self.errors = []
        self.skipped = []
        self.expectedFailures = []
        self.unexpectedSuccesses = []
        self.testsRun = 0
        self.shouldStop = False
        self.failfast = False
        self.buffer = False
        self.tb_locals = False

    def startTest(self, test):
        self.testsRun += 1

    def stopTest(self, test):
        pass

    def startTestRun(self):
        pass

    def stopTestRun(self):
        pass

    def _exc_info_to_string(self, err, test):
        return format_exception(err[1])

    def addSuccess(self, test):
        pass

    def addError(self, test, err):
        self.errors.append((test, self._exc_info_to_string(err, test)))

    def addFailure(self, test, err):
        self.failures.append((test, self._exc_info_to_string(err, test)))

    def addSubTestFailure(self, test, subtest, err):
        self.failures.append((subtest, self._exc_info_to_string(err, test)))

    def addSubTestError(self, test, subtest, err):
        self.errors.append((subtest, self._exc_info_to_string(err, test)))

    def addSubTest(self, test, subtest, err):
        if err is None:
            return
        if issubclass(err[0], test.failureException):
            self.addSubTestFailure(test, subtest, err)
        else:
            self.addSubTestError(test, subtest, err)

    def addSkip(self, test, reason):
        self.skipped.append((test, reason))

    def addExpectedFailure(self, test, err):
        self.expectedFailures.append((test, self._exc_info_to_string(err, test)))

    def addUnexpectedSuccess(self, test):
        self.unexpectedSuccesses.append(test)

    def wasSuccessful(self):
        return (len(self.failures) == len(self.errors) == 0
                and not self.unexpectedSuccesses)

    def stop(self):
        self.shouldStop = True

    def __repr__(self):
        return ("<%s.%s run=%i errors=%i failures=%i>" %
                (self.__class__.__module__, self.__class__.__qualname__, self.testsRun,
                 len(self.errors), len(self.failures)))
