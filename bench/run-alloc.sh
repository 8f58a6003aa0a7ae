#!/usr/bin/env bash
# bench/run-alloc.sh BUILD_DIR — the allocator benchmark suite (make bench-alloc).
#
# Runs every workload with every allocator, each pair in a fresh process (so
# each line's peak RSS is that workload's own), BENCH_ALLOC_RUNS times, showing
# progress; then prints one `bench alloc ...` line per measurement (the fastest
# run's) and one table per workload with every peer's time and peak RSS as a
# ratio to pymm's (peer / pymm: above 1 means pymm is faster or smaller).
# Peak RSS is net of each process's baseline (see bench/alloc/bench_alloc.c).
# Workloads and allocators: bench/alloc/bench_alloc.c, docs/bench-alloc.md.
#
# Environment:
#   BENCH_ALLOC_IMPLS      allocators to run   (default: all six)
#   BENCH_ALLOC_WORKLOADS  workloads to run    (default: pairs32 replace list48 frag)
#   BENCH_ALLOC_SCALE      size factor, e.g. 0.1 for a quick look (default 1)
#   BENCH_ALLOC_RUNS       processes per (workload, allocator); the fastest counts (default 3)
#   BENCH_ALLOC_REPS       rounds inside a process (default: per workload, see the C file)
#   BENCH_ALLOC_TIMEOUT    seconds per process before it is killed (default 150)
#   PYMM_*                 pymm's own options (pm_config_from_env), e.g. PYMM_HUGE_PAGES=0
# Raw lines are also saved to BUILD_DIR/bench-alloc.txt.
set -uo pipefail

B=${1:-build}
IMPLS=${BENCH_ALLOC_IMPLS:-"pymm glibc mimalloc jemalloc tcmalloc pymalloc"}
WORKLOADS=${BENCH_ALLOC_WORKLOADS:-"pairs32 replace list48 frag"}
SCALE=${BENCH_ALLOC_SCALE:-1}
RUNS=${BENCH_ALLOC_RUNS:-3}
TIMEOUT=${BENCH_ALLOC_TIMEOUT:-150}
OUT="$B/bench-alloc.txt"

extra=(--scale "$SCALE")
[ -n "${BENCH_ALLOC_REPS:-}" ] && extra+=(--reps "$BENCH_ALLOC_REPS")

: > "$OUT" || exit 1
failed=0
start=$(date +%s)
echo "bench-alloc: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cpus, load $(cut -d' ' -f1-3 /proc/loadavg), scale $SCALE, $RUNS runs, build $B"
# Round-robin: run 1 of everything, then run 2, ... so that slow drifts of the
# machine (page cache, THP compaction, a noisy neighbour) spread over all allocators.
for run in $(seq 1 "$RUNS"); do
  for w in $WORKLOADS; do
    for impl in $IMPLS; do
      exe="$B/pymm-bench-alloc-$impl"
      if [ ! -x "$exe" ]; then
        [ "$run" -eq 1 ] && echo "skip alloc $w $impl (not built: $exe)" | tee -a "$OUT"
        continue
      fi
      timeout "$TIMEOUT" "$exe" "$w" "${extra[@]}" | sed "s/^/R$run /" | tee -a "$OUT" |
        sed -n "s/^R$run bench alloc /  run $run: /p"
      rc=${PIPESTATUS[0]}
      if [ "$rc" -ne 0 ]; then
        echo "FAIL alloc $w $impl run $run (exit $rc$([ "$rc" -eq 124 ] && echo ", timed out after ${TIMEOUT}s"))" | tee -a "$OUT"
        failed=1
      fi
    done
  done
done
echo "bench-alloc: $(( $(date +%s) - start )) s, load now $(cut -d' ' -f1-3 /proc/loadavg); raw lines (R<run> prefix) in $OUT"
echo

