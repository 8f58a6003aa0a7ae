"""test.support.os_helper — temporary files and directories.

Needs the os module; where pymm has none, the helpers that must reach the
file system raise SkipTest, so the tests that use them are skipped with
that reason."""

import unittest

try:
    import os
except ImportError:
    os = None

PYMM_NO_OS = "pymm has no os module"

if os is not None and hasattr(os, 'getpid'):
    TESTFN_ASCII = '@test_{}_tmp'.format(os.getpid())
else:
    TESTFN_ASCII = '@test_pymm_tmp'
TESTFN = TESTFN_ASCII
TESTFN_NONASCII = TESTFN_ASCII + '-\u00e6'
SAVEDCWD = os.getcwd() if os is not None and hasattr(os, 'getcwd') else None


def unlink(filename):
    if os is None:
        return
    try:
        os.unlink(filename)
    except (FileNotFoundError, NotADirectoryError):
        pass


def rmdir(dirname):
    if os is None:
        return
    try:
        os.rmdir(dirname)
    except FileNotFoundError:
        pass


def rmtree(path):
    if os is None:
        return
    try:
        names = os.listdir(path)
    except FileNotFoundError:
        return
    for name in names:
        full = path + '/' + name
        try:
            os.rmdir(full)
        except OSError:
            try:
                os.unlink(full)
            except OSError:
                rmtree(full)
    rmdir(path)


class temp_dir:
    """with temp_dir() as path: a new directory, removed afterwards."""

    def __init__(self, path=None, quiet=False):
        self.path = path
        self.made = False

    def __enter__(self):
        if os is None or not hasattr(os, 'mkdir'):
            raise unittest.SkipTest(PYMM_NO_OS)
        if self.path is None:
            n = 0
            while True:
                candidate = '/tmp/pymm_test_dir_%s_%d' % (os.getpid(), n)
                try:
                    os.mkdir(candidate)
                    break
                except FileExistsError:
                    n += 1
            self.path = candidate
        else:
            os.mkdir(self.path)
        self.made = True
        return self.path

    def __exit__(self, *exc):
        if self.made:
            rmtree(self.path)
        return False


class EnvironmentVarGuard:
    def __init__(self):
        if os is None:
            raise unittest.SkipTest(PYMM_NO_OS)
        self._environ = os.environ
        self._changed = {}

    def __getitem__(self, name):
        return self._environ[name]

    def __setitem__(self, name, value):
        if name not in self._changed:
            self._changed[name] = self._environ.get(name)
        self._environ[name] = value

    def __delitem__(self, name):
        if name not in self._changed:
            self._changed[name] = self._environ.get(name)
        if name in self._environ:
            del self._environ[name]

    def set(self, name, value):
        self[name] = value

    def unset(self, name):
        del self[name]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for k, v in self._changed.items():
            if v is None:
                if k in self._environ:
                    del self._environ[k]
            else:
                self._environ[k] = v
        return False
