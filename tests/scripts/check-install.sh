#!/usr/bin/env bash
# `make install` installs the header, both libraries and pymm.pc, and an
# embedder can build against them with pkg-config alone (static and shared).
# Two installs: `cmake --install --prefix`, and `make install PREFIX=DIR`
# on this already-configured build directory — which must install into DIR
# (not into the prefix the build was configured with) with a pymm.pc that
# names DIR.
set -euo pipefail
build="$1"; src="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check_tree() {          # check_tree PREFIX HOW: files present, demo builds both ways
  local prefix="$1" how="$2" libdir flags out
  libdir=$(ls -d "$prefix"/lib* | head -1)
  for f in "$prefix/include/pymm.h" "$libdir/libpymm.a" "$libdir/libpymm.so" "$libdir/pkgconfig/pymm.pc"; do
    [ -e "$f" ] || { echo "check-install ($how): missing $f"; exit 1; }
  done
  export PKG_CONFIG_PATH="$libdir/pkgconfig"
  flags=$(pkg-config "${@:3}" --cflags --libs pymm)
  grep -q -- "-I$prefix/include" <<<"$flags" || { echo "check-install ($how): pkg-config gives '$flags', not $prefix"; exit 1; }
  cc -std=c11 -o "$prefix/demo-shared" "$src"/examples/demo.c "$src"/examples/tour_*.c $flags -Wl,-rpath,"$libdir"
  out=$("$prefix/demo-shared"); grep -q "Small block threshold = 512" <<<"$out"
  cc -std=c11 -o "$prefix/demo-static" "$src"/examples/demo.c "$src"/examples/tour_*.c -I"$prefix/include" "$libdir/libpymm.a" -lm
  out=$("$prefix/demo-static"); grep -q "Small block threshold = 512" <<<"$out"
}

# 1. cmake --install --prefix; the .pc still names the configured prefix, so
#    pkg-config is told the real one.
p1="$work/cmake-prefix"
cmake --install "$build" --prefix "$p1" >/dev/null
check_tree "$p1" "cmake --install" --define-variable=prefix="$p1"

# 2. make install PREFIX=DIR (the build itself is up to date: not remade here).
configured=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
p2="$work/make-prefix"
make -C "$src" --no-print-directory -o build install BUILD="$build" PREFIX="$p2" >/dev/null
[ "$configured" = "$p2" ] && { echo "check-install: build configured with the test's own prefix"; exit 1; }
check_tree "$p2" "make install PREFIX"
echo "check-install: header, static and shared library, pymm.pc work (cmake --install --prefix; make install PREFIX=, configured prefix $configured)"
