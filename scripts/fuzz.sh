#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (into build-sanitize/, which scripts/test.sh also
# builds the sanitized unit tests in, with the same options) and runs each for a bounded time.
# Usage: scripts/fuzz.sh [seconds-per-target]   (default 20; CI uses the default)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-20}
build_dir=${FUZZ_BUILD_DIR:-$root/build-sanitize}
CXX=clang++ cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRINGCACHE_FUZZ=ON -DRINGCACHE_SANITIZE=ON -DCMAKE_UNITY_BUILD=${UNITY_BUILD:-ON} >/dev/null
targets=(resp_parser_fuzz http_parser_fuzz json_fuzz aof_loader_fuzz command_fuzz trace_fuzz
         cluster_bus_fuzz eval_fuzz acl_rules_fuzz restore_payload_fuzz)
cmake --build "$build_dir" -j "$(nproc)" --target "${targets[@]}"
for target in "${targets[@]}"; do
  corpus="$build_dir/corpus/$target"
  mkdir -p "$corpus"
  seeds=()
  [ -d "$root/fuzz/corpus/$target" ] && seeds=("$root/fuzz/corpus/$target")
  dict=()
  [ -f "$root/fuzz/$target.dict" ] && dict=("-dict=$root/fuzz/$target.dict")
  echo "fuzzing $target for ${seconds}s"
  "$build_dir/fuzz/$target" -max_total_time="$seconds" -max_len=4096 -print_final_stats=0 "${dict[@]}" \
    "$corpus" "${seeds[@]}" 2>&1 | tail -n 2
done
