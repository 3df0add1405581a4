#!/usr/bin/env bash
# The data-type commands of redis-benchmark against ringcache-server and Debian's redis-server on
# this machine: requests per second of LPUSH, RPUSH, LPOP, RPOP, SADD, HSET, SPOP, ZADD and
# LRANGE_100, pipelined and not, as ratios ringcache/redis.
#
#   bench/types.sh
#   ROUNDS=5 PIPELINES="16" bench/types.sh
#   TESTS=lpush,rpush,lpop,rpop,lrange_100 bench/types.sh    # one family only
#
# One redis-benchmark run per server, round and pipeline depth covers every test (redis-benchmark
# runs them in its own order: SADD fills the set SPOP empties, LPUSH fills what LRANGE reads).
# Servers alternate (ringcache first on odd rounds); the table shows the median of the rounds.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-50}
DATA_BYTES=${DATA_BYTES:-16}
KEYSPACE=${KEYSPACE:-100000}
PIPELINES=${PIPELINES:-1 16}
N_P1=${N_P1:-100000}     # requests per test at -P 1
N_PN=${N_PN:-1000000}    # requests per test when pipelined
TESTS=${TESTS:-lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,lrange_100}
PIN=${PIN:-1}

RINGCACHE_ARGS=() REDIS_ARGS=()
require_tools "$RINGCACHE_SERVER" "$REDIS_SERVER" "$REDIS_BENCHMARK" "$REDIS_CLI"
setup_scratch_and_servers
start_servers

# run_tests PORT PIPELINE: one redis-benchmark run over every test; prints "TEST rps" lines with
# the test named as -t names it ("LPUSH (needed to benchmark LRANGE)" is left out).
run_tests() {
  local n=$N_P1
  [ "$2" -gt 1 ] && n=$N_PN
  "${bench_cpu[@]}" "$REDIS_BENCHMARK" -p "$1" -c "$CLIENTS" -n "$n" -P "$2" -d "$DATA_BYTES" \
    -r "$KEYSPACE" -t "$TESTS" --csv 2>/dev/null |
    awk -F, 'NR > 1 { gsub(/"/, ""); name = tolower($1); sub(/ .*/, "", name)
                      if ($1 !~ /needed/) print name, $2 }' || true
}

echo "ringcache: $RINGCACHE_SERVER (port $rc_port)"
echo "redis:     $("$REDIS_SERVER" --version | cut -d' ' -f1-3) (port $redis_port)"
echo "settings:  rounds=$ROUNDS clients=$CLIENTS -d $DATA_BYTES -r $KEYSPACE" \
  "-n $N_P1 (P1) / $N_PN (pipelined), pipelines=[$PIPELINES], pinned=${PIN}"
for round in $(seq "$ROUNDS"); do
  order="ringcache redis"
  [ $((round % 2)) = 0 ] && order="redis ringcache"
  for pipeline in $PIPELINES; do
    for server in $order; do
      port=$rc_port
      [ "$server" = redis ] && port=$redis_port
      # Each round starts from empty keyspaces, so SPOP and LPOP see the same data on both.
      "$REDIS_CLI" -p "$port" FLUSHALL >/dev/null
      run_tests "$port" "$pipeline" | while read -r test rps; do
        echo "$rps" >>"$scratch/$server-$test-$pipeline"
        echo "  round $round $server -P $pipeline $test: $rps" >&2
      done
    done
  done
done

echo
printf '%-10s %-3s | %12s %12s %6s\n' test P "ringcache/s" "redis/s" ratio
for pipeline in $PIPELINES; do
  for test in ${TESTS//,/ }; do
    f_rc=$scratch/ringcache-$test-$pipeline f_redis=$scratch/redis-$test-$pipeline
    if [ ! -s "$f_rc" ] || [ ! -s "$f_redis" ]; then
      printf '%-10s %-3s | %12s %12s %6s\n' "$test" "$pipeline" - - n/a
      continue
    fi
    rc_rps=$(median <"$f_rc") redis_rps=$(median <"$f_redis")
    printf '%-10s %-3s | %12.0f %12.0f %6.2f\n' "$test" "$pipeline" "$rc_rps" "$redis_rps" \
      "$(echo "$rc_rps $redis_rps" | awk '{ print $1 / $2 }')"
  done
done
