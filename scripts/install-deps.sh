#!/usr/bin/env bash
# Installs, non-interactively, the Debian packages pymm needs — only those missing.
# pymm-python and the CPython regression tests need a CPython 3.11 with its
# headers, libpython and its `test` package, found through python3-config:
# when the python3-config on PATH is missing, not 3.11, or its tree has no
# `test` package, Debian's python3.11-dev + libpython3.11-testsuite are
# installed (the build fails with a message if it still finds none; or
# configure with -DPYMM_BUILD_TOOLS=OFF).
set -euo pipefail
need=(cmake make gcc clang pkg-config libcmocka-dev libclang-rt-14-dev
      libmimalloc-dev libjemalloc-dev libgoogle-perftools-dev python3.11-minimal
      libreadline-dev    # line editing at pymm's interactive prompt
      librsvg2-bin)      # rsvg-convert: tests/seeing renders every SVG

cpython_ok() {
  local cfg prefix
  cfg=$(command -v python3-config || command -v python3.11-config) || return 1
  "$cfg" --includes 2>/dev/null | grep -q 'python3\.11' || return 1
  prefix=$("$cfg" --prefix) || return 1
  "$prefix/bin/python3.11" -c 'import test.libregrtest' >/dev/null 2>&1
}
cpython_ok || need+=(python3.11-dev libpython3.11-testsuite)

missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
command -v python3 >/dev/null || { echo "install-deps: python3 (3.11) is required" >&2; exit 1; }
