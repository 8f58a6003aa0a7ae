#!/usr/bin/env python3
"""A .pyc written by `pymm --compile` is accepted by python3's import
system as the cached bytecode of its source (3.11 magic, timestamp header
with the source's mtime and size), and it is what runs: after the .pyc is
written the source is changed in place (same size, same mtime), so python3
runs the old code only if it trusted pymm's header.

  import_check.py PYMM
"""
import importlib, importlib.util, os, subprocess, sys, tempfile

pymm = sys.argv[1]
d = tempfile.mkdtemp(prefix="pymm-import-")
os.mkdir(os.path.join(d, "__pycache__"))
src = os.path.join(d, "pymm_mod.py")
body = "def f(x):\n    return [i * x for i in range(4)]\nVALUE = f(%d)\n"
with open(src, "w") as f:
    f.write(body % 3)
st = os.stat(src)
pyc = importlib.util.cache_from_source(src)
subprocess.run([pymm, "--compile", src, pyc], check=True)
with open(src, "w") as f:
    f.write(body % 5)
os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns))
sys.dont_write_bytecode = True
sys.path.insert(0, d)
mod = importlib.import_module("pymm_mod")
ok = mod.VALUE == [0, 3, 6, 9]
for p in (pyc, src):
    os.unlink(p)
os.rmdir(os.path.join(d, "__pycache__"))
os.rmdir(d)
if not ok:
    sys.exit("python3 did not use pymm's .pyc (VALUE = %r)" % (mod.VALUE,))
print("ok: python3 imported pymm's .pyc")
