"""test.support.script_helper — running Python in a child process.

pymm has no subprocess module: every helper that would start a child
raises SkipTest, so the tests using them are skipped with that reason."""

import unittest

PYMM_NO_SUBPROCESS = "pymm has no subprocess module"


def _skip(*args, **kwargs):
    raise unittest.SkipTest(PYMM_NO_SUBPROCESS)


assert_python_ok = _skip
assert_python_failure = _skip
spawn_python = _skip
run_python_until_end = _skip
kill_python = _skip


def interpreter_requires_environment():
    return False


def make_script(script_dir, script_basename, source, omit_suffix=False):
    name = script_basename if omit_suffix else script_basename + '.py'
    path = script_dir + '/' + name
    with open(path, 'w', encoding='utf-8') as f:
        f.write(source)
    return path
