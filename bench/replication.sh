#!/usr/bin/env bash
# Replication beside redis-server, in one script: a primary with one replica on loopback, started
# fresh for each server and round (the servers alternating, as bench/run.sh does):
#   1. SET throughput at -P 1 and -P 16 (redis-benchmark, CLIENTS connections, random keys) on
#      the primary while its replica follows; CPU per request counts primary and replica together,
#      and the replica must have caught up before the next run;
#   2. replication lag under load: while redis-benchmark keeps writing to the primary in the
#      background (LOAD_CLIENTS connections, LOAD_PIPELINE deep; its rate is printed), a probe sends
#      SET then WAIT 1 0 (returns once the replica acknowledged the write) PROBES times: the
#      round trip's p50 and p99 bound the lag from above;
#   3. a full sync while the primary serves: the primary holds SYNC_KEYS keys (0: skip), a fresh
#      replica is told REPLICAOF, and a probe times GETs on the primary, one at a time, from then
#      until the replica's link is up: the sync's duration, and the primary's p50/p99/max latency
#      during it beside its p99 just before.
# Builds nothing and writes nothing into the repository.
#
#   bench/replication.sh                  # defaults below
#   ROUNDS=5 PROBES=5000 bench/replication.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
N_P1=${N_P1:-100000}
N_P16=${N_P16:-1000000}
LOAD_CLIENTS=${LOAD_CLIENTS:-10}
LOAD_PIPELINE=${LOAD_PIPELINE:-4}  # the background writers' pipeline: about 50k writes/s here
PROBES=${PROBES:-2000}
SYNC_KEYS=${SYNC_KEYS:-1000000}

require_tools "$RINGCACHE_SERVER" "$REDIS_SERVER" "$REDIS_BENCHMARK" "$REDIS_CLI"
setup_scratch_and_servers
# The probe needs python3-redis: Debian's python3 has it when the one on PATH (a pyenv one) does
# not.
probe_python=python3
"$probe_python" -c 'import redis' 2>/dev/null || probe_python=/usr/bin/python3

# start_pair KIND [detached]: a primary and its replica (ringcache or redis); sets primary_port,
# pair_replica_port and pair_pids, and returns once the replica's link is up (detached: the
# replica starts as a primary of its own, for sync_run to attach).
start_pair() {
  local binary=$RINGCACHE_SERVER extra=() replica_port follow=()
  # repl-diskless-sync-delay 0: Redis would otherwise wait 5 s for more replicas before a sync.
  if [ "$1" = redis ]; then
    binary=$REDIS_SERVER extra=(--save '' --appendonly no --repl-diskless-sync-delay 0)
  fi
  read -r primary_port replica_port <<<"$(free_ports 2 0)"
  [ "${2:-}" = detached ] || follow=(--replicaof "127.0.0.1 $primary_port")
  # Each in its own directory: a Redis replica writes the RDB of its full sync there.
  mkdir -p "$scratch/$1-primary" "$scratch/$1-replica"
  "${server_cpu[@]}" "$binary" --port "$primary_port" --dir "$scratch/$1-primary" "${extra[@]}" \
    >>"$scratch/$1-primary.log" 2>&1 &
  local primary_pid=$!
  "${server_cpu[@]}" "$binary" --port "$replica_port" "${follow[@]}" \
    --dir "$scratch/$1-replica" "${extra[@]}" >>"$scratch/$1-replica.log" 2>&1 &
  local replica_pid=$!
  pids+=("$primary_pid" "$replica_pid")
  pair_pids="$primary_pid $replica_pid"
  pair_replica_port=$replica_port
  wait_ready "$primary_port"
  wait_ready "$replica_port"
  [ "${2:-}" = detached ] || poll_replica_field master_link_status up
}

stop_pair() {
  # shellcheck disable=SC2086  # one argument per pid
  kill $pair_pids 2>/dev/null || true
  # shellcheck disable=SC2086
  wait $pair_pids 2>/dev/null || true
}

replication_field() {
  "$REDIS_CLI" -p "$1" INFO replication | tr -d '\r' | awk -F: -v f="$2" '$1 == f { print $2 }'
}

