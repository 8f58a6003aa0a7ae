#!/usr/bin/env python3
"""Run CPython's own test_gc.py, test_weakref.py and test_memoryview.py
under pymm (issue 14) and compare each test's outcome with the
expectations checked in beside this script (pymm_expected.txt).

    python3 tests/cpython/run_pymm_tests.py BUILD/pymm [--update] [-v] [NAME...]

The test files are used unchanged, from the install of the python3 that
python3-config names (PREFIX/lib/python3.11/test/); PYMM_CPYTHON_TESTDIR
overrides.  Each file is run as `pymm tests/cpython/pymm_exec.py FILE -v`
(pymm_exec.py executes it as __main__, with pymm's lib/ unittest and
test.support, and the placeholders of shims/ for modules pymm lacks).
pymm's unittest appends every outcome to a report file as it happens, so
a test that crashes pymm is named: it is recorded as "crash" and the
file is run again without it, until a run ends normally.

Outcomes: ok, fail, error, skip, xfail (expected failure), xpass
(unexpected success), crash, missing (never reported: the file did not
import, or the run timed out).

Exit status 1 on a regression: a test expected "ok" that is not ok now,
a crash that was not expected, or memory not given back at the end of a
run (pymm runs with PYMM_CHECK_BLOCKS=1).  Tests that do better than expected
are listed with "update the expectation" (--update rewrites the file
from this run; review the diff).  Per file, the counts and the skip
reasons grouped are printed.
"""

import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EXPECTED = os.path.join(HERE, 'pymm_expected.txt')
FILES = ['test_gc', 'test_weakref', 'test_memoryview']
TIMEOUT = 600          # seconds for one run of one file
MAX_RERUNS = 25        # crashes tolerated per file before giving up
OUTCOMES = ('ok', 'fail', 'error', 'skip', 'xfail', 'xpass', 'crash', 'missing')


def cpython_test_dir():
    d = os.environ.get('PYMM_CPYTHON_TESTDIR')
    if d:
        return d
    try:
        prefix = subprocess.run(['python3-config', '--prefix'], capture_output=True,
                                text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit('run_pymm_tests: python3-config --prefix failed (%s); set '
                 'PYMM_CPYTHON_TESTDIR' % e)
    d = os.path.join(prefix, 'lib', 'python3.11', 'test')
    if not os.path.isfile(os.path.join(d, 'test_gc.py')):
        sys.exit('run_pymm_tests: no CPython test files in %s' % d)
    return d


def short_id(test_id):
    """'__main__.GCTests.test_x' -> 'GCTests.test_x'."""
    return test_id[len('__main__.'):] if test_id.startswith('__main__.') else test_id


def run_file(pymm, path, verbose):
    """Run one file (again after each crash).  Returns ({id: (outcome,
    reason)}, notes)."""
    outcomes = {}
    crashed = []
    notes = []
    with tempfile.TemporaryDirectory(prefix='pymm_cpytests_') as tmp:
        report = os.path.join(tmp, 'report.tsv')
        exclude = os.path.join(tmp, 'exclude.txt')
        for attempt in range(MAX_RERUNS + 1):
            open(report, 'w').close()
            with open(exclude, 'w') as f:
                f.write(''.join(c + '\n' for c in crashed))
            cmd = [pymm, os.path.join(HERE, 'pymm_exec.py'), '--report', report,
                   '--exclude', exclude, path, '-v']
            # PYMM_CHECK_BLOCKS=1: pymm says when the run did not give back
            # every byte it took (a leak in what the tests exercised)
            env = dict(os.environ, PYMM_CPYTHON_TESTDIR=os.path.dirname(path),
                       PYMM_CHECK_BLOCKS='1')
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, errors='replace',
                                      timeout=TIMEOUT, cwd=tmp, env=env)
                rc, out = proc.returncode, proc.stdout + proc.stderr
            except subprocess.TimeoutExpired as e:
                rc = 'timeout'
                out = ((e.stdout or b'').decode('utf-8', 'replace') if isinstance(e.stdout, bytes)
                       else (e.stdout or '')) + '\n[timed out after %d s]\n' % TIMEOUT
            if verbose:
                sys.stdout.write(out)
            started = None
            with open(report, encoding='utf-8', errors='replace') as f:
                for line in f:
                    fields = line.rstrip('\n').split('\t')
                    if fields[0] == 'start':
                        started = fields[1]
                        continue
                    kind, tid = fields[0], fields[1]
                    reason = fields[2] if len(fields) > 2 else ''
                    if tid == started:
                        started = None
                    prev = outcomes.get(tid)
                    # a test reported twice (an error in a cleanup, failed
                    # subtests): the first outcome that is not ok counts
                    if prev is None or prev[0] == 'ok':
                        outcomes[tid] = (kind, reason)
            ended = isinstance(rc, int) and rc in (0, 1, 3) and 'Ran ' in out
            for line in out.split('\n'):
                if 'bytes not returned after the run' in line:
                    notes.append('LEAK: ' + line.strip())
            if ended:
                break
            if started is not None and rc != 'timeout':
                outcomes[started] = ('crash', 'exit status %s' % rc)
                crashed.append(started)
                notes.append('%s crashed pymm (exit status %s): run again without it'
                              % (short_id(started), rc))
                continue
            tail = '\n'.join(out.strip().split('\n')[-8:])
            notes.append('the run ended early (exit status %s):\n%s' % (rc, tail))
            break
    return outcomes, notes


