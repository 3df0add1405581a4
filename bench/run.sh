#!/usr/bin/env bash
# ringcache-server against Debian's redis-server on this machine, with redis-benchmark:
# throughput and latency of SET and GET (pipelined and not), and memory per key.
# Builds nothing and writes nothing into the repository: binaries come from build/ or the
# environment, scratch files go to a temporary directory that is removed at the end.
#
#   bench/run.sh                   # defaults below
#   ROUNDS=5 N_P1=200000 bench/run.sh
#
# Each measurement alternates the two servers (ringcache first on odd rounds, redis first on
# even ones) and reports the median of the rounds. Numbers on a shared 2-core machine are noisy:
# compare the ratios, and repeat before believing a small difference.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
N_P1=${N_P1:-200000}        # requests per run at -P 1 (~3-5 s on a quiet 2-core machine)
N_P16=${N_P16:-2000000}     # requests per run at -P 16
MEMORY_KEYS=${MEMORY_KEYS:-1000000}

# bench SERVER TEST PIPELINE: one redis-benchmark run; prints
# "rps p50_ms p99_ms server_us_per_request client_busy" (see timed_run in bench/lib.sh).
bench() {
  local n=$N_P1
  [ "$3" -gt 1 ] && n=$N_P16
  benchmark_run "$1" "$2" "$3" "$n" "$n"
  echo "$(awk -F, 'NR > 1 { gsub(/"/, ""); print $2, $5, $7 }' "$scratch/out.csv" | head -1)" \
    "$server_us_per_request $client_busy"
}

start_benchmark_servers "-n $N_P1 (P1) / $N_P16 (P16)"
for round in $(seq "$ROUNDS"); do
  for test in set get; do
    for pipeline in 1 16; do
      for server in $(round_order "$round"); do
        result=$(bench "$server" "$test" "$pipeline")
        echo "$result" >>"$scratch/$server-$test-$pipeline"
        echo "  round $round $server $test -P $pipeline: $result" >&2
      done
    done
  done
done

echo
printf '%-4s %-3s | %10s %10s %5s | %15s %15s | %13s %5s %5s %6s\n' test P "ringcache/s" \
  "redis/s" ratio "rc p50/p99 ms" "redis p50/p99" "CPU us/req rc" redis ratio client
for test in set get; do
  for pipeline in 1 16; do
    f_rc=$scratch/ringcache-$test-$pipeline f_redis=$scratch/redis-$test-$pipeline
    rc_rps=$(column_median "$f_rc" 1) redis_rps=$(column_median "$f_redis" 1)
    rc_cpu=$(column_median "$f_rc" 4) redis_cpu=$(column_median "$f_redis" 4)
    client=$(column_median "$f_rc" 5)
    printf '%-4s %-3s | %10.0f %10.0f %5s | %7s/%-7s %7s/%-7s | %13s %5s %5s %6s\n' "$test" \
      "$pipeline" "$rc_rps" "$redis_rps" "$(ratio "$rc_rps" "$redis_rps")" \
      "$(column_median "$f_rc" 2)" "$(column_median "$f_rc" 3)" \
      "$(column_median "$f_redis" 2)" "$(column_median "$f_redis" 3)" \
      "$rc_cpu" "$redis_cpu" "$(ratio "$redis_cpu" "$rc_cpu")" "$client"
  done
done
cat <<'EOF'
CPU us/req: the server's own CPU time (user + system) per request, median of the rounds; its
ratio is redis/ringcache, so above 1 ringcache needs less CPU per request. client: how busy
redis-benchmark kept its CPU in ringcache's runs; near 1.00 the client was the bottleneck, and
the throughput ratio then understates ringcache's capacity: compare the CPU ratio.
EOF

# --- memory: MEMORY_KEYS keys with DATA_BYTES-byte values, loaded with redis-cli --pipe ------
awk -v n="$MEMORY_KEYS" -v d="$DATA_BYTES" 'BEGIN {
  value = sprintf("%0" d "d", 0)
  for (i = 0; i < n; i++) {
    key = sprintf("mem:%010d", i)
    printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(key), key, d, value
  }
}' >"$scratch/load.resp"

# Fresh processes, so RSS growth is not hidden by memory the throughput runs left behind.
stop_servers
start_servers
echo
memory_per_key "$scratch/load.resp"
