#!/usr/bin/env python3
"""Differential AST check: `pymm --ast FILE` must print exactly
python3's ast.dump(ast.parse(source), include_attributes=True).

usage: check_ast.py PYMM [--list FILE | --stdlib [N] | PATH...] [-v]
  --stdlib      every .py file under python3's standard library that python3
                itself parses (N: only every N-th file, a fixed sample)
  --list FILE   the files named in FILE (one a line, relative to the stdlib)
  --dir DIR     every .py file in DIR (hand-written cases)
Prints "ast: M/T files match" and exits 1 unless all match (or, with
--floor P, unless at least P percent match).  Files python3 rejects must be
rejected too: "rejects: M/R" counts those where pymm fails with python3's
message (the last line of its report), and each mismatch counts as a
failure.
"""
import ast, os, subprocess, sys, sysconfig

def expected(path):
    """(dump, None) when python3 parses the file, else (None, error line)."""
    with open(path, 'rb') as f:
        src = f.read()
    try:
        tree = ast.parse(src)
    except (SyntaxError, ValueError) as e:
        # what running the file prints last (python3 -B -S FILE)
        r = subprocess.run([sys.executable, '-B', '-S', path], capture_output=True)
        lines = r.stderr.decode('utf-8', 'replace').strip().splitlines()
        return None, (lines[-1] if lines else type(e).__name__)
    return ast.dump(tree, include_attributes=True) + '\n', None

def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    pymm = args.pop(0)
    verbose = '-v' in args
    args = [a for a in args if a != '-v']
    floor = None
    if '--floor' in args:
        i = args.index('--floor')
        floor = float(args[i + 1])
        del args[i:i + 2]
    stdlib = sysconfig.get_paths()['stdlib']
    files = []
    if args and args[0] == '--stdlib':
        step = int(args[1]) if len(args) > 1 else 1
        allf = []
        for root, dirs, names in os.walk(stdlib):
            dirs.sort()
            if 'site-packages' in root:
                continue
            for n in sorted(names):
                if n.endswith('.py'):
                    allf.append(os.path.join(root, n))
        files = allf[::step]
    elif args and args[0] == '--dir':
        files = sorted(os.path.join(args[1], n) for n in os.listdir(args[1]) if n.endswith('.py'))
    elif args and args[0] == '--list':
        with open(args[1]) as f:
            files = [os.path.join(stdlib, l.strip()) for l in f if l.strip() and not l.startswith('#')]
    else:
        files = args
    total = ok = 0
    rejects = rejects_ok = 0
    bad = []
    for path in files:
        exp, err = expected(path)
        if exp is None:
            rejects += 1
            r = subprocess.run([pymm, '--check', path], capture_output=True, timeout=60)
            lines = r.stderr.decode('utf-8', 'replace').strip().splitlines()
            if r.returncode == 1 and lines and lines[-1] == err:
                rejects_ok += 1
            else:
                bad.append(path)
                if verbose:
                    print('REJECT MISMATCH', path, '\n  want:', err, '\n  got: ', lines[-1:] or r.returncode)
            continue
        total += 1
        try:
            r = subprocess.run([pymm, '--ast', path], capture_output=True, timeout=60)
            got = r.stdout.decode('utf-8', 'replace')
        except subprocess.TimeoutExpired:
            got = '<timeout>'
        if got == exp:
            ok += 1
        else:
            bad.append(path)
            if verbose:
                i = next((k for k in range(min(len(got), len(exp))) if got[k] != exp[k]), min(len(got), len(exp)))
                print('MISMATCH', path)
                print('  want:', exp[max(0, i - 150):i + 150])
                print('  got: ', got[max(0, i - 150):i + 150] or r.stderr.decode('utf-8', 'replace')[:400])
    print('ast: %d/%d files match' % (ok, total))
    if rejects:
        print('rejects: %d/%d files python3 rejects fail the same way' % (rejects_ok, rejects))
    if not verbose:
        for b in bad[:30]:
            print('  differs:', os.path.relpath(b, stdlib))
    if total == 0:
        return 1
    if floor is not None:
        return 0 if ok * 100.0 >= floor * total else 1
    return 0 if ok == total and rejects_ok == rejects else 1

if __name__ == '__main__':
    sys.exit(main())
