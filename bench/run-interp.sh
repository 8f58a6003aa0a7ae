#!/bin/bash
# Interpreter benchmarks: bench/run-interp.sh BUILD_DIR
#   1. the scripts of bench/interp/scripts (allocation-heavy loops, recursion,
#      strings, cycles, nbody, richards, fannkuch, spectral_norm, a generator
#      pipeline, method calls): pymm vs Debian's python3.11 and pyenv's
#      python3, one run (bench/interp/run_scripts.py);
#   2. compile speed of the front end: the whole standard library, pymm vs
#      python3's compile() and Debian's python3.11 (bench/interp/compile_stdlib.py);
#   3. the cost of tracemalloc: the same scripts with -X tracemalloc on ÷ off,
#      pymm against Debian's python3.11 (bench/interp/tracemalloc_cost.py).
# Build BUILD_DIR with optimization (make's default RelWithDebInfo), not a
# sanitizer build.
BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
if [ ! -x "$BUILD/pymm" ]; then
  echo "run-interp.sh: no $BUILD/pymm (build it first: cmake --build $BUILD --target pymm)" >&2
  exit 1
fi
status=0
python3 "$HERE/interp/run_scripts.py" "$BUILD/pymm" || status=1
python3 "$HERE/interp/compile_stdlib.py" "$BUILD/pymm" || status=1
python3 "$HERE/interp/tracemalloc_cost.py" "$BUILD/pymm" || status=1
exit $status
