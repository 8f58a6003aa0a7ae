#!/usr/bin/env python3
"""The compiler's construct files (tests/compile/*.py, one construct family
each) compiled by pymm and compared with python3, two ways:
  - every code-object attribute, recursively (tests/dis/compare.py strict),
  - `pymm --dis` text against `python3 -m dis` (tests/dis/compare.py dis --via py).

  check.py PYMM [DIR_OR_FILE...]      (default: this directory)
  check.py PYMM --stdlib              python3's whole Lib/ (the stdlib count)
"""
import os, subprocess, sys, sysconfig

here = os.path.dirname(os.path.abspath(__file__))
compare = os.path.join(here, "..", "dis", "compare.py")
pymm = sys.argv[1]
args = sys.argv[2:] or [here]
if args == ["--stdlib"]:
    args = [sysconfig.get_paths()["stdlib"]]
rc = 0
for mode in (["strict", pymm, "--via", "compile"], ["dis", pymm, "--via", "py"]):
    p = subprocess.run([sys.executable, compare] + mode + args)
    rc |= p.returncode
sys.exit(rc)
