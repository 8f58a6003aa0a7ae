#!/usr/bin/env bash
# Installs, non-interactively, the Debian packages pymm needs — only those missing.
set -euo pipefail
need=(cmake make gcc clang pkg-config libcmocka-dev libclang-rt-14-dev
      libmimalloc-dev libjemalloc-dev libgoogle-perftools-dev python3.11-minimal)
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
