#!/usr/bin/env bash
# Memory of streams, ringcache-server against redis-server on this machine, the same entries in
# both: one stream of ENTRIES entries with IDs one millisecond apart (as a steady producer
# writes them), in three shapes: "small" (one field, a short value), "sensor" (three fields:
# sensor id, temperature, status) and "wide" (five fields with 20-byte values). Each load runs on
# fresh processes of both servers through redis-cli --pipe; reported: INFO used_memory growth and
# process RSS growth per entry, and the ratios ringcache/redis.
#
#   bench/stream_memory.sh                  # 1M entries per shape
#   ENTRIES=200000 SHAPES="sensor" bench/stream_memory.sh
#
# Builds nothing and writes nothing into the repository.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
ENTRIES=${ENTRIES:-1000000}
SHAPES=${SHAPES:-"small sensor wide"}

RINGCACHE_ARGS=() REDIS_ARGS=()
require_tools "$RINGCACHE_SERVER" "$REDIS_SERVER" "$REDIS_CLI"
setup_scratch_and_servers

# XADD commands in RESP for one shape, from a fixed seed.
make_load() {
  awk -v n="$ENTRIES" -v shape="$1" 'function bulk(s) { return sprintf("$%d\r\n%s\r\n", length(s), s) }
  BEGIN {
    srand(1)
    for (i = 0; i < n; i++) {
      id = sprintf("%.0f-0", 1700000000000 + i)
      if (shape == "small") {
        fields = bulk("v") bulk(i % 1000); count = 2
      } else if (shape == "sensor") {
        fields = bulk("sensor") bulk("s" (i % 50)) bulk("temp") bulk(sprintf("%.1f", 15 + rand() * 10)) \
                 bulk("status") bulk((rand() < 0.9) ? "ok" : "warn")
        count = 6
      } else {
        fields = ""
        for (f = 0; f < 5; f++) fields = fields bulk("field" f) bulk(sprintf("%020d", int(rand() * 1e15)))
        count = 10
      }
      printf "*%d\r\n$4\r\nXADD\r\n$6\r\nstream\r\n%s%s", 3 + count, bulk(id), fields
    }
  }' >"$scratch/$1.resp"
}

echo "ringcache: $RINGCACHE_SERVER"
echo "redis:     $("$REDIS_SERVER" --version | cut -d' ' -f1-3)"
echo "one stream of $ENTRIES entries per shape"
printf '%-7s %-9s | %10s %18s %17s %13s\n' shape server entries \
  "used_memory/entry" "RSS growth/entry" "RSS total MB"
for shape in $SHAPES; do
  make_load "$shape"
  start_servers
  declare -A used rss
  for server in ringcache redis; do
    port=$rc_port pid=$rc_pid
    [ "$server" = redis ] && port=$redis_port pid=$redis_pid
    measure_load "$port" "$pid" "$scratch/$shape.resp"
    length=$("$REDIS_CLI" -p "$port" XLEN stream)
    [ "$length" = "$ENTRIES" ] || { echo "$server holds $length entries, not $ENTRIES" >&2; exit 1; }
    used[$server]=$(per_item "$load_used_bytes" "$ENTRIES")
    rss[$server]=$(per_item "$load_rss_bytes" "$ENTRIES")
    printf '%-7s %-9s | %10s %18s %17s %13.1f\n' "$shape" "$server" "$ENTRIES" \
      "${used[$server]}" "${rss[$server]}" "$(echo "$load_rss_total" | awk '{ print $1 / 1048576 }')"
  done
  echo "ratio ringcache/redis ($shape): used_memory $(ratio "${used[ringcache]}" "${used[redis]}")," \
    "RSS $(ratio "${rss[ringcache]}" "${rss[redis]}")"
  stop_servers
done
