#!/usr/bin/env python3
"""The parser's other modes: tests/ast/modes/NAME.{eval,single,func_type}
parsed by `PYMM --ast-MODE FILE` must print python3's
ast.dump(ast.parse(src, mode=MODE), include_attributes=True).
usage: check_modes.py PYMM"""
import ast, os, subprocess, sys

def main():
    pymm = sys.argv[1]
    d = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'modes')
    ok = total = 0
    for n in sorted(os.listdir(d)):
        mode = n.rsplit('.', 1)[1]
        path = os.path.join(d, n)
        with open(path) as f:
            want = ast.dump(ast.parse(f.read(), mode=mode), include_attributes=True) + '\n'
        r = subprocess.run([pymm, '--ast-' + mode.replace('_', '-'), path], capture_output=True)
        total += 1
        if r.stdout.decode() == want:
            ok += 1
        else:
            print('  differs:', n, r.stdout.decode()[:300], r.stderr.decode()[:300])
    print('modes: %d/%d match' % (ok, total))
    return 0 if ok == total and total > 0 else 1

if __name__ == '__main__':
    sys.exit(main())
