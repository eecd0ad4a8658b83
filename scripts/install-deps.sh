#!/usr/bin/env bash
# Installs the Debian packages wst needs, only those missing (idempotent; no-op when all present).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libfftw3-dev            # FFTs, float and double (GPL-2+)
  libcli11-dev            # command line
  nlohmann-json3-dev      # metadata JSON
  libgtest-dev            # tests
  libbenchmark-dev        # benchmarks
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y --no-install-recommends "${missing[@]}"; then
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
