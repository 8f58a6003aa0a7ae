#!/usr/bin/env bash
# bench/run-objects.sh BUILD_DIR — the object benchmarks (make bench-objects).
#
# In one run, on the same machine state, the same loops through each side's
# C API (no Python-level frame on either side):
#   pymm        BUILD_DIR/pymm-bench-objects (bench/objects/bench_objects.c):
#               time per object, and bytes requested per object counted by
#               a trace hook as tracemalloc counts them (gc head included).
#   CPython     bench/objects/cpy_objects.c, compiled here and linked with
#               Debian's libpython3.11 (/usr/bin/python3.11-config: the
#               faster build, the reference for ratios) and with the one
#               python3-config names (pyenv's): time per object, tracemalloc
#               bytes per object, RSS growth per object.
# Workloads: incref_pair, attr_read, method_call, int, tuple2, instance, instance2,
# slots2 (see the C file).
# Prints a table with ratios (CPython / pymm: above 1 means pymm is faster or
# smaller) and machine-readable lines
#   bench objects <workload> <pymm|cpython> ns_per_object=... bytes_per_object=...
# (impl cpython = Debian's python3.11).  Raw output: BUILD_DIR/bench-objects.txt.
#
# Environment: BENCH_OBJECTS_N (objects per workload, default 1000000),
#              BENCH_OBJECTS_REPS (rounds, best counts; default 5).
set -uo pipefail

B=${1:-build}
N=${BENCH_OBJECTS_N:-1000000}
REPS=${BENCH_OBJECTS_REPS:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$B/bench-objects.txt"

if [ ! -x "$B/pymm-bench-objects" ]; then
  echo "bench-objects: $B/pymm-bench-objects is not built (make build)" >&2
  exit 1
fi
echo "bench-objects: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg), N=$N, best of $REPS"
: > "$OUT"

"$B/pymm-bench-objects" "$N" "$REPS" | tee -a "$OUT" | sed 's/^/  /' || exit 1

# CPython: cpy_objects.c built against each interpreter's headers and
# libpython, with the same -O2 as pymm's build.  "cpy" is Debian's faster
# build (the reference), "cpyenv" the python3-config on PATH (pyenv's).
cpython_side() {        # cpython_side TAG PYTHON-CONFIG
  local tag=$1 cfg=$2 exe="$B/cpy-objects-$1"
  if ! command -v "$cfg" >/dev/null 2>&1; then
    echo "  ($cfg not found: no $tag figures)"; return 0
  fi
  if ! cc -O2 -std=c11 -D_GNU_SOURCE $("$cfg" --includes) "$HERE/objects/cpy_objects.c" -o "$exe" \
       $("$cfg" --embed --ldflags); then
    echo "bench-objects: cpy_objects.c does not build against $cfg" >&2; return 1
  fi
  "$exe" "$N" "$REPS" | sed "s/^cpy /$tag /" | tee -a "$OUT" | sed 's/^/  /'
  return "${PIPESTATUS[0]}"
}
status=0
cpython_side cpy /usr/bin/python3.11-config || status=1
if [ "$(readlink -f "$(command -v python3-config || echo none)")" != "$(readlink -f /usr/bin/python3.11-config)" ]; then
  cpython_side cpyenv python3-config || status=1
fi

python3 - "$OUT" <<'EOF'
import sys
rows = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) < 3 or parts[0] not in ("pymm", "cpy", "cpyenv"):
        continue
    fields = dict(p.split("=", 1) for p in parts[2:] if "=" in p)
    rows.setdefault(parts[1], {})[parts[0]] = {k: float(v) for k, v in fields.items()}

def fmt(x, spec):
    return "-" if x is None else format(x, spec)

def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b

order = ["incref_pair", "attr_read", "method_call", "int", "tuple2", "instance", "instance2", "slots2"]
print()
print("%-12s | %9s %9s %9s %7s | %7s %7s %7s %7s %7s" % (
    "workload", "pymm ns", "cpy ns", "pyenv ns", "cpy/pm",
    "pymm B", "cpy B", "cpy/pm", "pm RSS", "cpyRSS"))
print("-" * 104)
for w in order:
    r = rows.get(w, {})
    pm, cp, ce = r.get("pymm", {}), r.get("cpy", {}), r.get("cpyenv", {})
    pns, cns, ens = pm.get("ns_per_object"), cp.get("ns_per_object"), ce.get("ns_per_object")
    pb, cb = pm.get("bytes_per_object"), cp.get("bytes_per_object")
    print("%-12s | %9s %9s %9s %7s | %7s %7s %7s %7s %7s" % (
        w, fmt(pns, ".2f"), fmt(cns, ".2f"), fmt(ens, ".2f"), fmt(ratio(cns, pns), ".2f"),
        fmt(pb, ".1f"), fmt(cb, ".1f"), fmt(ratio(cb, pb), ".2f"),
        fmt(pm.get("rss_per_object"), ".1f"), fmt(cp.get("rss_per_object"), ".1f")))
print("(cpy = Debian's libpython3.11, pyenv = the python3-config one; both sides through their C APIs;\n"
      " B = bytes requested from the allocator per object, counted alike: pymm's trace hook, CPython's tracemalloc;\n"
      " RSS = resident growth per object; ratios cpy/pymm)")
print()
for w in order:
    for impl, key in (("pymm", "pymm"), ("cpython", "cpy")):
        f = rows.get(w, {}).get(key)
        if not f:
            continue
        extra = "" if "bytes_per_object" not in f else " bytes_per_object=%.2f" % f["bytes_per_object"]
        print("bench objects %s %s ns_per_object=%.3f%s" % (w, impl, f["ns_per_object"], extra))
EOF
exit $status
