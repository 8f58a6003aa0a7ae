#!/usr/bin/env bash
# No mutable process-global state: libpymm may not define data objects in
# writable sections (.data, .bss, common).  Immortal objects and const
# tables live in .rodata, or in .data.rel.ro when they hold pointers (made
# read-only after relocation).  Allow-list: UBSan's own `__unnamed_N`
# descriptors in sanitizer builds.  Also: src/ never
# includes anything from interp/.
set -euo pipefail
lib="$1"; src="$2"
bad=$(objdump -t "$lib" | awk '$3 == "O" && ($4 ~ /^\.(data|bss)(\.|$)/ || $4 == "*COM*") && $4 !~ /^\.data\.rel\.ro/ {print $4, $NF}' | grep -v -E ' __unnamed_[0-9]+$' || true)
if [ -n "$bad" ]; then
  echo "check-globals: writable data symbols in $lib:"; echo "$bad"; exit 1
fi
if grep -rn '#include *"\.\./interp\|#include *"interp/' "$src" >/dev/null 2>&1; then
  echo "check-globals: src/ includes interp/"; exit 1
fi
echo "check-globals: no writable globals in $(basename "$lib")"
