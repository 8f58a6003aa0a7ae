#!/usr/bin/env python3
"""Differential checks of pymm's code objects against python3 (3.11).

  compare.py dis    PYMM [--via pyc|py] [--list OUT] FILE_OR_DIR...
      `pymm --dis` vs `python3 -m dis` text (code-object addresses and the
      order of frozenset items normalized).  --via pyc (default): python3
      compiles each file and writes a .pyc, pymm disassembles that .pyc: this
      tests marshal + code objects + dis independently of pymm's compiler.
      --via py: pymm compiles the source itself.
  compare.py strict PYMM [--via compile|roundtrip] [--list OUT] FILE_OR_DIR...
      every attribute of every code object, recursively, compared with
      compile(src, FILE, 'exec'); prints the first difference per file.
      --via compile (default): `pymm --compile FILE out.pyc`; --via roundtrip:
      python3's .pyc loaded and written again by pymm (`pymm --roundtrip`).
  compare.py bytes  PYMM [--via roundtrip|compile] FILE_OR_DIR...
      how many .pyc files pymm writes are byte-identical to python3's
      marshal.dumps (FLAG_REF follows CPython's reference counts and set
      items are sorted by their marshal data: see marshal.c);
      --via roundtrip (default): python3's code loaded and written again;
      --via compile: `pymm --compile` vs py_compile's data.
  compare.py run    PYMM FILE...
      each program's .pyc written back by pymm runs in python3 with the same
      output as the original.

Directories are walked for *.py (site-packages skipped); files python3
itself cannot compile are left out and counted.  Exit status 0 when every
file passed (or, with --floor P, when at least P percent passed).
"""
import argparse
import concurrent.futures as cf
import io
import importlib.util
import warnings
import marshal
import os
import re
import subprocess
import sys
import tempfile
import dis as pydis

if sys.version_info[:2] != (3, 11):
    sys.exit("compare.py needs python 3.11 (this is %s)" % sys.version.split()[0])

warnings.simplefilter("ignore")  # python3's SyntaxWarnings while compiling the corpus

ATTRS = ("co_argcount", "co_posonlyargcount", "co_kwonlyargcount", "co_stacksize",
         "co_firstlineno", "co_flags", "co_nlocals", "co_name", "co_qualname",
         "co_filename", "co_names", "co_varnames", "co_cellvars", "co_freevars",
         "co_code", "co_linetable", "co_exceptiontable")


def gather(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d != "site-packages" and d != "__pycache__")
                out.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(".py"))
        else:
            out.append(p)
    return out


def py_compile_or_none(path):
    """(source bytes, code) -- code None when python3 cannot compile it."""
    with open(path, "rb") as f:
        src = f.read()
    try:
        return src, compile(src, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, UnicodeDecodeError, OverflowError, MemoryError, RecursionError):
        return src, None


def pyc_bytes(code, body=None):
    body = marshal.dumps(code) if body is None else body
    return importlib.util.MAGIC_NUMBER + b"\0" * 12 + body


def _split_top(s):
    """Split 'a, b, c' at top-level ', ' (quotes and brackets respected)."""
    parts, depth, cur, i, q = [], 0, [], 0, None
    while i < len(s):
        c = s[i]
        if q:
            cur.append(c)
            if c == "\\" and i + 1 < len(s):
                cur.append(s[i + 1]); i += 1
            elif c == q:
                q = None
        elif c in "'\"":
            q = c; cur.append(c)
        elif c in "([{":
            depth += 1; cur.append(c)
        elif c in ")]}":
            depth -= 1; cur.append(c)
        elif c == "," and depth == 0 and s[i + 1:i + 2] == " ":
            parts.append("".join(cur)); cur = []; i += 1
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


def _norm_frozensets(line):
    start = 0
    while True:
        k = line.find("frozenset({", start)
        if k < 0:
            return line
        j, depth, q = k + len("frozenset("), 0, None
        while j < len(line):
            c = line[j]
            if q:
                if c == "\\":
                    j += 1
                elif c == q:
                    q = None
            elif c in "'\"":
                q = c
            elif c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        inner = line[k + len("frozenset({"):j]
        items = sorted(_norm_frozensets(x) for x in _split_top(inner))
        new = "frozenset({" + ", ".join(items) + "})"
        line = line[:k] + new + line[j + 2:]
        start = k + len(new)


ADDR = re.compile(r" at 0x[0-9a-f]+")


def normalize(text):
    return "\n".join(_norm_frozensets(ADDR.sub(" at 0xADDR", l)) for l in text.split("\n"))


