#!/usr/bin/env bash
# Run CPython's own regression tests (tests/cpython/regrtests.txt) under
# pymm-python, by hand: one regrtest run per mode, -j2.
#
# usage: bash tests/cpython/run-regrtests.sh [build-dir] [mode...]
#   modes: normal (pymm), debug (PYMM_DEBUG_ALLOC=1), hooks
#          (PYMM_PY_DEBUG_HOOKS=1) — all three with PYMM_CHECK_AT_EXIT=1 —,
#          off (PYMM_OFF=1: CPython's pymalloc),
#          stock (the python3 that python3-config names, for comparison).
#          Default: normal debug.
# Extra regrtest options can be passed in REGRTEST_OPTS (e.g. "-v").
# `make test` runs the same list as ctest tests labelled "cpython"
# (cd build && ctest -L cpython).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
shift || true
modes=("$@")
[ ${#modes[@]} -gt 0 ] || modes=(normal debug)
exe=$(cd "$build" && pwd)/pymm-python
[ -x "$exe" ] || { echo "run-regrtests: $exe not built (make build)" >&2; exit 2; }
stock=$(python3-config --prefix)/bin/python3.11

# Module names in the list, and the "-i pattern" exclusions that go with them.
tests=() ignores=()
while read -r line; do
  line=${line%%#*}
  read -r -a words <<<"$line"
  [ ${#words[@]} -gt 0 ] || continue
  tests+=("${words[0]}")
  for ((i = 1; i < ${#words[@]}; i++)); do ignores+=("${words[i]}"); done
done <"$here/regrtests.txt"

unset PYTHONMALLOC PYTHONDEVMODE PYTHONTRACEMALLOC PYMM_OFF PYMM_DEBUG_ALLOC \
      PYMM_PY_DEBUG_HOOKS PYMM_STATS PYMM_CHECK_AT_EXIT
status=0
for mode in "${modes[@]}"; do
  cmd=("$exe") env=()
  case $mode in
    normal) env=(PYMM_CHECK_AT_EXIT=1) ;;
    debug) env=(PYMM_DEBUG_ALLOC=1 PYMM_CHECK_AT_EXIT=1) ;;
    hooks) env=(PYMM_PY_DEBUG_HOOKS=1 PYMM_CHECK_AT_EXIT=1) ;;
    off) env=(PYMM_OFF=1) ;;
    stock) cmd=("$stock") ;;
    *) echo "run-regrtests: unknown mode $mode" >&2; exit 2 ;;
  esac
  echo "== regrtests, mode $mode: ${env[*]:-} ${cmd[*]} -m test -j2 (${#tests[@]} modules)"
  start=$SECONDS
  # regrtest exits 0 when a module is skipped, for any reason (a resource
  # not given included): the output is checked too, as ctest does.
  log=$(mktemp)
  # shellcheck disable=SC2086
  if env "${env[@]}" "${cmd[@]}" -m test -j2 --fail-env-changed \
       "${ignores[@]}" ${REGRTEST_OPTS:-} "${tests[@]}" 2>&1 | tee "$log"; then rc=0; else rc=1; fi
  if [ $rc -eq 0 ] && grep -E -q '[0-9]+ tests? skipped:|skipped \(resource denied\)' "$log"; then
    echo "== mode $mode: a module was skipped (see above)"; rc=1
  fi
  rm -f "$log"
  if [ $rc -eq 0 ]; then
    echo "== mode $mode: passed in $((SECONDS - start)) s"
  else
    echo "== mode $mode: FAILED (after $((SECONDS - start)) s)"; status=1
  fi
done
exit $status
