#!/usr/bin/env bash
# Configures and builds ringcache into build/ (or $BUILD_DIR), Release-with-debug-info by default.
# Builds every target, or only $BUILD_TARGET (scripts/start.sh: the server alone).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "$build_dir" --target "${BUILD_TARGET:-all}" -j "$(nproc)"
