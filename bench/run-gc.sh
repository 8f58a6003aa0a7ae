#!/usr/bin/env bash
# bench/run-gc.sh BUILD_DIR — the collector benchmark (make bench-gc).
#
# Full-collection time of three heap shapes (bench/gc/bench_gc.c and
# bench/gc/cpython_gc.py build the same ones):
#   a  1,000,000 reachable small containers      root = [[i] for i in range(N)]
#   b  100 garbage cycles of 10,000 nodes         rings of __slots__ instances
#   c  a binary tree of 2^20 - 1 instance nodes   node.left / node.right
# with pymm (BUILD_DIR/pymm-bench-gc, through the public C API) and with
# CPython 3.11's gc.collect() under Debian's /usr/bin/python3.11 (the faster
# build: impl "cpython", the reference for ratios) and pyenv's python3
# (reported as info).  Each implementation runs BENCH_GC_RUNS times, round
# robin, one process per run; the fastest run counts (inside a run, the best
# of BENCH_GC_REPS collections).  Per shape it prints ms per collection, ns
# per tracked object (the objects the collection examined), and the ratio
# pymm / cpython per object (below 1: pymm is faster), and lines
#   bench gc <shape> <pymm|cpython> ns_per_object=... ms=... objects=...
# Two more measures, pymm through its C API and CPython in the same run:
#   bench gc auto <pymm|cpython> ratio=...     building shape a's 1M small
#       containers with automatic collection on / off (the collections each
#       made per generation are shown: they must be equal)
#   bench gc young <pymm|cpython> ns_per_object=...   one young collection of
#       700 new small containers over a 1M-object heap, per object
#   bench gc c-floor pymm walk_ns_per_object=...   shape c's floor: one walk
#       of the generation list in collection order (BUILD_DIR/pymm-bench-gc-floor)
# Raw output: BUILD_DIR/bench-gc.txt.
#
# Environment: BENCH_GC_RUNS (default 3), BENCH_GC_REPS (default 5),
#              BENCH_GC_SCALE (size factor, default 1).
set -uo pipefail

