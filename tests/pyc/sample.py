#!/usr/bin/env python3
"""Run tests/dis/compare.py or tests/pyc/code_info.py over a fixed sample.

  sample.py WHAT PYMM [OPTIONS...] -- PATH...

PATHs relative to python3's standard library (sysconfig's 'stdlib') are
resolved there; absolute paths are used as they are.  A missing file is an
error, never a skip.
"""
import os, subprocess, sys, sysconfig

here = os.path.dirname(os.path.abspath(__file__))
what, pymm = sys.argv[1], sys.argv[2]
rest = sys.argv[3:]
sep = rest.index("--")
opts, paths = rest[:sep], rest[sep + 1:]
lib = sysconfig.get_paths()["stdlib"]
resolved = []
for p in paths:
    full = p if os.path.isabs(p) else os.path.join(lib, p)
    if not os.path.exists(full):
        sys.exit("sample.py: missing sample file %s" % full)
    resolved.append(full)
if what == "code_info":
    cmd = [sys.executable, os.path.join(here, "code_info.py"), pymm] + resolved
else:
    cmd = [sys.executable, os.path.join(here, "..", "dis", "compare.py"), what, pymm] + opts + resolved
sys.exit(subprocess.call(cmd))
