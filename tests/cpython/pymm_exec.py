"""Run one of CPython's test files under pymm, as `pymm FILE ARGS` would,
with what tests/cpython/run_pymm_tests.py needs around it.  Run by pymm:

    pymm pymm_exec.py [--report PATH] [--exclude PATH] FILE [unittest args]

- the shims/ directory beside this file goes last on sys.path (after
  pymm's lib/), so modules pymm lacks get a placeholder or a small
  test-only stand-in, and real modules always win;
- sys.path[0] and sys.argv are those of `pymm FILE`;
- --report: unittest's runner appends each test's outcome to PATH;
- --exclude: test ids (one a line) left out of the run — the tests that
  crashed pymm in an earlier run of the same file;
- FILE is compiled and executed as the __main__ module (its
  unittest.main() call runs the tests).
"""

import sys


def main():
    here = __file__.rsplit('/', 1)[0] if '/' in __file__ else '.'
    args = sys.argv[1:]
    report = None
    exclude = None
    while args and args[0].startswith('--'):
        opt = args.pop(0)
        if opt == '--report':
            report = args.pop(0)
        elif opt == '--exclude':
            exclude = args.pop(0)
        else:
            raise SystemExit('pymm_exec.py: unknown option ' + opt)
    if not args:
        raise SystemExit('usage: pymm pymm_exec.py [--report P] [--exclude P] FILE [args]')
    path = args[0]
    sys.path.append(here + '/shims')
    sys.path[0] = path.rsplit('/', 1)[0] if '/' in path else ''
    sys.argv = args

    import unittest.runner
    unittest.runner.report_path = report
    if exclude:
        with open(exclude, encoding='utf-8') as f:
            ids = [line.strip() for line in f if line.strip()]
        sys.modules['unittest.main'].excluded_ids.update(ids)

    with open(path, encoding='utf-8') as f:
        source = f.read()
    code = compile(source, path, 'exec')
    module = type(sys)('__main__')
    module.__file__ = path
    module.__builtins__ = __builtins__
    sys.modules['__main__'] = module
    exec(code, module.__dict__)


main()
