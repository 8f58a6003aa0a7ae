#!/usr/bin/env python3
"""Compile speed: tokenize + parse + compile python3's whole standard library
(Lib/, tests included) with pymm, with this python3's compile(), and with
Debian's python3.11 when present.  One run each; the sources are read into
memory first and only the compiling is timed.  pymm may not compile every
file yet: the files it fails on are left out of every implementation's run
and counted, so the three times are over the same set.

  compile_stdlib.py PYMM

Prints a human summary and the machine-readable lines
  bench interp compile_stdlib <impl> seconds=<s> files=<n>
"""
import os, subprocess, sys, sysconfig, tempfile, warnings

TIMER = r'''
import sys, time, warnings
warnings.simplefilter("ignore")
paths = open(sys.argv[1]).read().split("\n")
paths = [p for p in paths if p]
srcs = [open(p, "rb").read() for p in paths]
t0 = time.perf_counter()
for p, s in zip(paths, srcs):
    compile(s, p, "exec", dont_inherit=True)
print("seconds=%.3f" % (time.perf_counter() - t0))
'''


def stdlib_files():
    lib = sysconfig.get_paths()["stdlib"]
    out = []
    for root, dirs, files in os.walk(lib):
        dirs[:] = sorted(d for d in dirs if d not in ("site-packages", "__pycache__"))
        for f in sorted(files):
            if f.endswith(".py"):
                p = os.path.join(root, f)
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        compile(open(p, "rb").read(), p, "exec", dont_inherit=True)
                except (SyntaxError, ValueError):
                    continue
                out.append(p)
    return out


def time_python(exe, listfile):
    p = subprocess.run([exe, "-c", TIMER, listfile], capture_output=True, text=True)
    if p.returncode != 0:
        return None
    return float(p.stdout.strip().split("=")[1])


def main():
    pymm = sys.argv[1]
    files = stdlib_files()
    tmp = tempfile.mkdtemp(prefix="pymm-bench-")
    listfile = os.path.join(tmp, "files.txt")
    with open(listfile, "w") as f:
        f.write("\n".join(files) + "\n")
    p = subprocess.run([pymm, "--bench-compile", listfile], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("pymm --bench-compile failed: %s" % p.stderr.strip()[-500:])
    line = p.stdout.strip().splitlines()[-1]
    pymm_secs = float(line.split("seconds=")[1])
    okfile = listfile + ".ok"
    nok = sum(1 for l in open(okfile) if l.strip())
    print("pymm compiled %d of %d files python3 compiles (%s)" % (nok, len(files), line))
    results = [("pymm", pymm_secs)]
    cp = time_python(sys.executable, okfile)
    if cp is not None:
        results.append(("cpython-%d.%d.%d" % sys.version_info[:3], cp))
    deb = "/usr/bin/python3.11"
    if os.path.exists(deb):
        dp = time_python(deb, okfile)
        if dp is not None:
            results.append(("debian-python3.11", dp))
    for impl, secs in results:
        print("bench interp compile_stdlib %s seconds=%.3f files=%d" % (impl, secs, nok))
    for impl, secs in results[1:]:
        print("ratio pymm/%s = %.2f (below 1: pymm faster)" % (impl, pymm_secs / secs if secs else float("nan")))
    for f in (listfile, okfile):
        os.unlink(f)
    os.rmdir(tmp)


main()
