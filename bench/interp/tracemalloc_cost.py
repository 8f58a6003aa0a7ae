#!/usr/bin/env python3
"""The cost of tracemalloc: bench/interp/scripts/*.py with tracing on
(-X tracemalloc, one frame) ÷ off, under pymm and under Debian's python3.11
(impl "cpython"; pyenv's python3 when it is missing), in one run.

Each (script, implementation, on/off) runs BENCH_INTERP_RUNS times
(default 3), round robin, one process per run; the fastest counts.  A run
with tracing must print what the run without it prints.  Prints a table
and lines
  bench interp tracemalloc_<script> <pymm|cpython> ratio=<on/off> on=<s> off=<s>
  bench interp tracemalloc_geomean <pymm|cpython> ratio=<on/off>

usage: tracemalloc_cost.py PYMM [SCRIPT ...]
"""
import math
import os
import shutil
import sys

# the scripts and the timed run (one process, start-up included) are
# run_scripts.py's, beside this file
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_scripts import SCRIPTS, timed  # noqa: E402


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    pymm = os.path.abspath(argv[1])
    names = argv[2:] or sorted(f[:-3] for f in os.listdir(SCRIPTS) if f.endswith(".py"))
    impls = [("pymm", [pymm])]
    cpython = "/usr/bin/python3.11"
    if not os.path.exists(cpython):
        cpython = shutil.which("python3")
    if cpython:
        impls.append(("cpython", [os.path.realpath(cpython), "-S"]))
    runs = int(os.environ.get("BENCH_INTERP_RUNS", "3"))
    best = {}
    out = {}
    failed = 0
    for _ in range(runs):
        for name in names:
            script = os.path.join(SCRIPTS, name + ".py")
            for impl, cmd in impls:
                for mode, opts in (("off", []), ("on", ["-X", "tracemalloc"])):
                    dt, rc, stdout = timed(cmd + opts + [script])
                    key = (name, impl, mode)
                    if rc != 0:
                        print("FAIL %s %s tracemalloc %s: exit %d" % (name, impl, mode, rc))
                        failed += 1
                        continue
                    ref = out.setdefault((name, impl), stdout)
                    if stdout != ref:
                        print("FAIL %s %s: output with tracemalloc %s differs" % (name, impl, mode))
                        failed += 1
                    best[key] = min(dt, best.get(key, dt))
    print("%-18s %10s %10s %8s %10s %10s %8s" % ("script", "pymm off", "pymm on", "ratio",
                                                 "cpy off", "cpy on", "ratio"))
    logs = {impl: [] for impl, _ in impls}
    lines = []
    for name in names:
        row = ["%-18s" % name]
        for impl, _ in impls:
            off, on = best.get((name, impl, "off")), best.get((name, impl, "on"))
            if off is None or on is None:
                row.append("%10s %10s %8s" % ("-", "-", "-"))
                continue
            ratio = on / off
            logs[impl].append(math.log(ratio))
            row.append("%10.3f %10.3f %8.2f" % (off, on, ratio))
            lines.append("bench interp tracemalloc_%s %s ratio=%.3f on=%.4f off=%.4f" % (name, impl, ratio, on, off))
        print(" ".join(row))
    for impl, _ in impls:
        if logs[impl]:
            lines.append("bench interp tracemalloc_geomean %s ratio=%.3f"
                         % (impl, math.exp(sum(logs[impl]) / len(logs[impl]))))
    for line in lines:
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
