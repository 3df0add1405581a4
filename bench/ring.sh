#!/usr/bin/env bash
# The slot ring (core/cluster/ring.h; figures in bench/README.md): over TRIALS (1000) random
# member sets of 3, 10 and 100 shards, seed SEED (1), prints for each token count
#   max/mean    slots of the fullest shard over the mean (worst and median trial);
#   join/leave  slots moved by one join and by one leave, as multiples of the ideal 1/N
#               (1/(N+1) for a join): mean, median and the trial farthest from 1;
#   compute     microseconds to compute one map (median and worst trial);
#   ranges      contiguous slot ranges in a map (the rows of CLUSTER SLOTS).
# First the default (cluster_vnodes_default tokens and the load cap), then the ring alone
# (no cap) at SWEEP_VNODES token counts, which shows what tokens alone can do.
# Usage: bench/ring.sh   (TRIALS=200 SEED=2 SWEEP_VNODES=150,256 BUILD_DIR=build ...)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
TRIALS=${TRIALS:-1000}
SEED=${SEED:-1}
SWEEP_VNODES=${SWEEP_VNODES:-150,256,512,1024,2048}

if [ ! -f "$BUILD_DIR/build.ninja" ] && [ ! -f "$BUILD_DIR/Makefile" ]; then
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$BUILD_DIR" --target ring_bench >/dev/null
bench=$BUILD_DIR/bench/ring/ring_bench

echo "== default: cluster_vnodes_default tokens, load cap"
"$bench" --trials "$TRIALS" --seed "$SEED"
echo
echo "== the ring alone (no load cap)"
"$bench" --trials "$TRIALS" --seed "$SEED" --vnodes "$SWEEP_VNODES" --load-max-ratio inf
