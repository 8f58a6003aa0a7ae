#!/usr/bin/env python3
"""Compile-time SyntaxErrors found by the symbol table and the code
generator: `pymm --dis FILE` must print python3's report (the block python3
prints for an uncaught SyntaxError when running FILE) and exit 1."""
import os, subprocess, sys, tempfile

CASES = [
    "def f():\n    x = 1\n    global x\n",
    "def f():\n    print(x)\n    global x\n",
    "def f(a):\n    global a\n",
    "def f():\n    x: int = 1\n    global x\n",
    "def f():\n    x = 1\n    nonlocal x\n",
    "nonlocal y\n",
    "def f():\n    def g():\n        nonlocal zz\n",
    "def f(a, a):\n    pass\n",
    "for x in y:\n    pass\nbreak\n",
    "continue\n",
    "class C:\n    return 1\n",
    "return 2\n",
    "def f(a):\n    [(yield a) for b in a]\n",
    "def f(a):\n    {(yield a) for b in a}\n",
    "yield 1\n",
    "await x\n",
    "def f():\n    await x\n",
    "async def f():\n    yield 1\n    return 2\n",
    "match x:\n    case y: pass\n    case 1: pass\n",
    "match x:\n    case _: pass\n    case 1: pass\n",
    "match x:\n    case [a, a]: pass\n",
    "match x:\n    case a | b: pass\n",
    "match x:\n    case {1: a, 1: b}: pass\n",
    "match x:\n    case C(a=1, a=2): pass\n",
    "def f():\n    from m import *\n",
    "[x for x in (y := [1])]\n",
    "[(i := 0) for i in range(3)]\n",
    "class C:\n    [(j := 0) for i in range(3)]\n",
    "f(a=1, a=2)\n",
    "try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass\n",
    "try:\n    pass\nexcept* E:\n    break\n",
    "x = 1\nfrom __future__ import annotations\n",
    "from __future__ import braces\n",
    "from __future__ import nope\n",
    "def f():\n    x = 1\n    def g():\n        global x\n        nonlocal x\n",
    "__debug__ = 1\n",
    "def f(__debug__): pass\n",
    "a, *b, *c = x\n",
    "*a = 1\n",
    "x = *a\n",
    "print(*a)\nx = *a, *b\ny = *c\n",
    "async def f():\n    yield from x\n",
    "[x async for x in y]\n",
    "def f():\n    [x async for x in y]\n",
    "async def f():\n    def g():\n        await x\n",
    "class C:\n    def f(self):\n        nonlocal __x\n",
    "def f():\n    x = 1\n    def g():\n        nonlocal x\n        global x\n",
    "for x in y:\n    def f():\n        break\n",
    "while x:\n    class C:\n        continue\n",
]


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stderr


def main():
    pymm = sys.argv[1]
    bad = 0
    with tempfile.TemporaryDirectory() as d:
        for i, src in enumerate(CASES):
            path = os.path.join(d, "case%d.py" % i)
            with open(path, "w") as f:
                f.write(src)
            rc_ref, ref = run([sys.executable, path])
            if rc_ref != 1 or "Error" not in ref:
                print("python3 did not reject case %d: %r" % (i, src))
                bad += 1
                continue
            # python3 prints the traceback header only for errors at run time
            rc, mine = run([pymm, "--dis", path])
            if rc != 1 or mine != ref:
                bad += 1
                print("FAIL case %d %r\n  python3 (%d):\n%s  pymm (%d):\n%s" % (i, src, rc_ref, ref, rc, mine))
    print("compile errors: %d/%d equal to python3" % (len(CASES) - bad, len(CASES)))
    sys.exit(1 if bad else 0)


main()
