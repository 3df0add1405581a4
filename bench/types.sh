#!/usr/bin/env bash
# The data-type commands of redis-benchmark against ringcache-server and Debian's redis-server on
# this machine: requests per second of LPUSH, RPUSH, LPOP, RPOP, SADD, HSET, SPOP, ZADD and
# LRANGE_100, pipelined and not, as ratios ringcache/redis.
#
#   bench/types.sh
#   ROUNDS=5 PIPELINES="16" bench/types.sh
#   TESTS=lpush,rpush,lpop,rpop,lrange_100 bench/types.sh    # one family only
#
# One redis-benchmark run per test, in redis-benchmark's own order and without a flush between
# them, so each test sees what the earlier ones left (SADD fills the set SPOP empties, LPUSH and
# RPUSH fill what LPOP and RPOP take); each run also records the server's CPU time per request
# and how busy redis-benchmark kept its CPU (timed_run in bench/lib.sh). LRANGE_100's run starts
# with redis-benchmark's own LPUSH of -n elements, so its CPU figure is per request of both.
# Servers alternate (ringcache first on odd rounds); the table shows the median of the rounds.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
PIPELINES=${PIPELINES:-1 16}
N_P1=${N_P1:-100000}     # requests per test at -P 1
N_PN=${N_PN:-1000000}    # requests per test when pipelined
TESTS=${TESTS:-lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,lrange_100}

# run_test SERVER TEST PIPELINE: one redis-benchmark run of TEST; prints
# "rps server_us_per_request client_busy".
run_test() {
  local n=$N_P1 requests
  [ "$3" -gt 1 ] && n=$N_PN
  requests=$n
  [ "$2" = lrange_100 ] && requests=$((2 * n))  # its LPUSH fill, then the LRANGEs
  benchmark_run "$1" "$2" "$3" "$n" "$requests"
  echo "$(awk -F, 'NR > 1 && $1 !~ /needed/ { gsub(/"/, ""); print $2 }' "$scratch/out.csv" |
    head -1) $server_us_per_request $client_busy"
}

start_benchmark_servers "-n $N_P1 (P1) / $N_PN (pipelined), pipelines=[$PIPELINES]"
for round in $(seq "$ROUNDS"); do
  for pipeline in $PIPELINES; do
    for server in $(round_order "$round"); do
      # Each round starts from empty keyspaces, so SPOP and LPOP see the same data on both.
      server_endpoint "$server"
      "$REDIS_CLI" -p "$port" FLUSHALL >/dev/null
      for test in ${TESTS//,/ }; do
        result=$(run_test "$server" "$test" "$pipeline")
        echo "$result" >>"$scratch/$server-$test-$pipeline"
        echo "  round $round $server -P $pipeline $test: $result" >&2
      done
    done
  done
done

echo
printf '%-10s %-3s | %12s %12s %6s | %13s %5s %5s %6s\n' test P "ringcache/s" "redis/s" ratio \
  "CPU us/req rc" redis ratio client
for pipeline in $PIPELINES; do
  for test in ${TESTS//,/ }; do
    f_rc=$scratch/ringcache-$test-$pipeline f_redis=$scratch/redis-$test-$pipeline
    if [ ! -s "$f_rc" ] || [ ! -s "$f_redis" ]; then
      printf '%-10s %-3s | %12s %12s %6s |\n' "$test" "$pipeline" - - n/a
      continue
    fi
    rc_rps=$(column_median "$f_rc" 1) redis_rps=$(column_median "$f_redis" 1)
    rc_cpu=$(column_median "$f_rc" 2) redis_cpu=$(column_median "$f_redis" 2)
    printf '%-10s %-3s | %12.0f %12.0f %6s | %13s %5s %5s %6s\n' "$test" "$pipeline" "$rc_rps" \
      "$redis_rps" "$(ratio "$rc_rps" "$redis_rps")" "$rc_cpu" "$redis_cpu" \
      "$(ratio "$redis_cpu" "$rc_cpu")" "$(column_median "$f_rc" 3)"
  done
done
echo "CPU us/req and client: as in bench/run.sh (redis/ringcache CPU ratio above 1: ringcache" \
  "needs less CPU per request; client near 1.00: redis-benchmark set the pace)."
