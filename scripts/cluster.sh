#!/usr/bin/env bash
# Starts a local ringcache cluster on loopback from an already built ringcache-server: SHARDS
# primaries (3 by default) on ports BASE_PORT, BASE_PORT+1, ... (7000 by default), then REPLICAS
# replicas of each (1 by default) on the ports after them, their cluster bus on port + 10000,
# each node's files in its own directory under CLUSTER_DIR. Waits until every node reports
# cluster_state:ok, prints how to connect, and stops every node on Ctrl-C.
#   scripts/cluster.sh                      # 3 primaries on 7000-7002, their replicas on 7003-7005
#   SHARDS=5 REPLICAS=0 BASE_PORT=8000 scripts/cluster.sh --maxmemory 100mb   # args go to every node
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/cluster_lib.sh
. "$root/scripts/cluster_lib.sh"
server=${RINGCACHE_SERVER:-$root/build/runtime/real/ringcache-server}
shards=${SHARDS:-3}
replicas=${REPLICAS:-1}
base_port=${BASE_PORT:-7000}
cluster_dir=${CLUSTER_DIR:-$root/cluster-run}
ready_timeout_s=${READY_TIMEOUT_S:-30}

if [ ! -x "$server" ]; then
  echo "no server binary at $server: run scripts/build.sh (or scripts/start.sh) first" >&2
  exit 1
fi

ports=()
for ((i = 0; i < shards; i++)); do ports+=($((base_port + i))); done
seeds=$(cluster_seed_list "${ports[@]}")

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "stopping ${#pids[@]} nodes"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT

for port in "${ports[@]}"; do
  start_cluster_node "$server" "$port" "$cluster_dir/$port" "$seeds" "$@"
done
# Replicas join once the primaries formed the cluster (they join a shard, not create one).
all_ports=("${ports[@]}")
if wait_cluster_ok "$ready_timeout_s" "${ports[@]}"; then
  for ((r = 0; r < replicas; r++)); do
    for ((i = 0; i < shards; i++)); do
      port=$((base_port + shards * (r + 1) + i))
      start_cluster_node "$server" "$port" "$cluster_dir/$port" "$seeds" \
        --cluster-replica-of "127.0.0.1:${ports[i]}" "$@"
      all_ports+=("$port")
    done
  done
fi
if ! wait_cluster_ok "$ready_timeout_s" "${all_ports[@]}"; then
  echo "see the logs under $cluster_dir" >&2
  exit 1
fi

last_port=$((base_port + ${#all_ports[@]} - 1))
echo "ringcache cluster of $shards shards, $replicas replica(s) each, is up (ports $base_port-$last_port, logs under $cluster_dir)"
echo "connect with:  redis-cli -c -p $base_port"
echo "Ctrl-C stops every node"
wait
