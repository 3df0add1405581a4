#!/usr/bin/env bash
# Cluster failover, ringcache against Redis Cluster on this machine: SHARDS (3) primaries with
# one replica each, for both kinds, with the same node timeout (NODE_TIMEOUT_MS, 5000).
#
#  1. kill -9 of a primary (loopback): the ringcache cluster is scripts/cluster.sh's, the Redis
#     one `redis-server --cluster-enabled yes` nodes joined with `redis-cli --cluster create
#     --cluster-replicas 1`. One writer per shard SETs unique keys, each followed by
#     `WAIT 1 WAIT_MS` (returning >= 1: "confirmed"); after WARMUP_S a primary is killed (another
#     one each round). Measured: the time from the kill until every shard accepts writes again
#     (the start of the run of successful SETs that lasted SETTLE_S on every shard), then the
#     acknowledged and the confirmed writes missing when read back through the cluster.
#  2. A primary isolated with its client for ISOLATION_S (15) s (needs root): every node in its
#     own network namespace; iptables in the primary's namespace drop every other node's packets
#     but not the client's (on this host). The client writes to the isolated primary only, each
#     SET followed by `WAIT 1 ISOLATION_WAIT_MS`, while another client writes the same slot to
#     the primary's replica (refused with -MOVED until it is promoted: the overlap of the two
#     primaries); then the partition heals, the cluster converges and the acknowledged writes are
#     read back through the cluster.
#
# ROUNDS (5) rounds of each, fresh clusters each round, alternating ringcache and Redis (ringcache
# first on odd rounds); per-round figures with the load average, then medians and the ratio.
# Builds nothing and writes nothing into the repository; every process it starts, its
# namespaces and its scratch directory are removed on exit (the scratch directory is kept, and
# named, when a round lost a confirmed write, did not settle or left a node not answering PING,
# and when the script fails).
#
#   bench/failover.sh                          # both measurements, ~9 minutes
#   ROUNDS=3 PARTS=kill bench/failover.sh      # only the kill -9 measurement
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-5}
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
# shellcheck source=bench/failover_lib.sh
. "$root/bench/failover_lib.sh"
PARTS=${PARTS:-kill isolate}       # which measurements to run
SHARDS=${SHARDS:-3}
NODE_TIMEOUT_MS=${NODE_TIMEOUT_MS:-5000}     # cluster-node-timeout, both kinds (ringcache's default)
WAIT_MS=${WAIT_MS:-100}                      # WAIT 1 timeout of the kill measurement's writers
POLL_MS=${POLL_MS:-20}                       # pause between a writer's attempts (light load)
WARMUP_S=${WARMUP_S:-3}                      # writes before the kill
SETTLE_S=${SETTLE_S:-3}                      # every shard writable this long = recovered
RECOVER_TIMEOUT_S=${RECOVER_TIMEOUT_S:-60}   # no recovery within this after the kill: "none"
ISOLATION_S=${ISOLATION_S:-15}
ISOLATION_WAIT_MS=${ISOLATION_WAIT_MS:-50}   # WAIT 1 timeout while isolated
CONVERGE_TIMEOUT_S=${CONVERGE_TIMEOUT_S:-90} # after healing: every node ok, replicas linked
READY_TIMEOUT_S=${READY_TIMEOUT_S:-60}

# converge_and_pick_victim DIR ROUND: waits until the cluster in $nodes has converged, then sets
# victim (primaries sorted by address: round r takes the ((r - 1) mod SHARDS)-th, so each gets
# its turn) and load (the load average now).
converge_and_pick_victim() {
  probe converged "$nodes" --primaries "$SHARDS" --replicas 1 --timeout "$READY_TIMEOUT_S" \
    >"$1/ready"
  victim=$(probe primaries "$nodes" | awk -v n=$((($2 - 1) % SHARDS + 1)) 'NR == n { print $1 }')
  load=$(load_average)
}

