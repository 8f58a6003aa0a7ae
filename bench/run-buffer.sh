#!/usr/bin/env bash
# bench/run-buffer.sh BUILD_DIR — the buffer / memoryview suite (make bench-buffer).
#
# Shows that memoryview is zero-copy: making a slice, a cast or a view of a
# 1 GiB bytearray costs the same as of a 1 KiB one (a view is a header over
# the same memory), and that tobytes of a contiguous view runs at memory
# bandwidth: its bytes/s next to malloc+memcpy+free of the same size
# ("memcpy", the same work without pymm) and to memcpy into a warm buffer
# ("memcpy_warm"), all measured in one process, alternating.  python3's
# memoryview runs the same workloads for context.  Workloads:
# bench/buffer/bench_buffer.c.
#
# Environment: BENCH_BUFFER_BIG_MIB (default 1024), BENCH_BUFFER_COPY_MIB
# (default 256), PYTHON3 (default python3; empty to skip).
# Raw lines are also saved to BUILD_DIR/bench-buffer.txt.
set -uo pipefail

B=${1:-build}
BIG=${BENCH_BUFFER_BIG_MIB:-1024}
COPY=${BENCH_BUFFER_COPY_MIB:-256}
PY=${PYTHON3-python3}
OUT="$B/bench-buffer.txt"
BIN="$B/pymm-bench-buffer"
HERE=$(cd "$(dirname "$0")" && pwd)

if [ ! -x "$BIN" ]; then
    echo "bench-buffer: $BIN not built (make build)" >&2
    exit 1
fi

echo "== bench-buffer: views over 1 KiB and ${BIG} MiB, tobytes of ${COPY} MiB =="
: > "$OUT"
"$BIN" --big-mib "$BIG" --copy-mib "$COPY" | tee -a "$OUT"
rc=${PIPESTATUS[0]}
if [ -n "$PY" ] && command -v "$PY" > /dev/null; then
    "$PY" "$HERE/buffer/cpython_buffer.py" "$BIG" "$COPY" | tee -a "$OUT"
fi

# Summary: big/small ratio per view workload, tobytes against memcpy.
python3 - "$OUT" <<'PY' || true
import re, sys
vals = {}
for line in open(sys.argv[1]):
    m = re.match(r"bench buffer (\S+) (\S+) (ns_per_op|bytes_per_s)=(\S+)", line)
    if m:
        vals[(m.group(1), m.group(2))] = float(m.group(4))
print("\nsummary")
small = [w for (w, i) in vals if w.endswith("_1KiB") and i == "pymm"]
for w in small:
    base = w[:-len("_1KiB")]
    big = [k for k in vals if k[0].startswith(base + "_") and k[0] != w and k[1] == "pymm"
           and not k[0].startswith("tobytes")]
    for (bw, impl) in big:
        r = vals[(bw, impl)] / vals[(w, impl)]
        cp = vals.get((bw, "cpython"))
        extra = "   cpython %.0f ns" % cp if cp else ""
        print("  %-8s %8.1f ns (1 KiB) %8.1f ns (%s)  ratio %.2f%s" % (
            base, vals[(w, impl)], vals[(bw, impl)], bw[len(base) + 1:], r, extra))
for (w, impl), v in sorted(vals.items()):
    if w.startswith("tobytes_") and not w.startswith("tobytes_strided") and impl == "pymm":
        mc, warm, cp = vals.get((w, "memcpy")), vals.get((w, "memcpy_warm")), vals.get((w, "cpython"))
        print("  %s: pymm %.2f GB/s, malloc+memcpy %.2f GB/s (ratio %.2f), memcpy warm %.2f GB/s%s" % (
            w, v / 1e9, mc / 1e9, v / mc, warm / 1e9, ", cpython %.2f GB/s" % (cp / 1e9) if cp else ""))
PY
exit $rc
