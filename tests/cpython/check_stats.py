"""Check that pymm-python really runs CPython on pymm (or really does not).

usage: python3 check_stats.py <pymm-python> on|off|debug|hooks

  on     PYMM_STATS=1: _pymm says pymm is installed for MEM and OBJ, pymm's
         counters grow when Python allocates, CPython no longer recognises its
         allocator as pymalloc, and the statistics table printed at exit shows
         arenas allocated > 0.
  off    PYMM_OFF=1 PYMM_STATS=1: CPython's own pymalloc serves MEM and OBJ,
         _pymm has no statistics and no table is printed.
  debug  PYMM_DEBUG_ALLOC=1 PYMM_STATS=1: as "on", plus pm_alloc_check passes
         after real work, and a one-byte heap overflow made through the
         PyMem_Malloc API (_testcapi.pymem_buffer_overflow) is caught by pymm.
  hooks  PYMM_PY_DEBUG_HOOKS=1 PYMM_STATS=1: as "on" (pymm still serves MEM
         and OBJ, under CPython's debug hooks), and the same overflow is caught
         by CPython's hooks.

Exit status 0 when every check holds; otherwise the failing check is printed.
"""
import os
import re
import subprocess
import sys

# Run inside pymm-python.  Prints one "key=value" line per fact.
PROBE = r'''
import gc, sys, _pymm, _testcapi
def blocks():
    st = _pymm.stats()
    return sum(c[2] for c in st["size_classes"]) if st else -1
print("enabled=%d" % _pymm.enabled())
print("installed=%d" % _pymm.installed())
try:
    name = _testcapi.pymem_getallocatorsname()
except RuntimeError:
    name = "unknown"          # not one of CPython's own: pymm
print("allocator=%s" % name)
print("getallocatedblocks=%d" % sys.getallocatedblocks())
before = blocks()
keep = [(i, str(i), [i]) for i in range(100000)]   # ~400k small blocks
print("blocks_growth=%d" % (blocks() - before))
del keep
gc.collect()
st = _pymm.stats()
print("arenas_allocated=%d" % (st["arenas_allocated"] if st else 0))
try:
    print("check=%s" % _pymm.check())
except AssertionError:
    print("check=False")      # pm_alloc_check's report is on stderr
'''

failures = []
details = []


def check(cond, what, detail=""):
    """Record one check; each distinct detail is printed once, at the end."""
    print(("ok    " if cond else "FAIL  ") + what)
    if not cond:
        failures.append(what)
        if detail and detail not in details:
            details.append(detail)


def run(exe, env_extra, args):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYMM_") and k not in ("PYTHONMALLOC", "PYTHONDEVMODE")}
    env.update(env_extra)
    return subprocess.run([exe] + args, env=env, capture_output=True,
                          text=True, timeout=240)


def facts(out):
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def table_arenas(err):
    """arenas allocated total from pm_alloc_stats_print, or None if absent."""
    m = re.search(r"arenas allocated total\D*?(\d+)", err)
    return int(m.group(1)) if m else None


def main():
    exe, mode = sys.argv[1], sys.argv[2]
    env = {"PYMM_STATS": "1"}
    if mode == "off":
        env["PYMM_OFF"] = "1"
    elif mode == "debug":
        env["PYMM_DEBUG_ALLOC"] = "1"
    elif mode == "hooks":
        env["PYMM_PY_DEBUG_HOOKS"] = "1"
    r = run(exe, env, ["-c", PROBE])
    detail = "stdout:\n%s\nstderr:\n%s" % (r.stdout, r.stderr)
    check(r.returncode == 0, "probe exits 0 (%d)" % r.returncode, detail)
    f = facts(r.stdout)
    if mode == "off":
        check(f.get("enabled") == "0", "_pymm.enabled() is False", detail)
        check(f.get("allocator") == "pymalloc",
              "CPython's allocator is pymalloc (%s)" % f.get("allocator"), detail)
        check(int(f.get("getallocatedblocks", "0")) > 0,
              "pymalloc's sys.getallocatedblocks() > 0", detail)
        check(table_arenas(r.stderr) is None, "no pymm statistics table", detail)
        check("pymm is off" in r.stderr, "exit line says pymm is off", detail)
    else:
        check(f.get("enabled") == "1", "_pymm.enabled() is True", detail)
        check(f.get("installed") == "1", "pymm still serves MEM and OBJ", detail)
        check(f.get("allocator") == "unknown",
              "CPython does not see pymalloc (%s)" % f.get("allocator"), detail)
        check(int(f.get("blocks_growth", "0")) > 300000,
              "100k tuples+lists+strs are pymm blocks (%s)" % f.get("blocks_growth"),
              detail)
        check(int(f.get("arenas_allocated", "0")) > 0, "_pymm: arenas allocated > 0",
              detail)
        check(f.get("check") == "True", "pm_alloc_check passes", detail)
        n = table_arenas(r.stderr)
        check(n is not None and n > 0,
              "PYMM_STATS table printed, arenas allocated total = %s" % n, detail)
        check("pymm served MEM and OBJ\n" in r.stderr,
              "exit line says pymm served MEM and OBJ throughout", detail)
    if mode in ("debug", "hooks"):
        code = "import _testcapi; _testcapi.pymem_buffer_overflow()"
        r = run(exe, {k: v for k, v in env.items() if k != "PYMM_STATS"}, ["-c", code])
        who = "pymm" if mode == "debug" else "CPython's debug hooks"
        check(r.returncode != 0,
              "a 1-byte overflow of a PyMem_Malloc block is caught by %s (exit %d)"
              % (who, r.returncode), "stderr:\n" + r.stderr)
        if mode == "hooks":
            check("are not all FORBIDDENBYTE" in r.stderr,
                  "CPython's hooks report the bad trailing pad byte", r.stderr)
        print("  report: " + " | ".join(r.stderr.strip().splitlines()[:3]))
    if failures:
        for d in details:
            print("----\n" + d)
        print("%d check(s) failed" % len(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