# poll_replica_field FIELD VALUE: until the replica's INFO replication shows it (30 s at most).
poll_replica_field() {
  for _ in $(seq 3000); do
    [ "$(replication_field "$pair_replica_port" "$1")" = "$2" ] && return 0
    sleep 0.01
  done
  echo "the replica on port $pair_replica_port never showed $1:$2" >&2
  exit 1
}

# caught_up: the replica applied everything the primary produced (30 s at most).
caught_up() {
  poll_replica_field slave_repl_offset "$(replication_field "$primary_port" master_repl_offset)"
}

# throughput_run KIND PIPELINE: prints "rps server_us_per_request client_busy".
throughput_run() {
  local n=$N_P1
  [ "$2" -gt 1 ] && n=$N_P16
  timed_run "$pair_pids" "$n" "$scratch/out.csv" "${bench_cpu[@]}" "$REDIS_BENCHMARK" \
    -p "$primary_port" -c "$CLIENTS" -n "$n" -P "$2" -d "$DATA_BYTES" -r "$KEYSPACE" -t set --csv
  caught_up
  echo "$(awk -F, '$1 ~ /^"SET/ { gsub(/"/, ""); print $2 }' "$scratch/out.csv")" \
    "$server_us_per_request $client_busy"
}

# lag_run: prints "p50_ms p99_ms background_writes_per_s" of SET + WAIT 1 0 under load.
lag_run() {
  "${bench_cpu[@]}" "$REDIS_BENCHMARK" -p "$primary_port" -c "$LOAD_CLIENTS" -n 100000000 \
    -P "$LOAD_PIPELINE" -d "$DATA_BYTES" -r "$KEYSPACE" -t set -q >/dev/null 2>&1 &
  local load_pid=$!
  "${bench_cpu[@]}" "$probe_python" - "$primary_port" "$PROBES" <<'PYTHON'
import sys, time
import redis
port, probes = int(sys.argv[1]), int(sys.argv[2])
client = redis.Redis(port=port)
stats = lambda: int(client.info("stats")["total_commands_processed"])
time.sleep(0.5)  # the background load under way
before, started = stats(), time.monotonic()
samples = []
for i in range(probes):
    t0 = time.perf_counter()
    client.set("lag:probe", i)
    if client.execute_command("WAIT", 1, 0) < 1:
        sys.exit("WAIT returned without the replica")
    samples.append((time.perf_counter() - t0) * 1000)
rate = (stats() - before) / (time.monotonic() - started)
samples.sort()
print("%.3f %.3f %.0f" % (samples[len(samples) // 2], samples[int(len(samples) * 0.99)], rate))
PYTHON
  kill "$load_pid" 2>/dev/null || true
  wait "$load_pid" 2>/dev/null || true
}

# sync_run KIND: prints "sync_s p50_ms p99_ms max_ms p99_before_ms" of a full sync of SYNC_KEYS
# keys (16-byte values) to a fresh replica, with GET latency on the primary during it.
sync_run() {
  start_pair "$1" detached
  "$probe_python" - "$primary_port" "$SYNC_KEYS" "$DATA_BYTES" <<'PYTHON' |
import sys
port, keys, size = (int(arg) for arg in sys.argv[1:])
value = "v" * size
for i in range(keys):
    key = "sync:%d" % i
    sys.stdout.write("*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(key), key, size, value))
PYTHON
    "$REDIS_CLI" -p "$primary_port" --pipe >/dev/null
  "${bench_cpu[@]}" "$probe_python" - "$primary_port" "$pair_replica_port" "$SYNC_KEYS" <<'PYTHON'
import random, sys, time
import redis
port, replica_port, keys = (int(arg) for arg in sys.argv[1:])
primary, replica = redis.Redis(port=port), redis.Redis(port=replica_port)
if primary.dbsize() != keys:
    sys.exit("the primary holds %d keys, not %d" % (primary.dbsize(), keys))
def probe(seconds=None, until=None):
    samples, started, next_poll = [], time.monotonic(), 0.0
    while True:
        now = time.monotonic()
        if seconds is not None and now - started >= seconds:
            return samples, now - started
        if until is not None and now >= next_poll:
            next_poll = now + 0.05
            if until():
                return samples, now - started
            if now - started > 300:
                sys.exit("the replica's link never came up")
        t0 = time.perf_counter()
        primary.get("sync:%d" % random.randrange(keys))
        samples.append((time.perf_counter() - t0) * 1000)
pct = lambda s, q: sorted(s)[min(len(s) - 1, int(len(s) * q))]
before, _ = probe(seconds=2)
replica.execute_command("REPLICAOF", "127.0.0.1", port)
linked = lambda: replica.info("replication").get("master_link_status") == "up"
during, took = probe(until=linked)
print("%.2f %.3f %.3f %.3f %.3f" % (took, pct(during, 0.5), pct(during, 0.99), max(during),
                                    pct(before, 0.99)))
PYTHON
  stop_pair
}

echo "ringcache: $RINGCACHE_SERVER"
echo "redis:     $("$REDIS_SERVER" --version | cut -d' ' -f1-3)"
echo "settings:  rounds=$ROUNDS clients=$CLIENTS -d $DATA_BYTES -r $KEYSPACE, lag probes=$PROBES" \
  "with $LOAD_CLIENTS background writers -P $LOAD_PIPELINE, pinned=$PIN, load average $(load_average)"
for round in $(seq "$ROUNDS"); do
  for kind in $(round_order "$round"); do
    start_pair "$kind"
    for pipeline in 1 16; do
      result=$(throughput_run "$kind" "$pipeline")
      echo "$result" >>"$scratch/$kind-set-$pipeline"
      echo "  round $round $kind SET -P $pipeline: $result" >&2
    done
    result=$(lag_run)
    echo "$result" >>"$scratch/$kind-lag"
    echo "  round $round $kind lag: $result" >&2
    stop_pair
    if [ "$SYNC_KEYS" -gt 0 ]; then
      result=$(sync_run "$kind")
      echo "$result" >>"$scratch/$kind-sync"
      echo "  round $round $kind full sync: $result" >&2
    fi
  done
done

printf '%-9s | %12s %12s | %16s %16s | %10s %10s %12s\n' server "SET -P 1/s" "SET -P 16/s" \
  "us/req -P 1" "us/req -P 16" "lag p50 ms" "lag p99 ms" "load writes/s"
for kind in ringcache redis; do
  printf '%-9s | %12.0f %12.0f | %16s %16s | %10s %10s %12.0f\n' "$kind" \
    "$(column_median "$scratch/$kind-set-1" 1)" "$(column_median "$scratch/$kind-set-16" 1)" \
    "$(column_median "$scratch/$kind-set-1" 2)" "$(column_median "$scratch/$kind-set-16" 2)" \
    "$(column_median "$scratch/$kind-lag" 1)" "$(column_median "$scratch/$kind-lag" 2)" \
    "$(column_median "$scratch/$kind-lag" 3)"
done
echo "ratios (ringcache / redis): SET -P 1 $(ratio "$(column_median "$scratch/ringcache-set-1" 1)" \
  "$(column_median "$scratch/redis-set-1" 1)"), SET -P 16 $(ratio \
  "$(column_median "$scratch/ringcache-set-16" 1)" "$(column_median "$scratch/redis-set-16" 1)")"
echo "us/req: CPU of primary and replica together per SET; lag: SET + WAIT 1 0 round trip,"
echo "median of the rounds' p50 and p99; load average now $(load_average)"
if [ "$SYNC_KEYS" -gt 0 ]; then
  echo "full sync of $SYNC_KEYS keys (medians of the rounds): seconds until the link is up," \
    "GET latency on the primary during it p50 / p99 / max ms, and its p99 before"
  for kind in ringcache redis; do
    printf '%-9s | %6s s | %8s %8s %8s | before %8s\n' "$kind" \
      "$(column_median "$scratch/$kind-sync" 1)" "$(column_median "$scratch/$kind-sync" 2)" \
      "$(column_median "$scratch/$kind-sync" 3)" "$(column_median "$scratch/$kind-sync" 4)" \
      "$(column_median "$scratch/$kind-sync" 5)"
  done
fi
