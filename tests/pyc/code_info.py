#!/usr/bin/env python3
"""Compare `pymm --code-info X.pyc` with the same report made by python3:
every code object's attributes (co_varnames/co_cellvars/co_freevars derived
from the locals-plus kinds, ...), co_lines() and co_positions().

  code_info.py PYMM FILE_OR_DIR...   (python3 compiles each file to a .pyc)
"""
import importlib.util
import warnings, marshal, os, subprocess, sys, tempfile

warnings.simplefilter("ignore")  # python3's SyntaxWarnings while compiling the corpus

ATTRS = ("co_argcount", "co_posonlyargcount", "co_kwonlyargcount", "co_stacksize",
         "co_firstlineno", "co_flags", "co_nlocals", "co_names", "co_varnames",
         "co_cellvars", "co_freevars", "co_filename", "co_name", "co_qualname",
         "co_code", "co_linetable", "co_exceptiontable")


def none(v):
    return "None" if v is None else str(v)


def report(co, out):
    out.append("code %s" % co.co_qualname)
    for a in ATTRS:
        out.append("%s %r" % (a, getattr(co, a)))
    out.append("co_lines" + "".join(" (%d, %d, %s)" % (s, e, none(l)) for s, e, l in co.co_lines()))
    out.append("co_positions" + "".join(" (%s)" % ", ".join(none(x) for x in p) for p in co.co_positions()))
    for k in co.co_consts:
        if hasattr(k, "co_code"):
            report(k, out)


def files(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, fs in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in ("site-packages", "__pycache__"))
                for f in sorted(fs):
                    if f.endswith(".py"):
                        yield os.path.join(root, f)
        else:
            yield p


def main():
    pymm, paths = sys.argv[1], sys.argv[2:]
    ok = bad = 0
    tmp = tempfile.mkdtemp()
    pyc = os.path.join(tmp, "x.pyc")
    for path in files(paths):
        try:
            co = compile(open(path, "rb").read(), path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError):
            continue
        with open(pyc, "wb") as f:
            f.write(importlib.util.MAGIC_NUMBER + b"\0" * 12 + marshal.dumps(co))
        want = []
        report(co, want)
        p = subprocess.run([pymm, "--code-info", pyc], capture_output=True)
        got = p.stdout.decode("utf-8", "replace").rstrip("\n").split("\n")
        if p.returncode == 0 and got == want:
            ok += 1
            continue
        bad += 1
        for i, (x, y) in enumerate(zip(want, got)):
            if x != y:
                print("FAIL %s line %d\n  python3: %s\n  pymm:    %s" % (path, i + 1, x[:300], y[:300]))
                break
        else:
            print("FAIL %s: exit %d, %d vs %d lines %s" % (path, p.returncode, len(want), len(got),
                                                          p.stderr.decode()[-200:]))
    os.unlink(pyc) if os.path.exists(pyc) else None
    os.rmdir(tmp)
    print("code-info: %d/%d files equal" % (ok, ok + bad))
    sys.exit(0 if ok and not bad else 1)


main()
