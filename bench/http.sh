#!/usr/bin/env bash
# The HTTP API against RESP on the same ringcache-server process: wrk on GET /cache/{key}
# (HTTP/1.1 keep-alive) and redis-benchmark GET -P 1 on the same key, the same number of
# connections, alternating; reports throughput and p99 latency of each and their ratio.
# Builds nothing and writes nothing into the repository.
#
#   bench/http.sh                       # defaults below
#   ROUNDS=5 DURATION_S=20 bench/http.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
WRK=${WRK:-$(command -v wrk || true)}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-50}
DURATION_S=${DURATION_S:-10}  # wrk run length
N_RESP=${N_RESP:-200000}      # redis-benchmark requests per run (~ the same few seconds)
DATA_BYTES=${DATA_BYTES:-16}
PIN=${PIN:-1}

for tool in "$RINGCACHE_SERVER" "$REDIS_BENCHMARK" "$REDIS_CLI" "$WRK"; do
  if [ -z "$tool" ] || [ ! -x "$tool" ]; then
    echo "missing executable: '${tool}' (build ringcache first; apt-get install redis-tools wrk)" >&2
    exit 1
  fi
done

scratch=$(mktemp -d /tmp/ringcache-http-bench.XXXXXX)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
pin_cpus

port=$(free_port)
http_port=$(free_port)
"${server_cpu[@]}" "$RINGCACHE_SERVER" --port "$port" --http-port "$http_port" \
  >"$scratch/server.log" 2>&1 &
server_pid=$!
wait_ready "$port"
key=bench:key
"$REDIS_CLI" -p "$port" SET "$key" "$(printf '%0*d' "$DATA_BYTES" 0)" >/dev/null

# http_run: prints "rps p99_ms" of one wrk run. wrk keeps its connections alive and sends one
# request at a time on each (no pipelining), like redis-benchmark -P 1.
http_run() {
  "${bench_cpu[@]}" "$WRK" -t 1 -c "$CONNECTIONS" -d "${DURATION_S}s" --latency \
    "http://127.0.0.1:$http_port/cache/$key" >"$scratch/wrk.out"
  awk '/Requests\/sec:/ { rps = $2 }
       $1 == "99%" { v = $2; unit = v; gsub(/[0-9.]/, "", unit); sub(/[a-z]+$/, "", v)
                     ms = (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : v }
       END { print rps, ms }' "$scratch/wrk.out"
}

# resp_run: prints "rps p99_ms" of one redis-benchmark run of GET on the same key.
resp_run() {
  "${bench_cpu[@]}" "$REDIS_BENCHMARK" -p "$port" -c "$CONNECTIONS" -n "$N_RESP" -P 1 --csv \
    GET "$key" 2>/dev/null | awk -F, 'NR > 1 { gsub(/"/, ""); print $2, $7 }' | head -1
}

echo "ringcache: $RINGCACHE_SERVER (RESP $port, HTTP $http_port)"
echo "settings:  rounds=$ROUNDS connections=$CONNECTIONS wrk ${DURATION_S}s," \
  "redis-benchmark -n $N_RESP -P 1, value $DATA_BYTES bytes, pinned=$PIN"
for round in $(seq "$ROUNDS"); do
  order="http resp"
  [ $((round % 2)) = 0 ] && order="resp http"
  for kind in $order; do
    result=$("${kind}_run")
    echo "$result" >>"$scratch/$kind"
    echo "  round $round $kind: $result" >&2
  done
done

http_rps=$(column_median "$scratch/http" 1) resp_rps=$(column_median "$scratch/resp" 1)
echo
printf '%-38s | %10s %8s\n' "GET, $CONNECTIONS connections" "req/s" "p99 ms"
printf '%-38s | %10.0f %8s\n' "HTTP  wrk GET /cache/{key} keep-alive" "$http_rps" \
  "$(column_median "$scratch/http" 2)"
printf '%-38s | %10.0f %8s\n' "RESP  redis-benchmark GET -P 1" "$resp_rps" \
  "$(column_median "$scratch/resp" 2)"
echo "ratio HTTP/RESP throughput: $(echo "$http_rps $resp_rps" | awk '{ printf "%.2f", $1 / $2 }')"
