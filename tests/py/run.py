#!/usr/bin/env python3
"""Differential runner for tests/py/scripts/*.py.

Each script runs under python3 (-B -S, PYTHONHASHSEED=0) and under pymm
(PYMM_CHECK_BLOCKS=1: every allocated byte must be back at exit); stdout,
stderr and the exit status must agree.  python3's result is cached beside
the script as NAME.out, whose first line names the python3 version that
produced it; --regen rewrites the caches.

python3 must be reachable: if it is not, every script fails, unless
PYMM_PY_USE_CACHE=1 is set, in which case pymm is compared with the cached
outputs alone.  A cache whose version equals the running python3's must
equal its live output (a stale cache fails).

Tracebacks are compared whole (every entry, source line and marker line).
python3 names the script by its absolute path (3.9+ makes sys.argv[0]
absolute); pymm by the name it was given (the script runs in its folder), so
'File "<the scripts folder>/' becomes 'File "' in python3's output before
it is compared or cached.  Escape: a script with the line
    # run.py: traceback ends only
has a traceback compared on its first line and its last line ("Kind:
message") only -- for the cases pymm cannot print in full yet; say why in a
comment beside the mark.

Fault sweep (a full run, or --faults): for the scripts in FAULT_SCRIPTS,
PYMM_FAULT_AT=1, 2, ... fails the Nth allocation of the run; each run must
end with MemoryError (or absorb the fault and succeed, or -- when the fault
only hit the traceback of the script's own error -- end as the unfaulted
run does) with every byte back.  PYMM_FAULT_STRIDE=K tries every Kth
allocation only (the sanitizer build, where every run is slower).

gc torture mode (PYMM_GC_TORTURE=1 in the environment, ctest
py_differential_torture): pymm collects at every tracked allocation; every
script must still print what python3 prints, except the few in
TORTURE_TIMING_SCRIPTS, which print the collector's timing; no fault sweep.

usage: run.py PYMM [--regen] [--faults] [SCRIPT ...]
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.join(HERE, "scripts")
TB = "Traceback (most recent call last):"


ENDS_ONLY = "# run.py: traceback ends only"


def normalise(stderr, script):
    folder = os.path.dirname(os.path.abspath(script))
    stderr = stderr.replace('File "%s%s' % (folder, os.sep), 'File "')
    # python3 names the script by its absolute path in warnings too: the
    # caches must not depend on where the tree is checked out
    stderr = stderr.replace(folder + os.sep, "")
    with open(script, encoding="utf-8", errors="replace") as fh:
        ends_only = any(line.strip() == ENDS_ONLY for line in fh)
    lines = stderr.splitlines()
    if ends_only and lines and lines[0] == TB:
        return TB + "\n" + lines[-1] + "\n"
    return stderr


def run(cmd, script, extra_env):
    env = dict(os.environ)
    env.update(extra_env)
    p = subprocess.run(cmd + [os.path.basename(script)], cwd=os.path.dirname(script),
                       env=env, capture_output=True, timeout=60)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            normalise(p.stderr.decode("utf-8", "replace"), script))


def fmt(version, res):
    rc, out, err = res
    return "python %s\nexit %d\n--- stdout\n%s--- stderr\n%s" % (version, rc, out, err)


def parse(text):
    head, _, rest = text.partition("\n")
    version = head.split(" ", 1)[1]
    return version, rest


def python3():
    exe = os.environ.get("PYTHON3", "python3")
    try:
        v = subprocess.run([exe, "-c", "import platform;print(platform.python_version())"],
                           capture_output=True, timeout=60)
    except OSError:
        return None, None
    if v.returncode != 0:
        return None, None
    return exe, v.stdout.decode().strip()


FAULT_SCRIPTS = ("lists", "dicts", "fstrings", "unpacking", "err_unpack2", "containers_mixed",
                 "tb_nested_binop", "bi_basic", "bi_files", "vm_fault", "vm_closures", "imp_pkg",
                 "imp_basic", "imp_star", "imp_main", "sys_basic", "gc_basic", "ctor_fault",
                 "mod_functools", "mod_atexit", "sa_struct_fault", "sa_os_fault", "sa_array_fault",
                 "wr_fault", "coll_fault", "inst_fault", "tm_fault", "cls_fault", "vml_fault",
                 "vml_asyncgen", "vml_frames", "wk2_fault", "vml_aiter_anext", "vml_types",
                 "vmf_initframe_fault", "str_fast_fault", "lang_fault", "sys_stderr_reports",
                 "mod_moduletype_subclass", "sys_getsizeof_override")


# gc torture mode (PYMM_GC_TORTURE=1: a collection at every tracked
# allocation) runs every script but these, whose output is the collector's
# timing itself, which torture changes on purpose: gc_basic prints what
# gc.collect(0)/(2) found (torture has already moved the cycle to an older
# generation), tm_stats prints tracemalloc's byte counts between snapshots
# (torture frees garbage cycles between them that python3 frees later).
TORTURE_TIMING_SCRIPTS = ("gc_basic", "tm_stats")

# Under the sanitizers (PYMM_SANITIZER=1, the ASan build's ctest) every C
# frame is several times larger: recursion through C down to the 1000-level
# limit overflows the 8 MiB stack there, as it does for CPython's own ASan
# builds (its tests skip deep recursion under sanitizers).
SANITIZER_DEEP_SCRIPTS = ("vmf_recursion_depth",)


def fault_sweep(pymm, scripts):
    """PYMM_FAULT_AT=1, 2, ...: the Nth allocation of the run fails; every
    such run must end with MemoryError (exit 1) and every byte back, until
    a run completes with no fault fired.  Returns the number of failures."""
    failed = 0
    for script in scripts:
        name = os.path.basename(script)[:-3]
        if name not in FAULT_SCRIPTS:
            continue
        # the unfaulted run's ending: a fault in what only decorates an
        # error already raised (a traceback entry) leaves that error as is
        base_rc, _, base_err = run([pymm], script, {"PYMM_CHECK_BLOCKS": "1"})
        base_lines = base_err.splitlines()
        base_last = base_lines[-1] if base_lines else ""
        # PYMM_FAULT_STRIDE=K (the sanitizer build: every run is ~10x slower)
        # fails allocations 1, 1+K, 1+2K, ... instead of every one
        stride = max(1, int(os.environ.get("PYMM_FAULT_STRIDE", "1")))
        n, bad, absorbed, runs = 1, False, 0, 0
        while n <= 20000:
            runs += 1
            rc, out, err = run([pymm], script, {"PYMM_CHECK_BLOCKS": "1", "PYMM_FAULT_AT": str(n)})
            if "fault not fired" in err:
                break
            lines = err.splitlines()
            # coroutines never started that the error's traceback kept
            # alive warn at teardown, after the report (as python3 does)
            while lines and lines[-1].startswith("sys:1: RuntimeWarning: coroutine "):
                lines.pop()
            last = lines[-1] if lines else ""
            # a fault ends the run with MemoryError, or is absorbed (an
            # optional resize keeps the old table); never a leak or a crash
            if rc == 0:
                absorbed += 1
            kept = base_rc != 0 and rc == base_rc and last == base_last
            if not (rc == 1 and last == "MemoryError" or rc == 0 or kept) or "not returned" in err:
                print("FAIL %s: fault at allocation %d: exit %d, stderr %r" % (name, n, rc, err))
                bad = True
                break
            n += stride
        else:
            print("FAIL %s: fault sweep did not end" % name)
            bad = True
        if bad:
            failed += 1
        else:
            print("ok   %s: %d allocation faults (%d absorbed), no leak" % (name, runs - 1, absorbed))
    return failed


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    pymm = os.path.abspath(argv[1])
    regen = "--regen" in argv[2:]
    names = [a for a in argv[2:] if not a.startswith("--")]
    scripts = sorted(os.path.join(SCRIPTS, n if n.endswith(".py") else n + ".py")
                     for n in names) if names else sorted(
        os.path.join(SCRIPTS, f) for f in os.listdir(SCRIPTS)
        if f.endswith(".py") and not f.startswith("impmod_"))   # impmod_*: modules the imp_ scripts import
    exe, version = python3()
    use_cache = os.environ.get("PYMM_PY_USE_CACHE") == "1"
    if exe is None and not use_cache:
        print("FAIL: python3 not reachable (set PYMM_PY_USE_CACHE=1 to compare with the caches)")
        return 1
    torture = os.environ.get("PYMM_GC_TORTURE", "0") not in ("", "0")
    failed = 0
    for script in scripts:
        name = os.path.basename(script)[:-3]
        if torture and name in TORTURE_TIMING_SCRIPTS:
            print("skip %s: prints the collector's timing, which gc torture mode changes" % name)
            continue
        if name in SANITIZER_DEEP_SCRIPTS and os.environ.get("PYMM_SANITIZER", "0") not in ("", "0"):
            print("skip %s: recursion through C to the limit overflows a sanitizer build's stack" % name)
            continue
        cache = script[:-3] + ".out"
        want = None
        if exe is not None:
            live = run([exe, "-B", "-S"], script, {"PYTHONHASHSEED": "0"})
            want = fmt(version, live)
            if regen or not os.path.exists(cache):
                with open(cache, "w", encoding="utf-8") as fh:
                    fh.write(want)
            else:
                with open(cache, encoding="utf-8") as fh:
                    cversion, cbody = parse(fh.read())
                if cversion == version and cbody != parse(want)[1]:
                    print("FAIL %s: cached %s differs from python3's output" % (name, os.path.basename(cache)))
                    failed += 1
                    continue
        else:
            with open(cache, encoding="utf-8") as fh:
                want = fh.read()
        wversion, wbody = parse(want)
        got = run([pymm], script, {"PYMM_CHECK_BLOCKS": "1", "PYTHONHASHSEED": "0"})
        gbody = parse(fmt(wversion, got))[1]
        if gbody != wbody:
            failed += 1
            print("FAIL %s\n--- python3 %s\n%s--- pymm\n%s" % (name, wversion, wbody, gbody))
        else:
            print("ok   %s" % name)
    if (not names or "--faults" in argv[2:]) and not torture:
        failed += fault_sweep(pymm, scripts)
    print("%d scripts, %d failed" % (len(scripts), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
