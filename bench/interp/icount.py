#!/usr/bin/env python3
"""Instruction counts of the bench-interp scripts (valgrind's callgrind):
repeatable figures on a loaded machine, where wall-clock times are not.

usage: icount.py PYMM [PYMM2 ...] [-- SCRIPT ...]
Prints, per script, the instructions executed (Ir, millions) by each pymm
binary given, and the ratio of the last to the first.  Runs in parallel
over BENCH_ICOUNT_JOBS processes (default 2).
"""
import concurrent.futures
import math
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.join(HERE, "scripts")


def icount(binary, script):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cg.out")
        p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
                            binary, os.path.join(SCRIPTS, script + ".py")],
                           capture_output=True, text=True, timeout=1800)
        if p.returncode != 0:
            return None
        m = re.search(r"Collected : (\d+)", p.stderr)
        return int(m.group(1)) if m else None


def main(argv):
    if "--" in argv:
        i = argv.index("--")
        bins, names = argv[1:i], argv[i + 1:]
    else:
        bins, names = argv[1:], []
    if not bins:
        print(__doc__)
        return 2
    names = names or sorted(f[:-3] for f in os.listdir(SCRIPTS) if f.endswith(".py"))
    jobs = int(os.environ.get("BENCH_ICOUNT_JOBS", "2"))
    with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
        futs = {(b, n): ex.submit(icount, os.path.abspath(b), n) for n in names for b in bins}
        res = {k: f.result() for k, f in futs.items()}
    print("%-18s" % "script" + "".join("%14s" % os.path.basename(b)[:13] for b in bins) + "%8s" % "ratio")
    logs = []
    for n in names:
        row = [res[b, n] for b in bins]
        line = "%-18s" % n + "".join("%14s" % ("%.1fM" % (v / 1e6) if v else "FAIL") for v in row)
        if row[0] and row[-1]:
            line += "%8.3f" % (row[-1] / row[0])
            logs.append(math.log(row[-1] / row[0]))
        print(line)
    if logs:
        print("%-18s" % "geomean ratio" + " " * 14 * len(bins) + "%8.3f" % math.exp(sum(logs) / len(logs)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
