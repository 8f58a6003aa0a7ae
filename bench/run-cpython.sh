#!/usr/bin/env bash
# make bench-cpython: allocation-heavy Python workloads under pymm-python with
# pymm on (pymm), with pymm off (pymalloc: same binary, same libpython) and
# under Debian's stock /usr/bin/python3.11 (cpython), alternating; wall time,
# peak RSS and the ratios.  See bench/cpython/driver.py and docs/cpython.md.
#
# usage: bash bench/run-cpython.sh [build-dir] [driver options] [workload...]
#   driver options: --rounds N (default 3), --scale S (default 1)
set -euo pipefail
build=${1:-build}
shift || true
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -x "$build/pymm-python" ]; then
  echo "bench-cpython: $build/pymm-python is not built (make build)" >&2
  exit 1
fi
# The driver itself runs on the embedded tree's python3 (it only forks and
# measures); the interpreters it measures are the three above.
py=$(python3-config --prefix 2>/dev/null)/bin/python3.11
[ -x "$py" ] || py=python3
exec "$py" "$here/cpython/driver.py" "$build" "$@"