B=${1:-build}
RUNS=${BENCH_GC_RUNS:-3}
REPS=${BENCH_GC_REPS:-5}
SCALE=${BENCH_GC_SCALE:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$B/bench-gc.txt"
FAST_PY=/usr/bin/python3.11
SLOW_PY=$(command -v python3 || true)

if [ ! -x "$B/pymm-bench-gc" ]; then
  echo "bench-gc: $B/pymm-bench-gc not built" >&2
  exit 1
fi
: > "$OUT" || exit 1
echo "bench-gc: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cpus, scale $SCALE, $RUNS runs x $REPS collections, build $B"
failed=0
for run in $(seq 1 "$RUNS"); do
  for shape in a b c auto young; do
    "$B/pymm-bench-gc" "$shape" --scale "$SCALE" --reps "$REPS" | sed "s/^/R$run /" | tee -a "$OUT" \
      | sed -n 's/^R[0-9]* bench gc /  run '"$run"': /p' || failed=1
    if [ -x "$FAST_PY" ]; then
      "$FAST_PY" "$HERE/gc/cpython_gc.py" "$shape" --scale "$SCALE" --reps "$REPS" \
        | sed "s/^/R$run /" | tee -a "$OUT" | sed -n 's/^R[0-9]* bench gc /  run '"$run"': /p' || failed=1
    fi
    if [ -n "$SLOW_PY" ]; then
      "$SLOW_PY" "$HERE/gc/cpython_gc.py" "$shape" --scale "$SCALE" --reps "$REPS" \
        | sed "s/ cpython / cpython-pyenv /; s/^/R$run /" | tee -a "$OUT" \
        | sed -n 's/^R[0-9]* bench gc /  run '"$run"': /p' || failed=1
    fi
  done
  if [ -x "$B/pymm-bench-gc-floor" ]; then
    "$B/pymm-bench-gc-floor" --scale "$SCALE" --reps "$REPS" | sed "s/^/R$run /" | tee -a "$OUT" \
      | sed -n 's/^R[0-9]* bench gc /  run '"$run"': /p' || failed=1
  fi
done
echo

awk '
function kv(key,   i) { for (i = 6; i <= NF; i++) if (index($i, key "=") == 1) return substr($i, length(key) + 2); return "" }
$2 == "bench" && $3 == "gc" && $4 == "auto" {
  im = $5; x = kv("ratio") + 0
  if (!(im in ar) || x < ar[im]) { ar[im] = x; aon[im] = kv("on_ms"); aoff[im] = kv("off_ms"); acoll[im] = kv("collections") }
  next
}
$2 == "bench" && $3 == "gc" && $4 == "c-floor" {
  x = kv("walk_ns_per_object") + 0
  if (!fl_set || x < fl_walk) { fl_set = 1; fl_walk = x; fl_read = kv("read_ns_per_object"); fl_full = kv("full_ns_per_object") }
  next
}
$2 == "bench" && $3 == "gc" {
  s = $4; im = $5; x = kv("ns_per_object") + 0
  if (!((s, im) in ns) || x < ns[s, im]) { ns[s, im] = x; ms[s, im] = (s == "young" ? kv("us") / 1000 : kv("ms")); obj[s, im] = kv("objects") }
}
END {
  split("a b c young", S, " ")
  title["a"] = "a: 1M reachable small containers"
  title["b"] = "b: 100 garbage cycles of 10,000 nodes"
  title["c"] = "c: binary tree of 2^20-1 instance nodes"
  title["young"] = "young: 700 new objects over a 1M heap"
  printf "%-42s %-14s %10s %10s %12s %10s\n", "shape", "impl", "ms", "objects", "ns/object", "pymm/impl"
  for (i = 1; i <= 4; i++) {
    s = S[i]
    n = split("pymm cpython cpython-pyenv", I, " ")
    for (j = 1; j <= n; j++) {
      im = I[j]
      if (!((s, im) in ns)) continue
      r = ((s, "pymm") in ns && ns[s, im] > 0) ? sprintf("%.2f", ns[s, "pymm"] / ns[s, im]) : "-"
      printf "%-42s %-14s %10.3f %10d %12.1f %10s\n", (j == 1 ? title[s] : ""), im, ms[s, im], obj[s, im], ns[s, im], (im == "pymm" ? "" : r)
    }
  }
  print ""
  printf "%-42s %-14s %10s %10s %12s\n", "automatic collection (shape a build)", "impl", "on ms", "off ms", "on/off"
  n = split("pymm cpython cpython-pyenv", I, " ")
  for (j = 1; j <= n; j++) {
    im = I[j]
    if (im in ar) printf "%-42s %-14s %10.1f %10.1f %12.3f  collections %s\n", "", im, aon[im], aoff[im], ar[im], acoll[im]
  }
  if (fl_set) {
    print ""
    printf "shape c floor (pymm, the list in collection order): one walk %.1f ns/object, walk reading each object %.1f,\n", fl_walk, fl_read
    printf "  a full collection %.1f: a collection walks the list at least twice (docs/gc.md, \"Shape c\")\n", fl_full
  }
  print ""
  for (i = 1; i <= 4; i++) {
    s = (i <= 3 ? S[i] : "young")
    if ((s, "pymm") in ns) printf "bench gc %s pymm ns_per_object=%.2f ms=%s objects=%s\n", s, ns[s, "pymm"], ms[s, "pymm"], obj[s, "pymm"]
    if ((s, "cpython") in ns) printf "bench gc %s cpython ns_per_object=%.2f ms=%s objects=%s\n", s, ns[s, "cpython"], ms[s, "cpython"], obj[s, "cpython"]
  }
  if ("pymm" in ar) printf "bench gc auto pymm ratio=%.3f on_ms=%s off_ms=%s collections=%s\n", ar["pymm"], aon["pymm"], aoff["pymm"], acoll["pymm"]
  if ("cpython" in ar) printf "bench gc auto cpython ratio=%.3f on_ms=%s off_ms=%s collections=%s\n", ar["cpython"], aon["cpython"], aoff["cpython"], acoll["cpython"]
  if (fl_set) printf "bench gc c-floor pymm walk_ns_per_object=%.2f read_ns_per_object=%s full_ns_per_object=%s\n", fl_walk, fl_read, fl_full
  print ""
  print "Fastest of the runs per implementation (auto: lowest ratio).  pymm/impl = pymm ns per object / impl ns per"
  print "object: below 1.00 pymm is faster (the floor is 1.00, the aim 0.50 against cpython)."
  print "cpython = Debian /usr/bin/python3.11; cpython-pyenv = pyenv python3 (slower build)."
}' "$OUT"
exit $failed
