#!/usr/bin/env bash
# Memory of sorted sets, ringcache-server against redis-server on this machine: one big sorted
# set (BIG_MEMBERS members "member:<i>" with random scores) and many small ones (SMALL_KEYS keys
# of SMALL_MEMBERS members each, which stay in the compact encoding). Each load runs on fresh
# processes of both servers through redis-cli --pipe; reported: INFO used_memory growth and
# process RSS growth per member, and the ratios ringcache/redis.
#
#   bench/zset_memory.sh                          # 1M-member set, 1M small sets of 3
#   BIG_MEMBERS=200000 SMALL_KEYS=0 bench/zset_memory.sh
#
# Builds nothing and writes nothing into the repository.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
BIG_MEMBERS=${BIG_MEMBERS:-1000000}
SMALL_KEYS=${SMALL_KEYS:-1000000}
SMALL_MEMBERS=${SMALL_MEMBERS:-3}
PER_COMMAND=${PER_COMMAND:-100}   # members per ZADD of the big set

RINGCACHE_ARGS=() REDIS_ARGS=()
require_tools "$RINGCACHE_SERVER" "$REDIS_SERVER" "$REDIS_CLI"
setup_scratch_and_servers

# ZADD commands in RESP: the big set, PER_COMMAND members a command, scores from a fixed seed.
awk -v n="$BIG_MEMBERS" -v per="$PER_COMMAND" 'BEGIN {
  srand(1)
  for (i = 0; i < n; i += per) {
    count = (n - i < per) ? n - i : per
    printf "*%d\r\n$4\r\nZADD\r\n$4\r\nbigz\r\n", 2 + 2 * count
    for (j = i; j < i + count; j++) {
      score = sprintf("%.6f", rand() * 1000000); member = "member:" j
      printf "$%d\r\n%s\r\n$%d\r\n%s\r\n", length(score), score, length(member), member
    }
  }
}' >"$scratch/big.resp"

awk -v n="$SMALL_KEYS" -v m="$SMALL_MEMBERS" 'BEGIN {
  for (i = 0; i < n; i++) {
    key = sprintf("zs:%010d", i)
    printf "*%d\r\n$4\r\nZADD\r\n$%d\r\n%s\r\n", 2 + 2 * m, length(key), key
    for (j = 0; j < m; j++) {
      score = j + 1; member = "m" j
      printf "$%d\r\n%s\r\n$%d\r\n%s\r\n", length(score), score, length(member), member
    }
  }
}' >"$scratch/small.resp"

echo "ringcache: $RINGCACHE_SERVER"
echo "redis:     $("$REDIS_SERVER" --version | cut -d' ' -f1-3)"
echo "big: 1 sorted set of $BIG_MEMBERS members; small: $SMALL_KEYS sorted sets of" \
  "$SMALL_MEMBERS members"
printf '%-6s %-9s | %10s %10s %18s %17s %13s\n' load server members encoding \
  "used_memory/member" "RSS growth/member" "RSS total MB"
for load in big small; do
  members=$BIG_MEMBERS sample=bigz
  [ "$load" = small ] && members=$((SMALL_KEYS * SMALL_MEMBERS)) sample=zs:0000000000
  [ "$members" -gt 0 ] || continue
  start_servers
  declare -A used rss
  for server in ringcache redis; do
    port=$rc_port pid=$rc_pid
    [ "$server" = redis ] && port=$redis_port pid=$redis_pid
    measure_load "$port" "$pid" "$scratch/$load.resp"
    encoding=$("$REDIS_CLI" -p "$port" OBJECT ENCODING "$sample")
    used[$server]=$(per_item "$load_used_bytes" "$members")
    rss[$server]=$(per_item "$load_rss_bytes" "$members")
    printf '%-6s %-9s | %10s %10s %18s %17s %13.1f\n' "$load" "$server" "$members" "$encoding" \
      "${used[$server]}" "${rss[$server]}" "$(echo "$load_rss_total" | awk '{ print $1 / 1048576 }')"
  done
  echo "ratio ringcache/redis ($load): used_memory $(ratio "${used[ringcache]}" "${used[redis]}")," \
    "RSS $(ratio "${rss[ringcache]}" "${rss[redis]}")"
  stop_servers
done
