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

start_benchmark_servers "-n $N_P1 (P1) / $N_P16 (P16)"
set_get_rounds
echo
set_get_table
echo "load average after the runs: $(load_average)"

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
