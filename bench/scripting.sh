#!/usr/bin/env bash
# EVALSHA of a small rate-limiter script (INCR a key, give it a TTL, reply the count: what rate
# limiters built on Redis send) against ringcache-server and Debian's redis-server on this
# machine: requests per second and server CPU per request, at -P 1 and pipelined, as ratios
# ringcache/redis.
#
#   bench/scripting.sh
#   ROUNDS=5 PIPELINES="16" bench/scripting.sh
#
# The script is loaded once into each server (SCRIPT LOAD); redis-benchmark then sends
# EVALSHA over -r keys, so most calls INCR an existing counter. Servers alternate (ringcache
# first on odd rounds); the table shows the median of the rounds. Settings as in bench/lib.sh.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
PIPELINES=${PIPELINES:-1 16}
N_P1=${N_P1:-100000}   # requests per run at -P 1
N_PN=${N_PN:-1000000}  # requests per run when pipelined
TTL_S=${TTL_S:-60}     # the limiter's window
LIMITER='local n = redis.call("INCR", KEYS[1]) redis.call("EXPIRE", KEYS[1], ARGV[1]) return n'

start_benchmark_servers "script='$LIMITER' ttl=${TTL_S}s -n $N_P1 (P1) / $N_PN (pipelined)," \
  "pipelines=[$PIPELINES]"
for server in ringcache redis; do
  server_endpoint "$server"
  sha=$("$REDIS_CLI" -p "$port" SCRIPT LOAD "$LIMITER")
  # An error reply would be counted as a request served: the script must count first.
  first=$("$REDIS_CLI" -p "$port" EVALSHA "$sha" 1 limit:check "$TTL_S")
  [ "$first" = 1 ] || { echo "EVALSHA on $server answered '$first'" >&2; exit 1; }
done
BENCHMARK_ARGS=(EVALSHA "$sha" 1 "limit:__rand_int__" "$TTL_S")

for round in $(seq "$ROUNDS"); do
  for pipeline in $PIPELINES; do
    for server in $(round_order "$round"); do
      n=$N_P1
      [ "$pipeline" -gt 1 ] && n=$N_PN
      benchmark_run "$server" evalsha "$pipeline" "$n" "$n"
      rps=$(awk -F, 'NR > 1 { gsub(/"/, ""); print $2 }' "$scratch/out.csv" | head -1)
      echo "$rps $server_us_per_request $client_busy" >>"$scratch/$server-$pipeline"
      echo "  round $round $server -P $pipeline: $rps/s, $server_us_per_request us/req" >&2
    done
  done
done

echo
printf '%-3s | %12s %12s %6s | %13s %5s %5s %6s\n' P "ringcache/s" "redis/s" ratio \
  "CPU us/req rc" redis ratio client
for pipeline in $PIPELINES; do
  f_rc=$scratch/ringcache-$pipeline f_redis=$scratch/redis-$pipeline
  rc_rps=$(column_median "$f_rc" 1) redis_rps=$(column_median "$f_redis" 1)
  rc_cpu=$(column_median "$f_rc" 2) redis_cpu=$(column_median "$f_redis" 2)
  printf '%-3s | %12.0f %12.0f %6s | %13s %5s %5s %6s\n' "$pipeline" "$rc_rps" "$redis_rps" \
    "$(ratio "$rc_rps" "$redis_rps")" "$rc_cpu" "$redis_cpu" "$(ratio "$redis_cpu" "$rc_cpu")" \
    "$(column_median "$f_rc" 3)"
done
echo "CPU us/req and client: as in bench/run.sh (redis/ringcache CPU ratio above 1: ringcache" \
  "needs less CPU per request; client near 1.00: redis-benchmark set the pace)."
echo "load average at the end: $(load_average)"
