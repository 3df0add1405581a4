# shellcheck shell=bash
# Helpers of bench/failover.sh (sourced after bench/lib.sh and scripts/cluster_lib.sh): ringcache
# and Redis clusters of SHARDS primaries with one replica each, on loopback or one node per network
# namespace; the partition of one node; and the cleanup that stops everything they started.
# root and scratch come from bench/failover.sh, cluster_bus_port_offset and node_launcher from
# scripts/cluster_lib.sh.
# shellcheck disable=SC2154,SC2034

# probe ARGS...: the client side of the measurements (bench/failover_probe.py, standard library
# only).
probe() { python3 "$root/bench/failover_probe.py" "$@"; }

round_pids=()     # the current round's processes (cluster.sh, nodes): stopped at its end or exit
namespaces=()     # network namespaces created, deleted on exit
bridge=""         # the bridge joining them

# running PID: the process exists and has not exited (an exited child stays a zombie until reaped).
running() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [ "${state:0:1}" != Z ]
}

# stop_pids PID...: SIGTERM, then SIGKILL for whatever still runs 5 s later (a node that ignores
# TERM must not outlive the script), and reap them.
stop_pids() {
  local pid alive deadline=$((SECONDS + 5))
  [ $# -gt 0 ] || return 0
  kill "$@" 2>/dev/null || true
  while ((SECONDS < deadline)); do
    alive=0
    for pid in "$@"; do running "$pid" && alive=1; done
    [ "$alive" = 1 ] || break
    sleep 0.1  # the poll interval
  done
  for pid in "$@"; do
    if running "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
  done
  for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
}

# stop_round: stops the current round's cluster.
stop_round() {
  stop_pids "${round_pids[@]}"
  round_pids=()
}

# cleanup_failover: on exit: the round's processes (earlier rounds stopped theirs), the namespaces (after the processes
# left in them, all started here) and the bridge; the scratch directory unless a round needs
# its logs read (keep_scratch) or the script failed.
cleanup_failover() {
  local status=$? ns pid
  [ "$status" = 0 ] || keep_scratch=1  # a cluster that did not form: its logs say why
  stop_round
  for ns in "${namespaces[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    # The host's end of the veth first: a deleted namespace lives on in the kernel while
    # sockets (TIME_WAIT) hold it, and with it the pair.
    ip link del "${net_name}v${ns##*n}" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  [ -z "$bridge" ] || ip link del "$bridge" 2>/dev/null || true
  if [ "${keep_scratch:-0}" = 1 ]; then
    echo "logs kept under $scratch" >&2
  else
    rm -rf "$scratch"
  fi
}

# addresses HOST PORT COUNT: host:port of COUNT consecutive ports, comma-separated.
addresses() { seq "$2" $(($2 + $3 - 1)) | sed "s/^/$1:/" | paste -sd,; }

# free_port_block COUNT: the first of COUNT consecutive free ports whose bus ports are free too
# (scripts/cluster.sh numbers its nodes BASE_PORT, BASE_PORT+1, ...).
free_port_block() {
  local base
  for _ in $(seq 50); do
    base=$((20000 + RANDOM % (45535 - cluster_bus_port_offset - $1)))
    if BENCH_PORTS=$base-$((base + $1 - 1)) free_cluster_ports "$1" >/dev/null 2>&1; then
      echo "$base"
      return 0
    fi
  done
  echo "no $1 consecutive free ports found" >&2
  return 1
}

# wait_pong HOST PORT: PING answers within 10 s, or fail.
wait_pong() {
  for _ in $(seq 100); do
    [ "$("$REDIS_CLI" -h "$1" -p "$2" PING 2>/dev/null)" = PONG ] && return 0
    sleep 0.1  # the poll interval
  done
  echo "server at $1:$2 did not answer PING" >&2
  return 1
}

# --- loopback clusters (the kill -9 measurement) ----------------------------------------------

# start_ringcache_loopback DIR: scripts/cluster.sh in the background (SHARDS primaries, one
# replica each, consecutive free ports), until it prints its "is up" line. Sets nodes.
start_ringcache_loopback() {
  local dir=$1 base out=$1/cluster.sh.out
  base=$(free_port_block $((2 * SHARDS)))
  RINGCACHE_SERVER=$RINGCACHE_SERVER SHARDS=$SHARDS REPLICAS=1 BASE_PORT=$base \
    CLUSTER_DIR=$dir/nodes READY_TIMEOUT_S=$READY_TIMEOUT_S \
    "$root/scripts/cluster.sh" --cluster-node-timeout "$NODE_TIMEOUT_MS" >"$out" 2>&1 &
  round_pids+=($!)
  local deadline=$((SECONDS + READY_TIMEOUT_S * 2))
  until grep -q ' is up ' "$out"; do
    if ! running "${round_pids[-1]}" || ((SECONDS >= deadline)); then
      echo "scripts/cluster.sh did not come up; see $out" >&2
      return 1
    fi
    sleep 0.2  # the poll interval
  done
  # The nodes are cluster.sh's children: stopped with it, and by pid should it not stop them.
  local node_pids
  mapfile -t node_pids < <(ps -o pid= --ppid "${round_pids[-1]}" | tr -d ' ')
  round_pids+=("${node_pids[@]}")
  nodes=$(addresses 127.0.0.1 "$base" $((2 * SHARDS)))
}

# start_redis_node DIR NAMESPACE HOST PORT: one Redis Cluster node (no persistence, node timeout
# NODE_TIMEOUT_MS) listening on HOST:PORT, in NAMESPACE ("" = this host's).
start_redis_node() {
  local dir=$1/redis-$3-$4 launcher=()
  [ -z "$2" ] || launcher=(ip netns exec "$2")
  mkdir -p "$dir"
  "${launcher[@]}" "$REDIS_SERVER" --bind "$3" --port "$4" --protected-mode no --dir "$dir" \
    --save '' --appendonly no --cluster-enabled yes --cluster-config-file nodes.conf \
    --cluster-node-timeout "$NODE_TIMEOUT_MS" --logfile "$dir/node.log" &
  round_pids+=($!)
  disown $!  # its kill -9 is the measurement, not news for the shell to print
}

# create_redis_cluster DIR HOST:PORT...: once every node answers, redis-cli --cluster create
# with one replica per primary (it makes the first SHARDS nodes primaries).
create_redis_cluster() {
  local dir=$1 address
  shift
  for address in "$@"; do wait_pong "${address%:*}" "${address##*:}" || return 1; done
  "$REDIS_CLI" --cluster create "$@" --cluster-replicas 1 --cluster-yes \
    >"$dir/redis-cluster-create.log" 2>&1
}

# start_redis_loopback DIR: 2 * SHARDS Redis nodes on loopback, a cluster of SHARDS primaries
# with a replica each. Sets nodes.
start_redis_loopback() {
  local dir=$1 base port
  base=$(free_port_block $((2 * SHARDS)))
  for ((port = base; port < base + 2 * SHARDS; port++)); do
    start_redis_node "$dir" "" 127.0.0.1 "$port"
  done
  nodes=$(addresses 127.0.0.1 "$base" $((2 * SHARDS)))
  local list
  IFS=, read -r -a list <<<"$nodes"
  create_redis_cluster "$dir" "${list[@]}"
}

# --- one node per network namespace (the partition measurement) -------------------------------
# Node i (1 .. 2 * SHARDS) lives in namespace ${net_name}n$i at $subnet.i, reached through a veth
# pair on a bridge where this host is $subnet.254: the client runs on the host, so cutting a node
# off from the other nodes (iptables inside its namespace) leaves its path to the client intact.
net_name=rcfo$(($$ % 1000))
subnet=${FAILOVER_SUBNET:-10.77.0}
host_ip=$subnet.254
NS_PORT=${NS_PORT:-7000}   # every node's client port (each has its own address); bus on +10000

# setup_namespaces COUNT: the bridge and COUNT namespaces, each with its veth and address.
setup_namespaces() {
  local i ns
  if ip -4 addr show | grep -q "inet $subnet\."; then
    echo "$subnet.0/24 is in use on this host: set FAILOVER_SUBNET" >&2
    return 1
  fi
  bridge=${net_name}br
  ip link add "$bridge" type bridge
  ip addr add "$host_ip/24" dev "$bridge"
  ip link set "$bridge" up
  for ((i = 1; i <= $1; i++)); do
    ns=${net_name}n$i
    ip netns add "$ns"
    namespaces+=("$ns")
    ip link add "${net_name}v$i" type veth peer name eth0 netns "$ns"
    ip link set "${net_name}v$i" master "$bridge" up
    ip -n "$ns" addr add "$subnet.$i/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
  done
}

# namespace_of HOST: the namespace of the node at that address.
namespace_of() { echo "${net_name}n${1##*.}"; }

# cut_off HOST: the node at HOST can reach, and be reached by, this host (the client) only: every
# other node's packets are dropped both ways, the bus's UDP and the replication link's TCP alike.
cut_off() {
  local ns
  ns=$(namespace_of "$1")
  ip netns exec "$ns" iptables -A INPUT -s "$host_ip" -j ACCEPT
  ip netns exec "$ns" iptables -A INPUT -s "$subnet.0/24" -j DROP
  ip netns exec "$ns" iptables -A OUTPUT -d "$host_ip" -j ACCEPT
  ip netns exec "$ns" iptables -A OUTPUT -d "$subnet.0/24" -j DROP
}

# heal HOST: removes cut_off's rules.
heal() {
  local ns
  ns=$(namespace_of "$1")
  ip netns exec "$ns" iptables -F INPUT
  ip netns exec "$ns" iptables -F OUTPUT
}

# start_ringcache_namespaced DIR: ringcache nodes started as scripts/cluster.sh starts them
# (scripts/cluster_lib.sh), each in its namespace and bound to its address: the primaries
# first, the replicas once the primaries formed the cluster. Sets nodes.
start_ringcache_namespaced() {
  local dir=$1 i seeds primaries=()
  for ((i = 1; i <= SHARDS; i++)); do primaries+=("$subnet.$i:$((NS_PORT + cluster_bus_port_offset))"); done
  seeds=$(IFS=,; echo "${primaries[*]}")
  pids=()
  for ((i = 1; i <= 2 * SHARDS; i++)); do
    if ((i == SHARDS + 1)); then
      probe converged "$(namespaced_nodes "$SHARDS")" --primaries "$SHARDS" --replicas 0 \
        --timeout "$READY_TIMEOUT_S" >"$dir/primaries-converged" || return 1
    fi
    local replica_of=()
    ((i <= SHARDS)) || replica_of=(--cluster-replica-of "$subnet.$((i - SHARDS)):$NS_PORT")
    node_launcher=(ip netns exec "$(namespace_of "$subnet.$i")")
    start_cluster_node "$RINGCACHE_SERVER" "$NS_PORT" "$dir/node-$i" "$seeds" \
      --bind "$subnet.$i" --protected-mode no --cluster-node-timeout "$NODE_TIMEOUT_MS" \
      "${replica_of[@]}"
    round_pids+=("${pids[-1]}")
  done
  node_launcher=()
  nodes=$(namespaced_nodes $((2 * SHARDS)))
}

# start_redis_namespaced DIR: the Redis nodes, each in its namespace, then the cluster. Sets nodes.
start_redis_namespaced() {
  local dir=$1 i
  for ((i = 1; i <= 2 * SHARDS; i++)); do
    start_redis_node "$dir" "$(namespace_of "$subnet.$i")" "$subnet.$i" "$NS_PORT"
  done
  nodes=$(namespaced_nodes $((2 * SHARDS)))
  local list
  IFS=, read -r -a list <<<"$nodes"
  create_redis_cluster "$dir" "${list[@]}"
}

# namespaced_nodes COUNT: the addresses of nodes 1 .. COUNT, comma-separated.
namespaced_nodes() {
  local i list=()
  for ((i = 1; i <= $1; i++)); do list+=("$subnet.$i:$NS_PORT"); done
  (IFS=,; echo "${list[*]}")
}

# field NAME LINE: the value of NAME=value in LINE (the probe's output).
field() { echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -1; }
