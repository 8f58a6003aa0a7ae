#!/usr/bin/env bash
# pairs_ab.sh — alternated wall-clock A/B of bench-alloc's pairs32 (or any
# workload) between two pymm-bench-alloc executables.
#
#   bash bench/alloc/pairs_ab.sh OLD_EXE NEW_EXE [ROUNDS] [WORKLOAD]
#
# Runs OLD, NEW, OLD, NEW, ... ROUNDS times each (default 3) with
# `<workload> --reps 3 --scale 0.5` (default workload pairs32), so that a slow
# spell of the machine hits both alike, then prints every figure and each
# side's best.  Meant for a quiet machine (load < 1; check `uptime` first):
# on 2 shared cores a build running alongside moves single figures by 1.3-2x.
#
# Like with like: both executables must be linked the same way (both against
# libpymm.so through an rpath, as bench/alloc/CMakeLists.txt links them
# today).  For the old commit de62b0f, whose CMakeLists linked libpymm.a,
# docs/bench-alloc.md ("pairs32 against de62b0f") gives the commands that
# link its bench object against its own libpymm.so.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 OLD_EXE NEW_EXE [ROUNDS] [WORKLOAD]" >&2
    exit 2
fi
old=$1
new=$2
rounds=${3:-3}
workload=${4:-pairs32}
for e in "$old" "$new"; do
    if [ ! -x "$e" ]; then
        echo "$0: $e is not an executable" >&2
        exit 2
    fi
done

echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
old_all=""
new_all=""
for ((i = 1; i <= rounds; i++)); do
    for side in old new; do
        if [ $side = old ]; then exe=$old; else exe=$new; fi
        ns=$("$exe" "$workload" --reps 3 --scale 0.5 |
             sed -n "s/^bench alloc $workload [a-z]* ns_per_op=\([0-9.]*\).*/\1/p")
        if [ -z "$ns" ]; then
            echo "$0: no 'bench alloc $workload' line from $exe" >&2
            exit 1
        fi
        echo "round $i $side $ns"
        if [ $side = old ]; then old_all="$old_all $ns"; else new_all="$new_all $ns"; fi
    done
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
best() { printf '%s\n' $1 | sort -g | head -1; }
echo "old $old:$old_all  best $(best "$old_all") ns"
echo "new $new:$new_all  best $(best "$new_all") ns"
