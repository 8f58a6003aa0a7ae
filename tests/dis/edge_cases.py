#!/usr/bin/env python3
"""Disassembler edge cases python3's own compiler output rarely shows:
code objects made with code.replace() (no location table, positions of
None, huge line numbers, a long chain of EXTENDED_ARG, every FORMAT_VALUE
and MAKE_FUNCTION argument, wide offsets), marshalled to .pyc and shown by
`pymm --dis` vs python3's dis.dis of the same object.

  edge_cases.py PYMM
"""
import dis, importlib.util, io, marshal, os, re, subprocess, sys, tempfile


def src_code(src):
    return compile(src, "edge.py", "exec")


def cases():
    yield "plain", src_code("x = 1\n")
    base = src_code("def f(a, b):\n    return a + b\nprint(f(1, 2))\n")
    yield "no-linetable", base.replace(co_linetable=b"")
    yield "far-lines", base.replace(co_firstlineno=123456)
    f = [c for c in base.co_consts if hasattr(c, "co_code")][0]
    yield "nested-no-lines", base.replace(co_consts=tuple(
        c.replace(co_linetable=b"") if hasattr(c, "co_code") else c for c in base.co_consts))
    # f-strings: every conversion with and without a format spec
    yield "format", src_code("a = 1\nprint(f'{a}{a!s}{a!r}{a!a}{a:>3}{a!s:>3}{a!r:>3}{a!a:>3}')\n")
    # MAKE_FUNCTION with every flag
    yield "make-function", src_code(
        "def outer():\n    z = 1\n    def g(a=1, *, b=2) -> int:\n        return z\n    return g\n")
    # many names and constants: EXTENDED_ARG, wide offsets
    names = "\n".join("v%d = %d.5" % (i, i) for i in range(3000))
    yield "extended-arg", src_code(names + "\nprint(v2999)\n")
    body = "\n".join("    x%d = y + %d" % (i, i) for i in range(1200))
    yield "wide-offsets", src_code("def big(y):\n" + body + "\n    return x0\n")
    yield "exceptions", src_code(
        "try:\n    a()\nexcept (A, B) as e:\n    b()\nelse:\n    c()\nfinally:\n    d()\n"
        "with open('x') as f, g() as h:\n    pass\n")
    yield "kw-names", src_code("f(1, a=2, b=3)\nobj.m(x, *y, **z)\n")
    yield "compare-binop", src_code("a < b <= c == d != e > f >= g\nx @= y ** z // w % v << 1 >> 2\n")


ADDR = re.compile(r" at 0x[0-9a-f]+")


def main():
    pymm = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="pymm-edge-")
    bad = 0
    n = 0
    for name, code in cases():
        n += 1
        buf = io.StringIO()
        dis.dis(code, file=buf)
        want = ADDR.sub(" at 0xADDR", buf.getvalue())
        pyc = os.path.join(tmp, name + ".pyc")
        with open(pyc, "wb") as f:
            f.write(importlib.util.MAGIC_NUMBER + b"\0" * 12 + marshal.dumps(code))
        p = subprocess.run([pymm, "--dis", pyc], capture_output=True, text=True)
        os.unlink(pyc)
        got = ADDR.sub(" at 0xADDR", p.stdout)
        if p.returncode != 0 or got != want:
            bad += 1
            wl, gl = want.split("\n"), got.split("\n")
            i = next((i for i, (a, b) in enumerate(zip(wl, gl)) if a != b), min(len(wl), len(gl)))
            print("FAIL %s (exit %d) line %d\n  python3: %s\n  pymm:    %s\n%s" % (
                name, p.returncode, i + 1, wl[i] if i < len(wl) else "<end>",
                gl[i] if i < len(gl) else "<end>", p.stderr[-300:]))
    os.rmdir(tmp)
    print("dis edge cases: %d/%d equal" % (n - bad, n))
    sys.exit(1 if bad else 0)


main()
