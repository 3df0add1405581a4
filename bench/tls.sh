#!/usr/bin/env bash
# ringcache-server against Debian's redis-server, both serving RESP over TLS with the same
# certificates (made here with openssl, mutual TLS as both servers default to), with
# redis-benchmark --tls: SET and GET at -P 1 and -P 16. Builds nothing and writes nothing into
# the repository; scratch files (certificates included) go to a temporary directory.
#
#   bench/tls.sh                   # defaults of bench/lib.sh and below
#   ROUNDS=5 N_P1=100000 bench/tls.sh
#
# The servers alternate (ringcache first on odd rounds) and the table shows medians; the plain
# ports stay open for readiness checks only. On a shared machine compare the ratios, and note
# the load printed with them.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
N_P1=${N_P1:-100000}    # requests per run at -P 1
N_P16=${N_P16:-1000000} # requests per run at -P 16

# make_certificates DIR: a CA, a server and a client certificate (EC P-256) signed by it.
make_certificates() {
  local dir=$1 name
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" -subj /CN=bench-ca 2>/dev/null
  for name in server client; do
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
      -keyout "$dir/$name.key" -out "$dir/$name.csr" -subj "/CN=$name" 2>/dev/null
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
      -CAcreateserial -days 2 -out "$dir/$name.crt" 2>/dev/null
  done
}

# The benchmark talks to the TLS ports (lib.sh's benchmark_run asks server_endpoint).
server_endpoint() {
  port=$rc_tls_port pid=$rc_pid
  if [ "$1" = redis ]; then port=$redis_tls_port pid=$redis_pid; fi
}

require_tools "$RINGCACHE_SERVER" "$REDIS_SERVER" "$REDIS_BENCHMARK" "$REDIS_CLI" \
  "$(command -v openssl)"
setup_scratch_and_servers
make_certificates "$scratch"
read -r rc_tls_port redis_tls_port <<<"$(free_ports 2 0)"
tls_args=(--tls-cert-file "$scratch/server.crt" --tls-key-file "$scratch/server.key"
  --tls-ca-cert-file "$scratch/ca.crt" --tls-auth-clients yes)
RINGCACHE_ARGS=(--tls-port "$rc_tls_port" "${tls_args[@]}")
REDIS_ARGS=(--tls-port "$redis_tls_port" "${tls_args[@]}")
BENCHMARK_ARGS=(--tls --cacert "$scratch/ca.crt" --cert "$scratch/client.crt"
  --key "$scratch/client.key")
start_servers
echo "ringcache: $RINGCACHE_SERVER (TLS port $rc_tls_port)"
echo "redis:     $("$REDIS_SERVER" --version | cut -d' ' -f1-3) (TLS port $redis_tls_port)"
echo "settings:  rounds=$ROUNDS clients=$CLIENTS -d $DATA_BYTES -r $KEYSPACE" \
  "-n $N_P1 (P1) / $N_P16 (P16), mutual TLS (EC P-256), pinned=$PIN"
echo "load:      $(load_average) (1/5/15 min) before the runs"
set_get_rounds
echo
set_get_table
echo "load:      $(load_average) (1/5/15 min) after the runs"
