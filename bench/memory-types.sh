#!/usr/bin/env bash
# Memory per key of small hashes and sets: ringcache-server against Debian's redis-server, each
# started fresh for each load, loaded with redis-cli --pipe.
#
#   bench/memory-types.sh                    # 1M keys per load
#   MEMORY_KEYS=200000 bench/memory-types.sh
#
# Loads (one key = one command):
#   hash    HSET hash:<10 digits> field1 <10 bytes> ... field5 <10 bytes>   (listpack in both)
#   set     SADD set:<10 digits> member:1 ... member:5                        (hashtable in both)
#   intset  SADD iset:<10 digits> <5 integers>                                (intset in both)
# Builds nothing and writes nothing into the repository.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
MEMORY_KEYS=${MEMORY_KEYS:-1000000}
PIN=${PIN:-1}
RINGCACHE_ARGS=() REDIS_ARGS=()

require_tools "$RINGCACHE_SERVER" "$REDIS_SERVER" "$REDIS_CLI"
setup_scratch_and_servers

# write_load KIND: the RESP commands of one load (see the header) into $scratch/KIND.resp.
write_load() {
  awk -v n="$MEMORY_KEYS" -v kind="$1" '
    function bulk(s) { return sprintf("$%d\r\n%s\r\n", length(s), s) }
    BEGIN {
      for (i = 0; i < n; i++) {
        if (kind == "hash") {
          line = "*12\r\n" bulk("HSET") bulk(sprintf("hash:%010d", i))
          for (f = 1; f <= 5; f++) line = line bulk("field" f) bulk(sprintf("%09d%d", i, f))
        } else if (kind == "set") {
          line = "*7\r\n" bulk("SADD") bulk(sprintf("set:%010d", i))
          for (m = 1; m <= 5; m++) line = line bulk("member:" m)
        } else {
          line = "*7\r\n" bulk("SADD") bulk(sprintf("iset:%010d", i))
          for (m = 1; m <= 5; m++) line = line bulk(i * 5 + m)
        }
        printf "%s", line
      }
    }' >"$scratch/$1.resp"
}

for kind in hash set intset; do
  write_load "$kind"
  start_servers
  echo
  echo "== $kind: $MEMORY_KEYS keys"
  memory_per_key "$scratch/$kind.resp"
  echo "encoding: ringcache $("$REDIS_CLI" -p "$rc_port" OBJECT ENCODING "$(
    "$REDIS_CLI" -p "$rc_port" RANDOMKEY)"), redis $("$REDIS_CLI" -p "$redis_port" OBJECT ENCODING "$(
    "$REDIS_CLI" -p "$redis_port" RANDOMKEY)")"
  stop_servers
  rm -f "$scratch/$kind.resp"
done
