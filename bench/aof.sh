#!/usr/bin/env bash
# The append-only file against redis-server with the same settings, in one script:
#   1. SET throughput (redis-benchmark, 50 connections, no pipelining, random keys) with
#      appendonly yes at appendfsync everysec and always;
#   2. BGREWRITEAOF of KEYS keys under no load: wall time and peak RSS over RSS before it;
#   3. restart time with KEYS keys in the AOF (until PING answers PONG), against redis-server
#      loading an AOF of plain commands (aof-use-rdb-preamble no) and its default RDB preamble.
# Builds nothing and writes nothing into the repository. Keep runs short: the machine is shared.
#
#   bench/aof.sh                         # defaults below
#   KEYS=200000 N_SET=50000 bench/aof.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
N_SET=${N_SET:-100000}     # SETs per throughput run
KEYS=${KEYS:-1000000}      # keys for the rewrite and restart measurements
CONNECTIONS=${CONNECTIONS:-50}
PIN=${PIN:-1}

for tool in "$RINGCACHE_SERVER" "$REDIS_SERVER" "$REDIS_BENCHMARK" "$REDIS_CLI"; do
  if [ -z "$tool" ] || [ ! -x "$tool" ]; then
    echo "missing executable: '${tool}' (build ringcache first; apt-get install redis)" >&2
    exit 1
  fi
done

scratch=$(mktemp -d /tmp/ringcache-aof-bench.XXXXXX)
server_pid=
stop_server() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=
}
trap 'stop_server; rm -rf "$scratch"' EXIT
pin_cpus

# start KIND DIR ARGS...: starts ringcache or redis with appendonly yes in DIR; sets port.
start() {
  local kind=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  port=$(free_port)
  local binary=$RINGCACHE_SERVER extra=()
  if [ "$kind" = redis ]; then binary=$REDIS_SERVER extra=(--save ""); fi
  "${server_cpu[@]}" "$binary" --port "$port" --dir "$dir" --appendonly yes "${extra[@]}" "$@" \
    >"$dir/server.log" 2>&1 &
  server_pid=$!
}

ready() { [ "$("$REDIS_CLI" -p "$port" PING 2>/dev/null)" = PONG ]; }
wait_pong() { until ready; do sleep 0.01; done; }

info_field() { "$REDIS_CLI" -p "$port" INFO "$1" | tr -d '\r' | awk -F: -v f="$2" '$1 == f { print $2 }'; }

set_rps() {
  "${bench_cpu[@]}" "$REDIS_BENCHMARK" -p "$port" -t set -n "$N_SET" -c "$CONNECTIONS" \
    -r 1000000 -d 16 -q 2>/dev/null | tr '\r' '\n' | awk '/^SET:/ { print $2 }' | tail -1
}

fill() {
  python3 -c "
import sys
out = sys.stdout.buffer
for i in range($KEYS):
    k = b'key:%d' % i
    v = b'value:%d' % i
    out.write(b'*3\r\n\$3\r\nSET\r\n\$%d\r\n%s\r\n\$%d\r\n%s\r\n' % (len(k), k, len(v), v))
" | "$REDIS_CLI" -p "$port" --pipe >/dev/null
}

echo "== SET throughput, appendonly yes (${N_SET} SETs, ${CONNECTIONS} connections) =="
for policy in everysec always; do
  start ringcache "$scratch/rc-$policy" --appendfsync "$policy"; wait_pong
  ours=$(set_rps); stop_server
  start redis "$scratch/redis-$policy" --appendfsync "$policy"; wait_pong
  theirs=$(set_rps); stop_server
  awk -v p="$policy" -v a="$ours" -v b="$theirs" \
    'BEGIN { printf "appendfsync %-8s ringcache %10.0f/s  redis %10.0f/s  ratio %.2f\n", p, a, b, a / b }'
done

echo "== BGREWRITEAOF of ${KEYS} keys (ringcache; no load) =="
start ringcache "$scratch/rc-rewrite" --appendfsync everysec; wait_pong
fill
before=$(info_field memory used_memory_rss)
t0=$(date +%s.%N)
"$REDIS_CLI" -p "$port" BGREWRITEAOF >/dev/null
peak=$before
while [ "$(info_field persistence aof_rewrite_in_progress)" != 0 ] ||
      [ "$(info_field persistence aof_rewrites)" = 0 ]; do
  rss=$(info_field memory used_memory_rss)
  [ "$rss" -gt "$peak" ] && peak=$rss
  sleep 0.02
done
t1=$(date +%s.%N)
awk -v t="$(echo "$t1 - $t0" | bc)" -v b="$before" -v p="$peak" \
  'BEGIN { printf "rewrite %.2f s, RSS before %.1f MB, peak %.1f MB (%.3fx)\n", t, b / 1e6, p / 1e6, p / b }'
"$REDIS_CLI" -p "$port" SHUTDOWN >/dev/null 2>&1 || true
wait "$server_pid" 2>/dev/null || true; server_pid=

# restart_time KIND DIR ARGS...: sets `took` to the seconds from start until PING answers PONG
# (not in a subshell: start sets port and server_pid).
restart_time() {
  local t0 t1
  t0=$(date +%s.%N)
  start "$@"; wait_pong
  t1=$(date +%s.%N)
  took=$(echo "$t1 - $t0" | bc)
}

echo "== restart with ${KEYS} keys in the AOF =="
restart_time ringcache "$scratch/rc-rewrite"; ours=$took
keys=$(info_field keyspace db0 | sed 's/keys=\([0-9]*\).*/\1/'); stop_server
start redis "$scratch/redis-load" --aof-use-rdb-preamble no; wait_pong; fill
"$REDIS_CLI" -p "$port" SHUTDOWN >/dev/null 2>&1 || true; wait "$server_pid" 2>/dev/null || true; server_pid=
restart_time redis "$scratch/redis-load" --aof-use-rdb-preamble no; theirs=$took; stop_server
awk -v a="$ours" -v b="$theirs" -v k="$keys" \
  'BEGIN { printf "ringcache %.2f s (%s keys)  redis (AOF of commands) %.2f s  ratio %.2f\n", a, k, b, a / b }'
