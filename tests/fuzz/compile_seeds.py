#!/usr/bin/env python3
"""Seeds for frontend_compile_fuzz (tests/fuzz/frontend_compile.c).

    python3 compile_seeds.py OUTDIR

Writes one file per source, each with the harness's 3-byte header (mode /
optimize / fault byte, then the failing allocation's number): the compiler
construct files tests/compile/*.py (exec), the parser cases tests/ast/cases
(exec), the first 50 files of tests/ast/stdlib_sample.txt copied from
python3's own Lib (not kept in the repository), and a few eval/single
inputs and fault-injection variants.  Files over 64 KiB are skipped.
"""
import os
import sys
import sysconfig

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LIMIT = 64 * 1024


def header(mode=0, optimize=3, fault=None):
    b0 = mode | optimize << 2 | (16 if fault is not None else 0)
    n = fault or 0
    return bytes([b0, n & 255, n >> 8 & 255])


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        os.unlink(os.path.join(out, f))
    seeds = {}
    comp = os.path.join(ROOT, "tests", "compile")
    for f in sorted(os.listdir(comp)):
        if f.endswith(".py"):
            seeds["compile_" + f] = open(os.path.join(comp, f), "rb").read()
    cases = os.path.join(ROOT, "tests", "ast", "cases")
    for f in sorted(os.listdir(cases)):
        seeds["ast_" + f] = open(os.path.join(cases, f), "rb").read()
    lib = sysconfig.get_paths()["stdlib"]
    with open(os.path.join(ROOT, "tests", "ast", "stdlib_sample.txt")) as fh:
        names = [ln.strip() for ln in fh if ln.strip() and not ln.startswith("#")]
    taken = 0
    for name in names:
        if taken == 50:
            break
        try:
            data = open(os.path.join(lib, name), "rb").read()
        except OSError:
            continue
        if len(data) > LIMIT:
            continue
        seeds["lib_" + name.replace("/", "_")] = data
        taken += 1
    written = 0
    for name, data in seeds.items():
        if len(data) > LIMIT:
            continue
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(header() + data)
        written += 1
    small = {
        "eval_expr": (1, b"[x * 2 for x in range(10) if x] + {1: 2j}[1] ** -1.5\n"),
        "eval_lambda": (1, b"lambda a, /, b=1, *c, d, **e: (yield) if a else b\n"),
        "single_stmt": (2, b"for i in range(3): print(i)\n"),
        "single_expr": (2, b"a.b[c:d] = 1 + 2 * 3\n"),
        "exec_async": (0, b"async def f():\n    async with a as b:\n        await c\n"),
    }
    for name, (mode, src) in small.items():
        for opt in (0, 1, 2, 3):
            with open(os.path.join(out, f"{name}_O{opt}"), "wb") as fh:
                fh.write(header(mode, opt) + src)
                written += 1
        for nth in (1, 7, 40, 150):
            with open(os.path.join(out, f"{name}_fault{nth}"), "wb") as fh:
                fh.write(header(mode, 3, nth) + src)
                written += 1
    print(f"{written} seeds in {out} ({taken} stdlib files)")


main()
