#!/usr/bin/env bash
# What ACL checks cost: redis-benchmark -P 16 SET and GET against one ringcache-server, as the
# default user (all permissions: one test per command) and as a user holding 20 key patterns
# (the benchmark's keys match only the last), alternating, ROUNDS rounds. Reports the median
# throughput and the server's CPU time per request of each, and the restricted user's cost.
# Builds nothing and writes nothing into the repository.
#
#   bench/acl.sh                       # defaults below
#   ROUNDS=5 N=4000000 bench/acl.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-50}
N=${N:-2000000}
PIPELINE=${PIPELINE:-16}
PIN=${PIN:-1}

require_tools "$RINGCACHE_SERVER" "$REDIS_BENCHMARK" "$REDIS_CLI"
setup_scratch_and_servers
port=$(free_port)
"${server_cpu[@]}" "$RINGCACHE_SERVER" --port "$port" >"$scratch/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
wait_ready "$port"
patterns=()
for i in $(seq 19); do patterns+=("~other$i:*"); done
patterns+=("~key:*")
"$REDIS_CLI" -p "$port" ACL SETUSER bench on '>bench' +set +get "${patterns[@]}" >/dev/null

# run USER TEST: prints "ops/s cpu_us_per_request" of one redis-benchmark run.
run() {
  local auth=()
  [ "$1" = bench ] && auth=(--user bench -a bench)
  timed_run "$server_pid" "$N" "$scratch/out" "${bench_cpu[@]}" "$REDIS_BENCHMARK" -p "$port" \
    "${auth[@]}" -c "$CONNECTIONS" -n "$N" -P "$PIPELINE" -r 100000 -d 16 -t "$2" --csv
  echo "$(awk -F, 'NR > 1 { gsub(/"/, ""); print $2 }' "$scratch/out" | head -1) $server_us_per_request"
}

echo "ringcache: $RINGCACHE_SERVER; -P $PIPELINE -c $CONNECTIONS -n $N, rounds=$ROUNDS pinned=$PIN"
for test in set get; do
  for round in $(seq "$ROUNDS"); do
    order="default bench"
    [ $((round % 2)) = 0 ] && order="bench default"
    for user in $order; do
      result=$(run "$user" "$test")
      echo "$result" >>"$scratch/$test-$user"
      echo "  round $round $test $user: $result" >&2
    done
  done
done

echo
printf '%-4s | %12s %12s | %12s %12s | %8s %8s\n' test "default op/s" "20-pat op/s" \
  "default us" "20-pat us" "op/s" "CPU"
for test in set get; do
  d_ops=$(column_median "$scratch/$test-default" 1) b_ops=$(column_median "$scratch/$test-bench" 1)
  d_cpu=$(column_median "$scratch/$test-default" 2) b_cpu=$(column_median "$scratch/$test-bench" 2)
  printf '%-4s | %12.0f %12.0f | %12s %12s | %7s%% %7s%%\n' "$test" "$d_ops" "$b_ops" "$d_cpu" \
    "$b_cpu" "$(echo "$d_ops $b_ops" | awk '{ printf "%+.1f", ($2 / $1 - 1) * 100 }')" \
    "$(echo "$d_cpu $b_cpu" | awk '{ printf "%+.1f", ($2 / $1 - 1) * 100 }')"
done