def load_expected():
    expected = {}
    if not os.path.exists(EXPECTED):
        return expected
    with open(EXPECTED, encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            name, tid, outcome = line.split()
            expected.setdefault(name, {})[tid] = outcome
    return expected


HEADER = """\
# Expected outcome of each test of CPython's test_gc.py, test_weakref.py
# and test_memoryview.py under pymm: `file test outcome  # reason`.
# Written by `python3 tests/cpython/run_pymm_tests.py BUILD/pymm --update`
# (review the diff); read by the same script without --update, which
# fails when a test expected "ok" is not ok any more or a test crashes.
"""


def write_expected(results):
    with open(EXPECTED, 'w', encoding='utf-8') as f:
        f.write(HEADER)
        for name in FILES:
            if name not in results:
                continue
            for tid in sorted(results[name]):
                kind, reason = results[name][tid]
                reason = ' '.join(reason.split())[:100]
                f.write('%s %s %s%s\n' % (name, tid, kind, '  # ' + reason if reason
                                          and kind != 'ok' else ''))


def main(argv):
    args = [a for a in argv[1:] if not a.startswith('-')]
    opts = [a for a in argv[1:] if a.startswith('-')]
    if not args:
        sys.exit(__doc__)
    pymm = os.path.abspath(args[0])
    names = args[1:] or FILES
    update = '--update' in opts
    verbose = '-v' in opts
    testdir = cpython_test_dir()
    expected = load_expected()
    results = {}
    regressions = []
    improvements = []
    for name in names:
        path = os.path.join(testdir, name + '.py')
        outcomes, notes = run_file(pymm, path, verbose)
        got = {short_id(t): v for t, v in outcomes.items()}
        exp = expected.get(name, {})
        for tid, kind in exp.items():
            if tid not in got:
                got[tid] = ('missing', 'not reported')
        results[name] = got
        counts = dict.fromkeys(OUTCOMES, 0)
        reasons = {}
        for tid, (kind, reason) in got.items():
            counts[kind] += 1
            if kind == 'skip':
                reasons[reason] = reasons.get(reason, 0) + 1
            want = exp.get(tid)
            if want == 'ok' and kind != 'ok':
                regressions.append('%s %s: expected ok, got %s (%s)' % (name, tid, kind, reason))
            elif kind == 'crash' and want != 'crash':
                regressions.append('%s %s: crashed pymm (%s)' % (name, tid, reason))
            elif kind == 'ok' and want != 'ok':
                improvements.append('%s %s: %s -> ok' % (name, tid, want or 'new'))
        print('%s: %d tests: passed %d, failed %d, errors %d, skipped %d%s%s%s%s' % (
            name, len(got), counts['ok'], counts['fail'], counts['error'], counts['skip'],
            ', expected failures %d' % counts['xfail'] if counts['xfail'] else '',
            ', unexpected successes %d' % counts['xpass'] if counts['xpass'] else '',
            ', crashed %d' % counts['crash'] if counts['crash'] else '',
            ', missing %d' % counts['missing'] if counts['missing'] else ''))
        for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
            print('    skipped %3d: %s' % (n, reason))
        for note in notes:
            print('    note: ' + note.replace('\n', '\n          '))
            if note.startswith('LEAK'):
                regressions.append('%s: %s' % (name, note))
    if update:
        merged = {}
        for name in FILES:
            if name in results:
                merged[name] = results[name]
            elif name in expected:
                merged[name] = {t: (k, '') for t, k in expected[name].items()}
        write_expected(merged)
        print('run_pymm_tests: wrote %s' % EXPECTED)
        return 0
    if improvements:
        print('better than expected (update the expectation: --update):')
        for line in improvements:
            print('    ' + line)
    if regressions:
        print('REGRESSIONS:')
        for line in regressions:
            print('    ' + line)
        return 1
    print('run_pymm_tests: no regression')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
