# shellcheck shell=bash
# Helpers to run ringcache nodes as a cluster on loopback (sourced, not run): scripts/cluster.sh
# starts the local cluster with them, bench/cluster.sh the one it benchmarks. A node's cluster bus
# listens on its port + cluster_bus_port_offset, as Redis Cluster's does by default.

cluster_bus_port_offset=10000
node_launcher=()

# cluster_seed_list PORT...: the bus addresses of the nodes on those ports, as cluster-seeds takes
# them (host:port,...).
cluster_seed_list() {
  local port addresses=()
  for port in "$@"; do addresses+=("127.0.0.1:$((port + cluster_bus_port_offset))"); done
  (IFS=,; echo "${addresses[*]}")
}

# start_cluster_node SERVER PORT DIR SEEDS [ARGS...]: one ringcache node in cluster mode, in the
# background, that joins through SEEDS and keeps its node file and log in DIR; ARGS go to the
# node. Appends its pid to the array pids. The array node_launcher (empty unless the caller sets
# it) holds words to run the server under (bench/cluster.sh: taskset).
start_cluster_node() {
  local server=$1 port=$2 dir=$3 seeds=$4
  shift 4
  mkdir -p "$dir"
  "${node_launcher[@]}" "$server" --port "$port" --dir "$dir" --cluster-enabled yes \
    --cluster-config-file nodes.conf --cluster-seeds "$seeds" --logfile "$dir/node.log" "$@" &
  pids+=($!)
}

# wait_cluster_ok TIMEOUT_S PORT...: polls CLUSTER INFO on every PORT (ringcache or Redis) until
# each says cluster_state:ok. Fails, saying why on stderr, after TIMEOUT_S seconds or as soon as
# a process in pids has exited.
wait_cluster_ok() {
  local timeout_s=$1 port pid
  local deadline=$((SECONDS + timeout_s))
  shift
  for port in "$@"; do
    until "${REDIS_CLI:-redis-cli}" -p "$port" cluster info 2>/dev/null |
        grep -q '^cluster_state:ok'; do
      if ((SECONDS >= deadline)); then
        echo "node $port did not reach cluster_state:ok within ${timeout_s} s" >&2
        return 1
      fi
      for pid in "${pids[@]}"; do
        kill -0 "$pid" 2>/dev/null || { echo "a node exited (pid $pid)" >&2; return 1; }
      done
      sleep 0.2
    done
  done
}