# One result line per measurement, from the fastest of the runs (its peak RSS
# and, for frag, its RSS figures come from that same process), then the tables.
awk -v impls="$IMPLS" -v workloads="$WORKLOADS" '
function kv(key,   i) {                      # value of key=... on the current line
  for (i = 6; i <= NF; i++) if (index($i, key "=") == 1) return substr($i, length(key) + 2)
  return ""
}
function mib(k) { return k == "" ? "-" : sprintf("%.1f", k / 1024) }
function rel(x, base) { return (x == "" || base == "" || base + 0 == 0) ? "-" : sprintf("%.2f", x / base) }
$2 == "bench" && $3 == "alloc" {
  r = $1; w = $4; im = $5
  if (kv("ns_per_op") != "") {
    x = kv("ns_per_op") + 0
    if (!((w, im) in ns) || x < ns[w, im]) { ns[w, im] = x; peak[w, im] = kv("peak_rss_kib"); sel[w, im] = r }
  }
  if (kv("rss_after_kib") != "") { after[w, im, r] = kv("rss_after_kib"); fpeak[w, im, r] = kv("rss_peak_kib"); ratio[w, im, r] = kv("ratio") }
}
$2 == "info" && $3 == "alloc" && $4 == "frag" && kv("trim") != "" { trim[$5, $1] = kv("trim"); trimms[$5, $1] = kv("trim_ms"); base[$5, $1] = kv("rss_base_kib") }
$1 == "FAIL" { failmsg[$3, $4] = "FAILED" }
END {
  n = split(impls, I, " "); m = split(workloads, W, " ")
  for (j = 1; j <= m; j++) for (i = 1; i <= n; i++) {
    w = W[j]; im = I[i]
    if ((w, im) in ns) printf "bench alloc %s %s ns_per_op=%.2f peak_rss_kib=%d\n", w, im, ns[w, im], peak[w, im]
    if (w == "list48" && ("list48-cold", im) in ns)
      printf "bench alloc list48-cold %s ns_per_op=%.2f peak_rss_kib=%d\n", im, ns["list48-cold", im], peak["list48-cold", im]
    if (w == "frag" && (w, im) in ns) {
      r = sel[w, im]
      printf "bench alloc frag %s rss_after_kib=%d rss_peak_kib=%d ratio=%s\n", im, after["frag", im, r], fpeak["frag", im, r], ratio["frag", im, r]
      printf "bench alloc frag-trim %s rss_after_kib=%d rss_peak_kib=%d ratio=%s\n", im, after["frag-trim", im, r], fpeak["frag-trim", im, r], ratio["frag-trim", im, r]
    }
  }
  print ""
  title["pairs32"] = "pairs32: malloc(32)+free pairs (ns per pair)"
  title["replace"] = "replace: 1M live blocks of 16..512 B, random replacements (ns per replacement)"
  title["list48"]  = "list48: 10M-node list of 48-byte nodes, build + free (ns per node; warm = later rounds, cold = first)"
  title["frag"]    = "frag: 4M blocks of 16..256 B, all but every 100th freed (ns per malloc or free)"
  for (j = 1; j <= m; j++) {
    w = W[j]
    print "== " (w in title ? title[w] : w) " =="
    if (w == "list48") {
      printf "%-9s %9s %8s %11s %8s %13s %8s\n", "impl", "warm ns", "vs pymm", "cold ns", "vs pymm", "peak RSS MiB", "vs pymm"
      for (i = 1; i <= n; i++) {
        im = I[i]
        if ((w, im) in failmsg || !((w, im) in ns)) { printf "%-9s %9s\n", im, ((w, im) in failmsg) ? "FAILED" : "-"; continue }
        printf "%-9s %9.2f %8s %11.2f %8s %13s %8s\n", im, ns[w, im], rel(ns[w, im], ns[w, "pymm"]),
          ns["list48-cold", im], rel(ns["list48-cold", im], ns["list48-cold", "pymm"]),
          mib(peak[w, im]), rel(peak[w, im], peak[w, "pymm"])
      }
    } else if (w == "frag") {
      printf "%-9s %8s %7s %9s %10s %7s %10s %7s %7s  %s\n", "impl", "ns/op", "vs pymm", "peak MiB", "freed MiB", "ratio", "trimmed", "ratio", "base", "trim call (ms)"
      for (i = 1; i <= n; i++) {
        im = I[i]
        if ((w, im) in failmsg || !((w, im) in ns)) { printf "%-9s %8s\n", im, ((w, im) in failmsg) ? "FAILED" : "-"; continue }
        r = sel[w, im]
        printf "%-9s %8.2f %7s %9s %10s %7.3f %10s %7.3f %7s  %s (%s)\n", im, ns[w, im], rel(ns[w, im], ns[w, "pymm"]),
          mib(fpeak["frag", im, r]), mib(after["frag", im, r]), ratio["frag", im, r],
          mib(after["frag-trim", im, r]), ratio["frag-trim", im, r], mib(base[im, r]), trim[im, r], trimms[im, r]
      }
      print "  (MiB columns: peak = VmHWM; freed = VmRSS after the frees; trimmed = VmRSS after the trim call;"
      print "   all three net of the process baseline; base = VmRSS before the workload, absolute;"
      print "   ratio = RSS / peak; pymalloc has no trim call)"
    } else {
      printf "%-9s %9s %8s %13s %8s\n", "impl", "ns/op", "vs pymm", "peak RSS MiB", "vs pymm"
      for (i = 1; i <= n; i++) {
        im = I[i]
        if ((w, im) in failmsg || !((w, im) in ns)) { printf "%-9s %9s\n", im, ((w, im) in failmsg) ? "FAILED" : "-"; continue }
        printf "%-9s %9.2f %8s %13s %8s\n", im, ns[w, im], rel(ns[w, im], ns[w, "pymm"]), mib(peak[w, im]), rel(peak[w, im], peak[w, "pymm"])
      }
    }
    print ""
  }
  print "Each figure: the fastest of the runs (one process each).  vs pymm = peer / pymm"
  print "(time or peak RSS); above 1.00 means pymm is faster / smaller.  RSS figures are net"
  print "of the baseline of each process (VmRSS with the allocator set up, before the workload:"
  print "the footprint of libpython itself is not counted for pymalloc); every allocator is a shared library."
}' "$OUT"

if [ "$failed" -ne 0 ]; then
  echo "bench-alloc: some runs FAILED (see above)" >&2
  exit 1
fi