# kill_round SERVER ROUND: one kill -9 measurement on a fresh loopback cluster of SERVER; prints
# its figures on one line and appends them to $scratch/kill-SERVER.
kill_round() {
  local server=$1 round=$2 dir=$scratch/kill-$2-$1 victim result ping load
  mkdir -p "$dir"
  "start_${server}_loopback" "$dir"
  converge_and_pick_victim "$dir" "$round"
  result=$(probe kill "$nodes" --victim "$victim" --out "$dir" --wait-ms "$WAIT_MS" \
    --poll-ms "$POLL_MS" --warmup "$WARMUP_S" --settle "$SETTLE_S" \
    --timeout "$RECOVER_TIMEOUT_S") || true
  ping=$(probe ping "$(echo "$nodes" | tr , '\n' | grep -vx "$victim" | paste -sd,)") || true
  stop_round
  note_surprises "$dir" "$result $ping" recover_s
  echo "round $round $server, killed $victim: ${result:-probe failed}; load $load" \
    | tee -a "$scratch/kill-$server"
  echo "  surviving nodes: ${ping#ping }"
}

# isolation_round SERVER ROUND: one partition measurement on a fresh namespaced cluster of
# SERVER; prints its figures on one line and appends them to $scratch/isolate-SERVER.
isolation_round() {
  local server=$1 round=$2 dir=$scratch/isolate-$2-$1 victim cut_at writes converged survived
  local ping load
  mkdir -p "$dir"
  "start_${server}_namespaced" "$dir"
  converge_and_pick_victim "$dir" "$round"
  cut_off "${victim%:*}"
  cut_at=$(date +%s.%N)
  writes=$(probe isolated --target "$victim" --cut-at "$cut_at" --seconds "$ISOLATION_S" \
    --wait-ms "$ISOLATION_WAIT_MS" --poll-ms "$POLL_MS" --out "$dir") || true
  heal "${victim%:*}"
  converged=$(probe converged "$nodes" --primaries "$SHARDS" --replicas 1 \
    --timeout "$CONVERGE_TIMEOUT_S") || true
  survived=$(probe readback "$nodes" --keys "$dir/acked-keys" --out "$dir") || true
  ping=$(probe ping "$nodes") || true
  stop_round
  note_surprises "$dir" "$writes $converged $survived $ping" acked converged_s survived
  echo "round $round $server, isolated $victim: $writes; after healing: $converged" \
    "$survived; load $load" | tee -a "$scratch/isolate-$server"
  echo "  nodes: ${ping#ping }"
}

