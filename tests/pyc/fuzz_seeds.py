#!/usr/bin/env python3
"""Write seed inputs for marshal_fuzz: python3's marshal data of a few
standard-library modules and of assorted values.  fuzz_seeds.py DIR"""
import marshal, os, sys, sysconfig

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
lib = sysconfig.get_paths()["stdlib"]
for name in ("json/scanner.py", "bisect.py", "keyword.py", "colorsys.py", "this.py"):
    path = os.path.join(lib, name)
    code = compile(open(path, "rb").read(), path, "exec")
    with open(os.path.join(out, name.replace("/", "_") + ".bin"), "wb") as f:
        f.write(marshal.dumps(code))
values = [0, -1, 2**31, -(2**100), 1.5, -0.0, 1 + 2j, "", "abc", "caf\u00e9", "\ud800", "x" * 300,
          b"", b"\x00", (), (1, "a", None), [1, [2]], {1: 2}, {1, 2}, frozenset({3}), ..., True,
          StopIteration]
for i, v in enumerate(values):
    with open(os.path.join(out, "value%02d.bin" % i), "wb") as f:
        f.write(marshal.dumps(v))
