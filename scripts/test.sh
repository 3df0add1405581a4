#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test: unit, property, simulation and real-process
# tests (ctest), then the same unit tests built with AddressSanitizer and UBSan, then every
# libFuzzer target for a bounded time. SKIP_SANITIZERS=1 / SKIP_FUZZ=1 skip those steps.
# Every build is a unity build (scripts/build.sh says why).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
(cd "$root/build" && ctest --output-on-failure -j 2)
# The sanitizer and fuzz stages share one clang build (scripts/fuzz.sh configures it): ASan and
# UBSan everywhere plus libFuzzer's coverage, so the core compiles once for both, and clang
# compiles it in about a third of the time gcc takes at -O0.
if [ "${SKIP_SANITIZERS:-0}" != 1 ]; then
  CXX=clang++ BUILD_DIR="$root/build-sanitize" BUILD_TARGET=ringcache_tests \
    "$root/scripts/build.sh" -DRINGCACHE_SANITIZE=ON -DRINGCACHE_FUZZ=ON
  # The regression seeds replay real-node clusters: the release stage above runs them, and under
  # ASan they would take most of this stage's time.
  (cd "$root/build-sanitize" && GTEST_FILTER='-Runner.RegressionListPasses' \
     ctest --output-on-failure -j 2 -R '^(unit|core_boundary)$')
fi
if [ "${SKIP_FUZZ:-0}" != 1 ]; then
  FUZZ_BUILD_DIR="$root/build-sanitize" "$root/scripts/fuzz.sh" "${FUZZ_SECONDS:-20}"
fi
