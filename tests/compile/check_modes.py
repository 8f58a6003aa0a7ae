#!/usr/bin/env python3
"""'eval' and 'single' (interactive) compiles against python3's
compile(src, FILE, mode): every code-object attribute, recursively.
  check_modes.py COMPILE_MODE_PROGRAM"""
import marshal, os, subprocess, sys, tempfile

CASES = [
    ("eval", "1 + 2"),
    ("eval", "x if y else [i for i in z]"),
    ("eval", "lambda a, *b: (a, b)"),
    ("eval", "f(*a, **k).m(1)[2:3]"),
    ("single", "x = 1\n"),
    ("single", "x + 1\n"),
    ("single", "f(1)\n"),
    ("single", "if x:\n    y\n    z = 2\n\n"),
    ("single", "def f():\n    return 1\n\n"),
    ("single", "for i in range(3): i\n"),
    ("single", "a: int = 1\n"),
    ("single", "class C:\n    x\n\n"),
    ("exec", "x\ny = 1\n"),
]
ATTRS = ("co_argcount", "co_posonlyargcount", "co_kwonlyargcount", "co_stacksize",
         "co_firstlineno", "co_flags", "co_nlocals", "co_name", "co_qualname", "co_names",
         "co_varnames", "co_cellvars", "co_freevars", "co_code", "co_linetable",
         "co_exceptiontable")


def diff(a, b, path):
    for attr in ATTRS:
        if getattr(a, attr) != getattr(b, attr):
            return "%s.%s: python3 %r, pymm %r" % (path, attr, getattr(a, attr), getattr(b, attr))
    if len(a.co_consts) != len(b.co_consts):
        return "%s.co_consts: python3 %r, pymm %r" % (path, a.co_consts, b.co_consts)
    for i, (x, y) in enumerate(zip(a.co_consts, b.co_consts)):
        if hasattr(x, "co_code") and hasattr(y, "co_code"):
            d = diff(x, y, "%s.co_consts[%d]" % (path, i))
            if d:
                return d
        elif type(x) is not type(y) or x != y:
            return "%s.co_consts[%d]: python3 %r, pymm %r" % (path, i, x, y)
    return None


def main():
    prog = sys.argv[1]
    bad = 0
    with tempfile.TemporaryDirectory() as d:
        for i, (mode, src) in enumerate(CASES):
            path = os.path.join(d, "m%d.py" % i)
            with open(path, "w") as f:
                f.write(src)
            ref = compile(src, path, mode)
            p = subprocess.run([prog, mode, path], capture_output=True)
            if p.returncode != 0:
                bad += 1
                print("FAIL %s %r: %s" % (mode, src, p.stderr.decode()))
                continue
            d2 = diff(ref, marshal.loads(p.stdout), "<%s>" % mode)
            if d2:
                bad += 1
                print("FAIL %s %r\n  %s" % (mode, src, d2))
    print("modes: %d/%d equal" % (len(CASES) - bad, len(CASES)))
    sys.exit(1 if bad else 0)


main()
