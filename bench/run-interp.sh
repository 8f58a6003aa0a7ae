#!/bin/bash
# Compile-speed benchmark of the front end: bench/run-interp.sh BUILD_DIR
# (pymm from BUILD_DIR vs python3's compile() and Debian's python3.11; see
# bench/interp/compile_stdlib.py).  Build BUILD_DIR with optimization
# (make's default RelWithDebInfo), not a sanitizer build.
set -e
BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
if [ ! -x "$BUILD/pymm" ]; then
  echo "run-interp.sh: no $BUILD/pymm (build it first: cmake --build $BUILD --target pymm)" >&2
  exit 1
fi
exec python3 "$HERE/interp/compile_stdlib.py" "$BUILD/pymm"
