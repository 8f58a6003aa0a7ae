"""test.support.threading_helper — pymm has no threads: the tests that
need them are skipped with that reason."""

import unittest

PYMM_NO_THREADS = "pymm has no threads (no threading module)"


def requires_working_threading(*, module=False):
    if module:
        raise unittest.SkipTest(PYMM_NO_THREADS)
    return unittest.skip(PYMM_NO_THREADS)


def reap_threads(func):
    return func


def threading_setup():
    return ()


def threading_cleanup(*original_values):
    pass


class start_threads:
    def __init__(self, threads, unlock=None):
        self.threads = threads

    def __enter__(self):
        raise unittest.SkipTest(PYMM_NO_THREADS)

    def __exit__(self, *exc):
        return False


class wait_threads_exit:
    def __init__(self, timeout=None):
        pass

    def __enter__(self):
        raise unittest.SkipTest(PYMM_NO_THREADS)

    def __exit__(self, *exc):
        return False


class catch_threading_exception:
    def __enter__(self):
        raise unittest.SkipTest(PYMM_NO_THREADS)

    def __exit__(self, *exc):
        return False
