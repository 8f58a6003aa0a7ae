#!/usr/bin/env bash
# `make install` installs the header, both libraries and pymm.pc, and an
# embedder can build against them with pkg-config alone (static and shared).
set -euo pipefail
build="$1"; src="$2"
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(ls -d "$prefix"/lib* | head -1)
for f in "$prefix/include/pymm.h" "$libdir/libpymm.a" "$libdir/libpymm.so" "$libdir/pkgconfig/pymm.pc"; do
  [ -e "$f" ] || { echo "check-install: missing $f"; exit 1; }
done
# The .pc file was generated for the configured prefix; point it at ours.
export PKG_CONFIG_PATH="$libdir/pkgconfig"
flags=$(pkg-config --define-variable=prefix="$prefix" --cflags --libs pymm)
cc -std=c11 -o "$prefix/demo-shared" "$src"/examples/demo.c "$src"/examples/tour_*.c $flags -Wl,-rpath,"$libdir"
out=$("$prefix/demo-shared"); grep -q "Small block threshold = 512" <<<"$out"
cc -std=c11 -o "$prefix/demo-static" "$src"/examples/demo.c "$src"/examples/tour_*.c -I"$prefix/include" "$libdir/libpymm.a" -lm
out=$("$prefix/demo-static"); grep -q "Small block threshold = 512" <<<"$out"
echo "check-install: header, static and shared library, pymm.pc work"
