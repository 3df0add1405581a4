#!/usr/bin/env bash
# Configures and builds ringcache into build/ (or $BUILD_DIR), Release-with-debug-info by default.
# Builds every target, or only $BUILD_TARGET (scripts/start.sh: the server alone).
# The libraries compile as a unity build (CMake batches of 8 sources per translation unit): a
# build from nothing takes 2.6x less CPU than file by file (core and simulator libraries: 304 s
# against 794 s), which is what a fresh machine and CI pay. UNITY_BUILD=OFF compiles file by file,
# the better choice for edit-compile cycles.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} \
  -DCMAKE_UNITY_BUILD=${UNITY_BUILD:-ON} "$@" >/dev/null
cmake --build "$build_dir" --target "${BUILD_TARGET:-all}" -j "$(nproc)"
