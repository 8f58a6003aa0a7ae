"""make bench-cpython: allocation-heavy workloads under three interpreters.

usage: python3 driver.py <build-dir> [--rounds N] [--scale S] [workload ...]

impl      interpreter                                 allocator for MEM/OBJ
pymm      <build>/pymm-python                         pymm
pymalloc  <build>/pymm-python with PYMM_OFF=1         CPython's pymalloc
cpython   /usr/bin/python3.11 (Debian 3.11.2)         CPython's pymalloc

pymm and pymalloc are the same binary and the same libpython (pyenv's
3.11.7), so their ratio changes nothing but the allocator.  cpython is
Debian's optimized (PGO+LTO, static libpython) build, for reference only.

Every process is timed from fork to exit (start-up and tear-down included:
both allocate and free), and its peak RSS is its ru_maxrss, both measured by
<build>/pymm-bench-cpython-run (runner.c: a 1 MiB process forking the
interpreter, so that the driver's own RSS does not leak into the figure).
Runs alternate: round r runs the impls in order, round r+1 in reverse, so
slow drift of the machine spreads over all of them.  Reported per workload
and impl is the median over the rounds; lines are

  bench cpython <workload> <impl> seconds=... peak_rss_kib=...
  bench cpython <workload> ratio pymm/pymalloc seconds=... peak_rss=... cpu_seconds=...
  bench cpython <workload> ratio pymm/cpython seconds=... peak_rss=... cpu_seconds=...

(cpu_seconds: user + system time, which a busy machine disturbs less than
wall time), a geometric mean over the workloads, and a table.
"""
import math
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WORKLOADS = ["churn", "dictlist", "gctree", "json"]
STOCK = "/usr/bin/python3.11"


def clean_env(extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYMM_", "PYTHON"))}
    env["PYTHONHASHSEED"] = "0"         # same dict layouts in every run
    env.update(extra)
    return env


def run_once(runner, argv, env):
    """(seconds, peak_rss_kib, cpu_seconds, stdout) of one child process."""
    p = subprocess.run([runner] + argv, env=env, capture_output=True, text=True)
    m = re.search(r"^pymm-bench-run: seconds=(\S+) peak_rss_kib=(\d+) status=(\d+)"
                  r" cpu_seconds=(\S+)$", p.stderr, re.M)
    if p.returncode != 0 or not m:
        sys.exit("bench-cpython: %s failed (status %d)\n%s"
                 % (" ".join(argv), p.returncode, p.stderr))
    return float(m.group(1)), int(m.group(2)), float(m.group(4)), p.stdout.strip()


def geomean(xs):
    return math.exp(sum(map(math.log, xs)) / len(xs))


def main():
    args = sys.argv[1:]
    build = args.pop(0)
    rounds, scale = 3, "1"
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--rounds":
            rounds = int(args.pop(0))
        elif opt == "--scale":
            scale = args.pop(0)
        else:
            sys.exit("bench-cpython: unknown option " + opt)
    workloads = args or WORKLOADS
    exe = os.path.join(os.path.abspath(build), "pymm-python")
    runner = os.path.join(os.path.abspath(build), "pymm-bench-cpython-run")
    for f in (exe, runner):
        if not os.access(f, os.X_OK):
            sys.exit("bench-cpython: %s is not built (make build)" % f)
    impls = [("pymm", exe, {}), ("pymalloc", exe, {"PYMM_OFF": "1"})]
    if os.access(STOCK, os.X_OK):
        impls.append(("cpython", STOCK, {}))
    else:
        print("bench-cpython: %s not found; no cpython reference" % STOCK)
    names = [n for n, _, _ in impls]
    pairs = [k for k in ("pymm/pymalloc", "pymm/cpython")
             if all(x in names for x in k.split("/"))]
    script = os.path.join(HERE, "workloads.py")
    load = os.getloadavg()[0]
    print("bench cpython: %d round(s), scale %s, load average %.2f on %d CPUs; "
          "pymm-python = %s, cpython = %s"
          % (rounds, scale, load, os.cpu_count() or 0, exe, STOCK))

    med = {}                    # (workload, impl) -> (seconds, rss, cpu)
    for w in workloads:
        res = {n: ([], [], []) for n in names}
        checks = {}
        for r in range(rounds):
            order = impls if r % 2 == 0 else impls[::-1]
            for name, py, extra in order:
                secs, rss, cpu, out = run_once(runner, [py, script, w, scale],
                                               clean_env(extra))
                for lst, v in zip(res[name], (secs, rss, cpu)):
                    lst.append(v)
                checks.setdefault(out, []).append(name)
        if len(checks) != 1:
            sys.exit("bench-cpython: %s: interpreters disagree: %r" % (w, checks))
        for n in names:
            med[w, n] = tuple(statistics.median(x) for x in res[n])
            print("bench cpython %s %s seconds=%.3f peak_rss_kib=%d"
                  % (w, n, med[w, n][0], med[w, n][1]))
        for key in pairs:
            a, b = key.split("/")
            print("bench cpython %s ratio %s seconds=%.3f peak_rss=%.3f cpu_seconds=%.3f"
                  % ((w, key) + tuple(x / y for x, y in zip(med[w, a], med[w, b]))))
        sys.stdout.flush()

    for key in pairs:
        a, b = key.split("/")
        g = [geomean([med[w, a][i] / med[w, b][i] for w in workloads]) for i in range(3)]
        print("bench cpython geomean ratio %s seconds=%.3f peak_rss=%.3f cpu_seconds=%.3f"
              % (key, g[0], g[1], g[2]))

    # The same figures as a table.
    print()
    print("%-9s" % "workload" + "".join("%24s" % n for n in names)
          + "".join("%24s" % k for k in pairs))
    print("%-9s" % "" + "%24s" % "wall s / cpu s / MiB" * len(names)
          + "%24s" % "wall / cpu / RSS" * len(pairs))
    for w in workloads:
        line = "%-9s" % w
        for n in names:
            s_, m_, c_ = med[w, n]
            line += "%24s" % ("%.2f / %.2f / %.1f" % (s_, c_, m_ / 1024))
        for key in pairs:
            a, b = key.split("/")
            s_, m_, c_ = (x / y for x, y in zip(med[w, a], med[w, b]))
            line += "%24s" % ("%.3f / %.3f / %.3f" % (s_, c_, m_))
        print(line)
    if load > (os.cpu_count() or 1) * 0.5:
        print("bench-cpython: the machine was busy at the start (load %.2f): "
              "wall times are noisy; cpu_seconds less so" % load)
    return 0


if __name__ == "__main__":
    sys.exit(main())