# note_surprises DIR FIGURES NAME...: keeps the scratch directory (and says so) when a round lost
# a confirmed write, did not recover or converge, left a node not answering PING, or gave no
# figure NAME.
note_surprises() {
  local dir=$1 figures=$2 why=() lost name
  shift 2
  lost=$(field confirmed_lost "$figures")
  [ "${lost:-0}" = 0 ] || why+=("$lost confirmed write(s) lost")
  case "$figures" in *recover_s=none* | *converged_s=none*) why+=("did not settle") ;; esac
  if echo "$figures" | tr ' ' '\n' | grep -E '^[0-9.]+:[0-9]+=' | grep -qv '=PONG$'; then
    why+=("a node did not answer PING")
  fi
  for name in "$@"; do [ -n "$(field "$name" "$figures")" ] || why+=("no $name"); done
  if [ ${#why[@]} -gt 0 ]; then
    keep_scratch=1
    echo "  !! ${why[*]}: logs in $dir" >&2
  fi
}

# column_of NAME FILE: the values of NAME=value in FILE's lines, one per line.
column_of() { grep -o " $1=[^ ;,]*" "$2" | cut -d= -f2; }
# median_of NAME FILE: their median ("none" counts as missing).
median_of() { column_of "$1" "$2" | grep -v none | median; }
# sum_of NAME FILE: their sum.
sum_of() { column_of "$1" "$2" | awk '{ s += $1 } END { print s + 0 }'; }

kill_summary() {
  local server f
  echo
  echo "kill -9 of a primary: medians of $ROUNDS rounds (recover: s from the kill; other" \
    "shards: their SETs refused meanwhile; lost: acknowledged writes missing when read back)"
  printf '%-9s | %9s %12s | %7s %9s %5s %14s\n' server "recover s" "other shards" acked \
    confirmed lost "confirmed lost"
  for server in ringcache redis; do
    f=$scratch/kill-$server
    printf '%-9s | %9s %12s | %7s %9s %5s %14s\n' "$server" "$(median_of recover_s "$f")" \
      "$(median_of other_shard_failures "$f")" "$(sum_of acked "$f")" "$(sum_of confirmed "$f")" \
      "$(sum_of lost "$f")" "$(sum_of confirmed_lost "$f")"
  done
  echo "(acked ... confirmed lost: totals over the rounds) ratio of median recovery times" \
    "ringcache/redis: $(ratio "$(median_of recover_s "$scratch/kill-ringcache")" \
      "$(median_of recover_s "$scratch/kill-redis")")"
}

isolate_summary() {
  local server f
  echo
  echo "primary isolated with its client for $ISOLATION_S s: medians of $ROUNDS rounds (s from" \
    "the cut; overlap: last ack of the isolated primary - first write its promoted replica took)"
  printf '%-9s | %5s %9s %10s %13s | %13s %7s | %8s %11s\n' server acked confirmed \
    "last ack s" "1st refusal s" "replica took" overlap survived "converged s"
  for server in ringcache redis; do
    f=$scratch/isolate-$server
    printf '%-9s | %5s %9s %10s %13s | %13s %7s | %8s %11s\n' "$server" \
      "$(median_of acked "$f")" "$(median_of confirmed "$f")" "$(median_of last_ack_s "$f")" \
      "$(median_of first_refusal_s "$f")" "$(median_of replica_took_over_s "$f")" \
      "$(median_of overlap_s "$f")" "$(median_of survived "$f")" "$(median_of converged_s "$f")"
  done
}

require_tools "$RINGCACHE_SERVER" "$REDIS_SERVER" "$REDIS_CLI"
scratch=$(mktemp -d /tmp/ringcache-failover.XXXXXX)
trap cleanup_failover EXIT
trap 'exit 130' INT TERM

echo "ringcache: $RINGCACHE_SERVER"
echo "redis:     $("$REDIS_SERVER" --version | cut -d' ' -f1-3)"
echo "settings:  $SHARDS primaries x 1 replica, cluster-node-timeout $NODE_TIMEOUT_MS ms (both)," \
  "rounds=$ROUNDS, parts: $PARTS"
echo "load average at start: $(load_average)"

if [[ " $PARTS " == *" kill "* ]]; then
  echo
  echo "== kill -9 of a primary (loopback; ringcache: scripts/cluster.sh's defaults, its" \
    "cluster-node-timeout passed as NODE_TIMEOUT_MS) =="
  echo "writers: one per shard, SET of unique keys + WAIT 1 $WAIT_MS, $POLL_MS ms apart;" \
    "kill after ${WARMUP_S} s; recovered = every shard accepted every SET for ${SETTLE_S} s"
  for round in $(seq "$ROUNDS"); do
    for server in $(round_order "$round"); do kill_round "$server" "$round"; done
  done
  kill_summary
fi

if [[ " $PARTS " == *" isolate "* ]]; then
  echo
  echo "== a primary isolated with its client for $ISOLATION_S s (a node per network namespace," \
    "each bound to its own address, --protected-mode no) =="
  echo "client on this host writes to the isolated primary only: SET of unique keys + WAIT 1" \
    "$ISOLATION_WAIT_MS, $POLL_MS ms apart; then heal, converge (at most $CONVERGE_TIMEOUT_S s)," \
    "read back through the cluster"
  if [ "$(id -u)" != 0 ]; then
    echo "skipped: network namespaces need root" >&2
  else
    setup_namespaces $((2 * SHARDS))
    for round in $(seq "$ROUNDS"); do
      for server in $(round_order "$round"); do isolation_round "$server" "$round"; done
    done
    isolate_summary
  fi
fi
echo
echo "load average at end: $(load_average)"