def py_dis_text(code):
    buf = io.StringIO()
    pydis.dis(code, file=buf)
    return buf.getvalue()


def run_pymm(args, timeout=120):
    try:
        p = subprocess.run(args, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return -999, "", "timeout"


def first_text_diff(a, b):
    al, bl = a.split("\n"), b.split("\n")
    for i, (x, y) in enumerate(zip(al, bl)):
        if x != y:
            return "line %d:\n  python3: %s\n  pymm:    %s" % (i + 1, x, y)
    return "length: python3 %d lines, pymm %d lines" % (len(al), len(bl))


def check_dis(pymm, path, via, tmpdir):
    src, code = py_compile_or_none(path)
    if code is None:
        return "skip", ""
    want = normalize(py_dis_text(code))
    if via == "pyc":
        fd, pyc = tempfile.mkstemp(suffix=".pyc", dir=tmpdir)
        with os.fdopen(fd, "wb") as f:
            f.write(pyc_bytes(code))
        rc, out, err = run_pymm([pymm, "--dis", pyc])
        os.unlink(pyc)
    else:
        rc, out, err = run_pymm([pymm, "--dis", path])
    if rc != 0:
        return "fail", "pymm exit %d: %s" % (rc, err.strip()[-300:])
    got = normalize(out)
    if got != want:
        return "fail", first_text_diff(want, got)
    return "ok", ""


def strict_key(v):
    """A comparable form of a constant: type-strict, floats by bits."""
    if isinstance(v, float):
        return ("float", v.hex() if v == v else "nan", str(v))
    if isinstance(v, complex):
        return ("complex", strict_key(v.real), strict_key(v.imag))
    if isinstance(v, tuple):
        return ("tuple",) + tuple(strict_key(x) for x in v)
    if isinstance(v, frozenset):
        return ("frozenset",) + tuple(sorted(repr(strict_key(x)) for x in v))
    if hasattr(v, "co_code"):
        return ("code", v.co_qualname)
    return (type(v).__name__, v)


def code_diff(a, b, where):
    """First difference between code objects a (python3) and b (pymm)."""
    for attr in ATTRS:
        x, y = getattr(a, attr), getattr(b, attr)
        if type(x) is not type(y) or x != y:
            return "%s.%s:\n  python3: %r\n  pymm:    %r" % (where, attr, x, y)
    if list(a.co_lines()) != list(b.co_lines()):
        return "%s.co_lines() differs" % where
    if list(a.co_positions()) != list(b.co_positions()):
        return "%s.co_positions() differs" % where
    if len(a.co_consts) != len(b.co_consts):
        return "%s.co_consts: python3 %r\n  pymm: %r" % (where, a.co_consts, b.co_consts)
    for i, (x, y) in enumerate(zip(a.co_consts, b.co_consts)):
        if hasattr(x, "co_code") and hasattr(y, "co_code"):
            d = code_diff(x, y, "%s.co_consts[%d](%s)" % (where, i, x.co_name))
            if d:
                return d
        elif strict_key(x) != strict_key(y):
            return "%s.co_consts[%d]:\n  python3: %r\n  pymm:    %r" % (where, i, x, y)
    return None


def check_strict(pymm, path, via, tmpdir):
    src, code = py_compile_or_none(path)
    if code is None:
        return "skip", ""
    fd, out = tempfile.mkstemp(suffix=".pyc", dir=tmpdir)
    os.close(fd)
    try:
        if via == "compile":
            rc, _, err = run_pymm([pymm, "--compile", path, out])
        else:
            fd, inp = tempfile.mkstemp(suffix=".pyc", dir=tmpdir)
            with os.fdopen(fd, "wb") as f:
                f.write(pyc_bytes(code))
            rc, _, err = run_pymm([pymm, "--roundtrip", inp, out])
            os.unlink(inp)
        if rc != 0:
            return "fail", "pymm exit %d: %s" % (rc, err.strip()[-300:])
        with open(out, "rb") as f:
            data = f.read()
    finally:
        os.unlink(out)
    if data[:4] != importlib.util.MAGIC_NUMBER:
        return "fail", "bad magic %r" % data[:4]
    try:
        got = marshal.loads(data[16:])
    except Exception as e:
        return "fail", "python3 cannot load pymm's .pyc: %s: %s" % (type(e).__name__, e)
    d = code_diff(code, got, "<module>")
    return ("fail", d) if d else ("ok", "")


def check_bytes(pymm, path, via, tmpdir):
    src, code = py_compile_or_none(path)
    if code is None:
        return "skip", ""
    want = marshal.dumps(code)
    fd, inp = tempfile.mkstemp(suffix=".pyc", dir=tmpdir)
    with os.fdopen(fd, "wb") as f:
        f.write(pyc_bytes(code, want))
    out = inp + ".out"
    if via == "compile":
        rc, _, err = run_pymm([pymm, "--compile", path, out])
    else:
        rc, _, err = run_pymm([pymm, "--roundtrip", inp, out])
    os.unlink(inp)
    if rc != 0:
        return "fail", err.strip()[-300:]
    with open(out, "rb") as f:
        got = f.read()[16:]
    os.unlink(out)
    if got == want:
        return "ok", ""
    # Same value, different bytes: say where the streams first part.
    i = next((i for i, (x, y) in enumerate(zip(want, got)) if x != y), min(len(want), len(got)))
    same = marshal.loads(got) == marshal.loads(want)
    return "fail", "bytes differ at %d of %d (value %s)" % (i, len(want), "equal" if same else "DIFFERENT")


def check_run(pymm, path, tmpdir):
    src, code = py_compile_or_none(path)
    if code is None:
        return "fail", "python3 cannot compile it"
    fd, inp = tempfile.mkstemp(suffix=".pyc", dir=tmpdir)
    with os.fdopen(fd, "wb") as f:
        f.write(pyc_bytes(code))
    out = inp + ".out"
    rc, _, err = run_pymm([pymm, "--roundtrip", inp, out])
    os.unlink(inp)
    if rc != 0:
        return "fail", err.strip()[-300:]
    runner = ("import marshal, sys\n"
              "data = open(sys.argv[1], 'rb').read()\n"
              "code = marshal.loads(data[16:])\n"
              "exec(code, {'__name__': '__main__', '__file__': %r})\n" % path)
    p1 = subprocess.run([sys.executable, path], capture_output=True, timeout=120)
    p2 = subprocess.run([sys.executable, "-c", runner, out], capture_output=True, timeout=120)
    os.unlink(out)
    if (p1.returncode, p1.stdout, p1.stderr) != (p2.returncode, p2.stdout, p2.stderr):
        return "fail", "output differs:\n  python3: %r\n  pymm .pyc: %r" % (
            (p1.returncode, p1.stdout[-200:], p1.stderr[-200:]),
            (p2.returncode, p2.stdout[-200:], p2.stderr[-200:]))
    if not p1.stdout:
        return "fail", "the program printed nothing (a test must show output)"
    return "ok", ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["dis", "strict", "bytes", "run"])
    ap.add_argument("pymm")
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--via", default=None)
    ap.add_argument("--list", default=None, help="write every failure here")
    ap.add_argument("--floor", type=float, default=100.0, help="pass percentage needed")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    if not os.access(a.pymm, os.X_OK):
        sys.exit("compare.py: no pymm binary at %s" % a.pymm)
    files = gather(a.paths)
    if not files:
        sys.exit("compare.py: no files")
    tmpdir = tempfile.mkdtemp(prefix="pymm-cmp-")

    def one(path):
        if a.what == "dis":
            return check_dis(a.pymm, path, a.via or "pyc", tmpdir)
        if a.what == "strict":
            return check_strict(a.pymm, path, a.via or "compile", tmpdir)
        if a.what == "bytes":
            return check_bytes(a.pymm, path, a.via or "roundtrip", tmpdir)
        return check_run(a.pymm, path, tmpdir)

    counts = {"ok": 0, "fail": 0, "skip": 0}
    failures = []
    with cf.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for path, (status, msg) in zip(files, ex.map(one, files)):
            counts[status] += 1
            if status == "fail":
                failures.append((path, msg))
                if not a.quiet:
                    print("FAIL %s\n%s" % (path, msg))
    os.rmdir(tmpdir)
    if a.list:
        with open(a.list, "w") as f:
            for path, msg in failures:
                f.write("FAIL %s\n%s\n" % (path, msg))
    total = counts["ok"] + counts["fail"]
    pct = 100.0 * counts["ok"] / total if total else 0.0
    via = a.via or {"dis": "pyc", "strict": "compile"}.get(a.what, "roundtrip")
    print("%s (via %s): %d/%d files equal (%.1f%%), %d failed, %d skipped (python3 cannot compile them)"
          % (a.what, via, counts["ok"], total, pct, counts["fail"], counts["skip"]))
    sys.exit(0 if total and pct >= a.floor else 1)


if __name__ == "__main__":
    main()
