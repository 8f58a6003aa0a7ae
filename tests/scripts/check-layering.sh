#!/usr/bin/env bash
# The library never depends on the interpreter: no file under src/ or
# include/ includes anything from interp/ (by a relative path, by a path
# naming interp/, or by a header only interp/ has).
# usage: check-layering.sh SRC_ROOT   (the repository root)
set -euo pipefail
root="$1"
[ -d "$root/src" ] || { echo "check-layering: no $root/src"; exit 1; }
bad=$(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*["<][^">]*interp/' "$root/src" "$root/include" || true)
if [ -d "$root/interp" ]; then
  # headers that exist only in interp/, included by bare name
  while IFS= read -r h; do
    name=$(basename "$h")
    [ -e "$root/include/$name" ] && continue
    find "$root/src" -name "$name" | grep -q . && continue
    hits=$(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]*\"$name\"" "$root/src" "$root/include" || true)
    [ -n "$hits" ] && bad="$bad"$'\n'"$hits"
  done < <(find "$root/interp" -name '*.h')
fi
bad=$(sed '/^$/d' <<<"$bad")
if [ -n "$bad" ]; then
  echo "check-layering: src/ or include/ includes interp/:"; echo "$bad"; exit 1
fi
echo "check-layering: src/ and include/ include nothing from interp/"
