#!/usr/bin/env bash
# Installs everything ringcache builds, tests and benchmarks with, from Debian 12 packages.
# Run as root (or with sudo). Safe to run again.
set -euo pipefail
packages=(
  build-essential cmake ninja-build clang libclang-rt-14-dev
  libboost-fiber-dev libboost-context-dev libboost-system-dev
  libfmt-dev libcxxopts-dev libgtest-dev libgmock-dev librapidcheck-dev
  libtomlplusplus-dev zlib1g-dev libzstd-dev
  liblua5.1-0-dev lua-cjson-dev lua-bitop-dev
  redis-server redis-tools python3 python3-redis
  curl prometheus wrk
)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}"
fi
# Debian starts redis-server (6379) and prometheus (9090) services when installing them; the
# tests start their own.
if command -v systemctl >/dev/null 2>&1; then
  systemctl disable --now redis-server prometheus >/dev/null 2>&1 || true
fi
