#!/usr/bin/env python3
"""SyntaxError reports: pymm against python3 3.11.

Each cases/NAME.py has its expected report cached in cases/NAME.expected:
a first line `# python3 VERSION exit=STATUS`, then what python3 printed on
stderr running the file (`python3 -B -S NAME.py`), the file's absolute path
replaced by NAME.py.

usage: check_syntax.py PYMM [--refresh] [-v]
  PYMM is run as `PYMM --check FILE` (pymm_parse) -- or `PYMM FILE`-style
  tools accepting --check.  Its stderr and exit status must equal the cache.
  When python3 is 3.11 it is run too: --refresh rewrites the cache from it,
  otherwise a disagreement between python3 and the cache is reported (and
  fails the run) so a stale cache cannot hide.
Prints "syntax: M/T cases match".
"""
import os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, 'cases')

def normalize(text, path, name):
    return text.replace(path, name)

def python_report(path, name):
    r = subprocess.run([os.environ.get('PYTHON3', 'python3'), '-B', '-S', path], capture_output=True)
    return r.returncode, normalize(r.stderr.decode('utf-8', 'replace'), path, name)

def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    pymm = args.pop(0)
    refresh = '--refresh' in args
    verbose = '-v' in args
    py_ok = sys.version_info[:2] == (3, 11)
    version = '%d.%d.%d' % sys.version_info[:3]
    names = sorted(n[:-3] for n in os.listdir(CASES) if n.endswith('.py'))
    ok = 0
    failures = []
    for name in names:
        path = os.path.join(CASES, name + '.py')
        exp_path = os.path.join(CASES, name + '.expected')
        cached = None
        if os.path.exists(exp_path) and not refresh:
            with open(exp_path, encoding='utf-8') as f:
                head, _, body = f.read().partition('\n')
            status = int(head.rsplit('exit=', 1)[1])
            cached = (status, body)
        if py_ok:
            live = python_report(path, name + '.py')
            if cached is None:
                with open(exp_path, 'w', encoding='utf-8') as f:
                    f.write('# python3 %s exit=%d\n%s' % (version, live[0], live[1]))
                cached = live
            elif live != cached:
                failures.append((name, 'python3 %s disagrees with the cache' % version, live, cached))
                continue
        if cached is None:
            failures.append((name, 'no cached report and no python3 3.11 to make one', None, None))
            continue
        r = subprocess.run([pymm, '--check', path], capture_output=True, timeout=60)
        got = (r.returncode, normalize(r.stderr.decode('utf-8', 'replace'), path, name + '.py'))
        if got == cached:
            ok += 1
        else:
            failures.append((name, 'pymm differs', got, cached))
    print('syntax: %d/%d cases match' % (ok, len(names)))
    for name, why, got, want in failures:
        print('  %s: %s' % (name, why))
        if verbose and got is not None:
            print('    want (exit %d):\n%s' % (want[0], ''.join('      ' + l + '\n' for l in want[1].splitlines())))
            print('    got  (exit %d):\n%s' % (got[0], ''.join('      ' + l + '\n' for l in got[1].splitlines())))
    return 0 if ok == len(names) else 1

if __name__ == '__main__':
    sys.exit(main())
