#!/usr/bin/env bash
# The eviction lab's benchmarks (figures in bench/README.md):
#  1. replay speed of each policy, single-threaded, on a 10M-request Zipf(1.0) trace over 1M
#     objects read from an oracleGeneral file, at 10% of the working set (sizes ignored);
#  2. node throughput of lab policies (NODE_POLICIES, default allkeys-s3fifo) against Redis'
#     allkeys-lru under redis-benchmark with maxmemory set (SETs and GETs over more keys than
#     fit), alternating, median of ROUNDS.
# Usage: bench/trace.sh [replay|node|all]   (ROUNDS=3, TRACE_FILE=reuse this trace file,
#        NODE_POLICIES=allkeys-s3fifo,allkeys-sieve,...)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
ROUNDS=${ROUNDS:-3}
TRACE_TOOL=${TRACE_TOOL:-build/tools/trace/ringcache-trace}
POLICIES=${POLICIES:-lru,fifo,clock,sieve,s3fifo,arc,wtinylfu,wtinylfu-adaptive,random,belady}
NODE_POLICIES=${NODE_POLICIES:-allkeys-s3fifo}
source bench/lib.sh

scratch=$(mktemp -d /tmp/ringcache-trace-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

replay() {
  require_tools "$TRACE_TOOL"
  local trace=${TRACE_FILE:-$scratch/zipf1.0-1M-10M.oracleGeneral.bin}
  if [ ! -f "$trace" ]; then
    echo "writing the Zipf(1.0) trace to $trace" >&2
    "$TRACE_TOOL" --workload zipf:1.0 --objects 1000000 --requests 10000000 --seed 1 \
      --write-trace "$trace" --policies fifo --sizes 1 --ignore-size --quiet >/dev/null
  fi
  for round in $(seq "$ROUNDS"); do
    "$TRACE_TOOL" --trace "$trace" --format oracleGeneral --policies "$POLICIES" --sizes 0.1 \
      --ignore-size --csv --quiet | tail -n +2
  done >"$scratch/replay.csv"
  echo "policy,miss_ratio,mreq_per_s (median of $ROUNDS)"
  IFS=, read -ra names <<<"$POLICIES"
  for p in "${names[@]}"; do
    ratio=$(awk -F, -v p="$p" '$1 == p { print $4; exit }' "$scratch/replay.csv")
    speed=$(awk -F, -v p="$p" '$1 == p { print $6 }' "$scratch/replay.csv" | median)
    echo "$p,$ratio,$speed"
  done
}

# One redis-benchmark run against a fresh node with this policy; prints requests/s of SET and GET.
node_run() {
  local policy=$1 port
  port=${BENCH_PORT:-$(free_port)}
  "${server_cpu[@]}" "$RINGCACHE_SERVER" --port "$port" --maxmemory 64mb \
    --maxmemory-policy "$policy" >>"$scratch/ringcache.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  wait_ready "$port"
  "${bench_cpu[@]}" "$REDIS_BENCHMARK" -p "$port" -t set,get -n 2000000 -r 2000000 -d 64 -P 16 \
    -c 50 --csv -q | tr -d '"' | awk -F, '$1 == "SET" || $1 == "GET" { print $1 "," $2 }'
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

node() {
  require_tools "$RINGCACHE_SERVER" "$REDIS_CLI" "$REDIS_BENCHMARK"
  pin_cpus
  IFS=, read -ra lab <<<"$NODE_POLICIES"
  for round in $(seq "$ROUNDS"); do
    for policy in allkeys-lru "${lab[@]}"; do
      node_run "$policy" | sed "s/^/$policy,/"
    done
  done >"$scratch/node.csv"
  med() { awk -F, -v p="$1" -v t="$2" '$1 == p && $2 == t { print $3 }' "$scratch/node.csv" | median; }
  echo "policy,test,allkeys-lru req/s,policy req/s,ratio (medians of $ROUNDS)"
  for policy in "${lab[@]}"; do
    for t in SET GET; do
      lru=$(med allkeys-lru "$t")
      other=$(med "$policy" "$t")
      echo "$policy,$t,$lru,$other,$(awk -v a="$other" -v b="$lru" 'BEGIN { printf "%.3f", a / b }')"
    done
  done
}

case "$what" in
  replay) replay ;;
  node) node ;;
  all) replay; node ;;
  *) echo "usage: bench/trace.sh [replay|node|all]" >&2; exit 2 ;;
esac
