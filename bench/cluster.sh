#!/usr/bin/env bash
# A ringcache cluster against a Redis Cluster on this machine, with redis-benchmark --cluster:
# SHARDS (3) ringcache nodes joined through their seeds, and SHARDS Redis primaries joined with
# `redis-cli --cluster create ... --cluster-replicas 0`, both on loopback with the same settings.
# Throughput and latency of SET and GET, pipelined and not, the ratio ringcache/redis, and the
# nodes' CPU time per request summed over each cluster's nodes.
# Builds nothing and writes nothing into the repository: binaries come from build/ or the
# environment, the nodes' files go to a temporary directory removed, with every node, at the end.
#
#   bench/cluster.sh                 # 5 rounds with the defaults below
#   ROUNDS=3 N_P16=1000000 bench/cluster.sh
#
# Both clusters run for the whole script; each measurement alternates them (ringcache first on
# odd rounds, redis first on even ones) and reports the median of the rounds, as bench/run.sh.
# redis-benchmark --cluster runs one thread per primary, each thread's clients on one primary,
# and puts every key of a primary's clients in one slot of that primary (`key:{tag}:...`), so a
# GET finds what the SET before it wrote.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-5}
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
SHARDS=${SHARDS:-3}
N_P1=${N_P1:-200000}        # requests per run at -P 1
N_P16=${N_P16:-2000000}     # requests per run at -P 16
NODE_TIMEOUT_MS=${NODE_TIMEOUT_MS:-5000}   # cluster-node-timeout of both clusters
READY_TIMEOUT_S=${READY_TIMEOUT_S:-60}     # how long a cluster may take to reach cluster_state:ok

# start_ringcache_cluster PORT...: one ringcache node per port, joined through their seeds; sets
# rc_port (the first node's) and rc_pid (every node's, separated by spaces).
start_ringcache_cluster() {
  local port seeds node_pids=()
  seeds=$(cluster_seed_list "$@")
  for port in "$@"; do
    start_cluster_node "$RINGCACHE_SERVER" "$port" "$scratch/ringcache-$port" "$seeds" \
      --bind 127.0.0.1 --cluster-node-timeout "$NODE_TIMEOUT_MS"
    node_pids+=("${pids[-1]}")
  done
  rc_port=$1 rc_pid=${node_pids[*]}
}

# start_redis_cluster PORT...: one Redis primary per port, joined with redis-cli --cluster create
# (no replicas); sets redis_port and redis_pid as start_ringcache_cluster.
start_redis_cluster() {
  local port addresses=() node_pids=()
  for port in "$@"; do
    mkdir -p "$scratch/redis-$port"
    "${node_launcher[@]}" "$REDIS_SERVER" --port "$port" --bind 127.0.0.1 \
      --dir "$scratch/redis-$port" --save '' --appendonly no --cluster-enabled yes \
      --cluster-config-file nodes.conf --cluster-node-timeout "$NODE_TIMEOUT_MS" \
      --logfile "$scratch/redis-$port/node.log" &
    pids+=($!) node_pids+=($!) addresses+=("127.0.0.1:$port")
  done
  for port in "$@"; do wait_ready "$port"; done
  "$REDIS_CLI" --cluster create "${addresses[@]}" --cluster-replicas 0 --cluster-yes \
    >"$scratch/redis-cluster-create.log" 2>&1
  redis_port=$1 redis_pid=${node_pids[*]}
}

# cluster_keys PORT...: the keys stored over the nodes on those ports (DBSIZE summed).
cluster_keys() {
  local port total=0
  for port in "$@"; do total=$((total + $("$REDIS_CLI" -p "$port" DBSIZE))); done
  echo "$total"
}

require_tools "$RINGCACHE_SERVER" "$REDIS_SERVER" "$REDIS_BENCHMARK" "$REDIS_CLI"
setup_scratch_and_servers
node_launcher=("${server_cpu[@]}")
BENCHMARK_ARGS=(--cluster)
read -r -a ports <<<"$(free_cluster_ports $((2 * SHARDS)))"
rc_ports=("${ports[@]:0:SHARDS}") redis_ports=("${ports[@]:SHARDS}")
start_ringcache_cluster "${rc_ports[@]}"
start_redis_cluster "${redis_ports[@]}"
if ! wait_cluster_ok "$READY_TIMEOUT_S" "${rc_ports[@]}" "${redis_ports[@]}"; then
  tail -n 5 "$scratch"/*/node.log >&2
  exit 1
fi

echo "ringcache: $RINGCACHE_SERVER, $SHARDS nodes on ports ${rc_ports[*]}"
echo "redis:     $("$REDIS_SERVER" --version | cut -d' ' -f1-3), $SHARDS primaries on ports" \
  "${redis_ports[*]}"
echo "settings:  rounds=$ROUNDS clients=$CLIENTS -d $DATA_BYTES -r $KEYSPACE" \
  "-n $N_P1 (P1) / $N_P16 (P16), redis-benchmark --cluster, cluster-node-timeout" \
  "$NODE_TIMEOUT_MS ms, pinned=$PIN"
echo "load average at start: $(load_average)"
set_get_rounds
echo "load average at end:   $(load_average)"
echo
set_get_table
echo "CPU us/req here is the sum over the $SHARDS nodes of a cluster." \
  "keys stored: ringcache $(cluster_keys "${rc_ports[@]}"), redis $(cluster_keys "${redis_ports[@]}")"
