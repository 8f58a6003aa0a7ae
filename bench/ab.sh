#!/usr/bin/env bash
# bench/ab.sh OLD_BUILD NEW_BUILD [suite...] — two builds of pymm, alternated in
# one run, so that a change can be shown to make no benchmark slower.
#
# Suites: alloc (pymm's allocator only: pairs32 replace list48 frag), gc
# (shapes a b c), objects (every workload of bench_objects.c).  For each run
# and each workload the OLD binary runs, then the NEW one (the next run swaps
# the order, so drift of the machine cancels); each process prints its usual
# `bench <suite> <workload> pymm ...` lines.  The fastest run per side counts.
# Output: one table per suite with old, new and new/old per metric (below 1:
# the new build is faster or smaller), and lines
#   bench ab <suite>/<workload> <old|new> <metric>=<value>
# Raw lines: NEW_BUILD/bench-ab.txt.
#
# Environment: BENCH_AB_RUNS (default 5), BENCH_AB_SCALE (default 1; alloc and
# gc sizes), BENCH_AB_N (objects, default 1000000).
set -uo pipefail

if [ $# -lt 2 ]; then
  echo "usage: bench/ab.sh OLD_BUILD NEW_BUILD [alloc] [gc] [objects]" >&2
  exit 2
fi
OLD=$1 NEW=$2
shift 2
SUITES=${*:-"alloc gc objects"}
RUNS=${BENCH_AB_RUNS:-5}
SCALE=${BENCH_AB_SCALE:-1}
N=${BENCH_AB_N:-1000000}
OUT="$NEW/bench-ab.txt"
: > "$OUT" || exit 1

cmd_for() {     # cmd_for SUITE BUILD WORKLOAD -> the command line
  case $1 in
    alloc)   echo "$2/pymm-bench-alloc-pymm $3 --scale $SCALE" ;;
    gc)      echo "$2/pymm-bench-gc $3 --scale $SCALE --reps 5" ;;
    objects) echo "$2/pymm-bench-objects $N 3" ;;
  esac
}
workloads_for() {
  case $1 in
    alloc)   echo "pairs32 replace list48 frag" ;;
    gc)      echo "a b c" ;;
    objects) echo "all" ;;
  esac
}
for s in $SUITES; do
  for b in "$OLD" "$NEW"; do
    exe=$(cmd_for "$s" "$b" x | cut -d' ' -f1)
    [ -x "$exe" ] || { echo "bench-ab: $exe is not built" >&2; exit 1; }
  done
done

echo "bench-ab: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg), $RUNS runs, old $OLD ($(git -C "$OLD" rev-parse --short HEAD 2>/dev/null || echo '?')), new $NEW ($(git -C "$NEW" rev-parse --short HEAD 2>/dev/null || echo '?'))"
failed=0
for run in $(seq 1 "$RUNS"); do
  if [ $((run % 2)) -eq 1 ]; then order="old new"; else order="new old"; fi
  for s in $SUITES; do
    for w in $(workloads_for "$s"); do
      for side in $order; do
        b=$OLD; [ "$side" = new ] && b=$NEW
        # shellcheck disable=SC2046
        $(cmd_for "$s" "$b" "$w") > "$OUT.tmp" 2>&1 || { echo "FAIL $s $w $side run $run" >&2; failed=1; }
        # bench_objects prints "pymm <workload> k=v..." lines; the others "bench <suite> <w> pymm k=v...".
        awk -v s="$s" -v side="$side" -v run="$run" '
          $1 == "bench" && $4 == "pymm" { $1 = ""; $2 = ""; $4 = ""; print "R" run, s "/" $3, side, $0; next }
          $1 == "pymm" && NF > 2        { w = $2; $1 = ""; $2 = ""; print "R" run, s "/" w, side, $0 }
        ' "$OUT.tmp" | tr -s ' ' >> "$OUT"
      done
    done
  done
  echo "  run $run done"
done
rm -f "$OUT.tmp"

# Fastest run per (workload, side); for each metric: old, new, new/old.
awk '
function better(m, a, b) { return (m ~ /ns_|seconds|ms|rss|bytes/) ? a < b : a > b }
{
  key = $2; side = $3
  for (i = 4; i <= NF; i++) {
    split($i, kv, "="); m = kv[1]; v = kv[2] + 0
    if (kv[2] == "" || kv[2] !~ /^[0-9.eE+-]+$/) continue
    if (m == "objects" || m == "collected" || m == "base_rss_kib") continue   # counts, not costs
    if (!((key, side, m) in best) || better(m, v, best[key, side, m])) best[key, side, m] = v
    if (!((key, m) in seen)) { seen[key, m] = 1; order[++n] = key SUBSEP m }
  }
}
END {
  printf "%-28s %-16s %14s %14s %9s\n", "workload", "metric", "old", "new", "new/old"
  for (i = 1; i <= n; i++) {
    split(order[i], p, SUBSEP); k = p[1]; m = p[2]
    if (!((k, "old", m) in best) || !((k, "new", m) in best)) continue
    o = best[k, "old", m]; w = best[k, "new", m]
    printf "%-28s %-16s %14.2f %14.2f %9s\n", k, m, o, w, (o > 0 ? sprintf("%.3f", w / o) : "-")
  }
  for (i = 1; i <= n; i++) {
    split(order[i], p, SUBSEP); k = p[1]; m = p[2]
    if ((k, "old", m) in best) printf "bench ab %s old %s=%g\n", k, m, best[k, "old", m]
    if ((k, "new", m) in best) printf "bench ab %s new %s=%g\n", k, m, best[k, "new", m]
  }
}' "$OUT"
exit $failed
