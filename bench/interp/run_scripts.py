#!/usr/bin/env python3
"""Interpreter benchmarks: bench/interp/scripts/*.py under pymm, Debian's
python3.11 (impl "cpython", the faster build and the reference for ratios)
and pyenv's python3 (impl "cpython-pyenv"), in one run.

Each (script, implementation) runs BENCH_INTERP_RUNS times (default 3),
round robin, one process per run (start-up included: every script runs for
a fraction of a second or more); the fastest counts.  Every run's stdout
must equal python3.11's (a wrong answer fails the benchmark).  Prints a
table with seconds and pymm ÷ cpython per script, the geometric mean, and
lines
  bench interp <script> <pymm|cpython|cpython-pyenv> seconds=<s>
  bench interp geomean pymm ratio=<pymm/cpython>

usage: run_scripts.py PYMM [SCRIPT ...]
"""
import math
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.join(HERE, "scripts")


def timed(cmd):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, timeout=600)
    dt = time.perf_counter() - t0
    return dt, p.returncode, p.stdout


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    pymm = os.path.abspath(argv[1])
    names = argv[2:] or sorted(f[:-3] for f in os.listdir(SCRIPTS) if f.endswith(".py"))
    impls = [("pymm", [pymm])]
    fast = "/usr/bin/python3.11"
    if os.path.exists(fast):
        impls.append(("cpython", [fast, "-S"]))
    slow = shutil.which("python3")
    if slow:
        impls.append(("cpython-pyenv", [os.path.realpath(slow), "-S"]))
    if len(impls) < 2:
        print("bench-interp: no CPython to compare with")
        return 1
    runs = int(os.environ.get("BENCH_INTERP_RUNS", "3"))
    best = {}
    want = {}
    failed = 0
    print("bench-interp scripts: %s, %d cpus, load %s, %d runs" % (
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.cpu_count(),
        open("/proc/loadavg").read().split()[0], runs))
    for run in range(runs):
        for name in names:
            path = os.path.join(SCRIPTS, name + ".py")
            for impl, cmd in impls:
                dt, rc, out = timed(cmd + [path])
                ref = want.setdefault(name, None)
                if impl != "pymm" and ref is None:
                    want[name] = out
                if rc != 0:
                    print("FAIL %s under %s: exit %d" % (name, impl, rc))
                    failed += 1
                    continue
                best[name, impl] = min(best.get((name, impl), dt), dt)
                if impl == "pymm":
                    pymm_out = out
            # python3's answer decides; pymm's must equal it
            if want.get(name) is not None and run == 0 and pymm_out != want[name]:
                print("FAIL %s: pymm prints %r, python3.11 %r" % (name, pymm_out[:200], want[name][:200]))
                failed += 1
    print("%-18s %10s %10s %10s %12s" % ("script", "pymm s", "cpython s", "pyenv s", "pymm/cpython"))
    ratios = []
    for name in names:
        p = best.get((name, "pymm"))
        c = best.get((name, "cpython"))
        e = best.get((name, "cpython-pyenv"))
        r = p / c if p and c else None
        if r:
            ratios.append(r)
        print("%-18s %10s %10s %10s %12s" % (name, "%.3f" % p if p else "-", "%.3f" % c if c else "-",
                                            "%.3f" % e if e else "-", "%.2f" % r if r else "-"))
    geo = math.exp(sum(math.log(r) for r in ratios) / len(ratios)) if ratios else None
    if geo:
        print("%-18s %43s" % ("geometric mean", "%.2f" % geo))
    for (name, impl), s in sorted(best.items()):
        print("bench interp %s %s seconds=%.4f" % (name, impl, s))
    if geo:
        print("bench interp geomean pymm ratio=%.3f" % geo)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
