# Helpers shared by the benchmark scripts (sourced, not run), and the binaries they compare:
# each may be given in the environment; by default the build's server and the installed Redis.

RINGCACHE_SERVER=${RINGCACHE_SERVER:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/runtime/real/ringcache-server}
REDIS_SERVER=${REDIS_SERVER:-$(command -v redis-server || true)}
REDIS_CLI=${REDIS_CLI:-$(command -v redis-cli || true)}
REDIS_BENCHMARK=${REDIS_BENCHMARK:-$(command -v redis-benchmark || true)}
# shellcheck source=scripts/cluster_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/cluster_lib.sh"  # cluster_bus_port_offset

# free_port [TAKEN...]: a TCP port nobody listens on right now: the kernel's pick, or with
# BENCH_PORTS=FIRST-LAST (on a machine shared by users each given a port range) the first free one
# in that range other than the TAKEN ones.
free_port() { free_ports 1 0 "$@"; }

# free_cluster_ports COUNT: COUNT client ports for cluster nodes, each with its cluster bus port
# (port + cluster_bus_port_offset, TCP for Redis, UDP for ringcache) free too and no port another's bus port: from
# BENCH_PORTS when given, else from 20000-55535 (the kernel's picks are too high for a bus port).
free_cluster_ports() { free_ports "$1" 1; }

# free_ports COUNT WITH_BUS [TAKEN...]: free_port and free_cluster_ports, printed on one line.
free_ports() {
  python3 - "${BENCH_PORTS:-}" "$cluster_bus_port_offset" "$@" <<'PYTHON'
import random, socket, sys
spec, bus_offset = sys.argv[1], int(sys.argv[2])
count, with_bus = int(sys.argv[3]), sys.argv[4] == "1"
taken = {int(port) for port in sys.argv[5:]}

def bindable(port, kind):
    s = socket.socket(socket.AF_INET, kind)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()

if not spec and not with_bus:  # the kernel's picks, held until all are chosen
    held = [socket.socket() for _ in range(count)]
    for s in held:
        s.bind(("127.0.0.1", 0))
    print(" ".join(str(s.getsockname()[1]) for s in held))
    sys.exit(0)
first, last = map(int, spec.split("-")) if spec else (20000, 65535 - bus_offset)
candidates = list(range(first, last + 1))
if not spec:  # start anywhere, so two scripts started together rarely collide
    start = random.randrange(len(candidates))
    candidates = candidates[start:] + candidates[:start]
chosen = []
for port in candidates:
    ports = [port] + ([port + bus_offset] if with_bus else [])
    if any(p in taken or p > 65535 for p in ports):
        continue
    if not bindable(port, socket.SOCK_STREAM):
        continue
    if with_bus and not (bindable(ports[1], socket.SOCK_STREAM) and
                         bindable(ports[1], socket.SOCK_DGRAM)):
        continue
    chosen.append(port)
    taken.update(ports)
    if len(chosen) == count:
        print(" ".join(map(str, chosen)))
        sys.exit(0)
sys.exit("not enough free ports in " + (spec or "%d-%d" % (first, last)))
PYTHON
}

# wait_ready PORT: PING answers within 10 s, or fail.
wait_ready() {
  for _ in $(seq 100); do
    if [ "$("$REDIS_CLI" -p "$1" PING 2>/dev/null)" = PONG ]; then return 0; fi
    sleep 0.1
  done
  echo "server on port $1 did not answer PING" >&2
  exit 1
}

# median: the median of the numbers on stdin, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# column_median FILE COLUMN: the median of one column of FILE.
column_median() { awk -v c="$2" '{ print $c }' "$1" | median; }

# pin_cpus: with PIN=1 on a machine with 2+ CPUs and taskset, servers run on CPU 0 and load
# generators on CPU 1 (server_cpu / bench_cpu command prefixes), so they never compete.
pin_cpus() {
  server_cpu=() bench_cpu=()
  if [ "${PIN:-1}" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    server_cpu=(taskset -c 0) bench_cpu=(taskset -c 1)
  fi
}

# setup_scratch_and_servers: a scratch directory ($scratch) removed on exit with every server
# started through start_servers, and CPU pinning (pin_cpus). Expects RINGCACHE_SERVER and
# REDIS_SERVER; extra server options may be given in RINGCACHE_ARGS / REDIS_ARGS (arrays).
setup_scratch_and_servers() {
  scratch=$(mktemp -d /tmp/ringcache-bench.XXXXXX)
  pids=()
  trap cleanup_servers EXIT
  pin_cpus
}

cleanup_servers() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$scratch"
}

# start_servers: fresh ringcache and redis processes on free ports (rc_port/rc_pid,
# redis_port/redis_pid).
start_servers() {
  rc_port=$(free_port)
  "${server_cpu[@]}" "$RINGCACHE_SERVER" --port "$rc_port" "${RINGCACHE_ARGS[@]}" \
    >>"$scratch/ringcache.log" 2>&1 &
  rc_pid=$!
  redis_port=$(free_port "$rc_port")
  "${server_cpu[@]}" "$REDIS_SERVER" --port "$redis_port" --save '' --appendonly no \
    "${REDIS_ARGS[@]}" >>"$scratch/redis.log" 2>&1 &
  redis_pid=$!
  pids+=("$rc_pid" "$redis_pid")
  wait_ready "$rc_port"
  wait_ready "$redis_port"
}

stop_servers() {
  kill "$rc_pid" "$redis_pid"
  wait "$rc_pid" "$redis_pid" 2>/dev/null || true
}

# require_tools PATH...: each is an executable, or exit with a hint.
require_tools() {
  for tool in "$@"; do
    if [ -z "$tool" ] || [ ! -x "$tool" ]; then
      echo "missing executable: '${tool}' (build ringcache first; apt-get install redis-server)" >&2
      exit 1
    fi
  done
}

# server_endpoint SERVER: sets port and pid to those of "ringcache" or "redis" (start_servers; for
# a cluster, bench/cluster.sh, the first node's port and every node's pid, separated by spaces).
server_endpoint() {
  port=$rc_port pid=$rc_pid
  if [ "$1" = redis ]; then port=$redis_port pid=$redis_pid; fi
}

# --- redis-benchmark rounds (bench/run.sh, bench/types.sh, bench/cluster.sh) ------------------
# Settings of the runs (each may be given in the environment); PIN as in pin_cpus.
# BENCHMARK_ARGS (an array) holds extra redis-benchmark options (bench/cluster.sh: --cluster).
ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-50}
DATA_BYTES=${DATA_BYTES:-16}
KEYSPACE=${KEYSPACE:-100000}
PIN=${PIN:-1}

# start_benchmark_servers: checks the tools, starts ringcache and redis (start_servers) and prints
# which they are and the settings, followed by SETTINGS... (the caller's own).
start_benchmark_servers() {
  RINGCACHE_ARGS=() REDIS_ARGS=()
  require_tools "$RINGCACHE_SERVER" "$REDIS_SERVER" "$REDIS_BENCHMARK" "$REDIS_CLI"
  setup_scratch_and_servers
  start_servers
  echo "ringcache: $RINGCACHE_SERVER (port $rc_port)"
  echo "redis:     $("$REDIS_SERVER" --version | cut -d' ' -f1-3) (port $redis_port)"
  echo "settings:  rounds=$ROUNDS clients=$CLIENTS -d $DATA_BYTES -r $KEYSPACE $*, pinned=$PIN"
  echo "machine:   $(machine_description)"
  echo "keyspace:  ringcache $("$REDIS_CLI" -p "$rc_port" DBSIZE) keys," \
    "redis $("$REDIS_CLI" -p "$redis_port" DBSIZE) keys at start"
}

# round_order ROUND: the servers in the order they run in that round (ringcache first on odd
# rounds, redis first on even ones), so neither always runs on a warmer machine.
round_order() {
  if [ $(($1 % 2)) = 1 ]; then echo "ringcache redis"; else echo "redis ringcache"; fi
}

# benchmark_run SERVER TEST PIPELINE N REQUESTS: one redis-benchmark run of TEST (-n N) against
# SERVER with the settings above, its CSV in $scratch/out.csv; sets server_us_per_request (over
# REQUESTS requests) and client_busy (timed_run).
benchmark_run() {
  local port pid
  server_endpoint "$1"
  timed_run "$pid" "$5" "$scratch/out.csv" "${bench_cpu[@]}" "$REDIS_BENCHMARK" -p "$port" \
    -c "$CLIENTS" -n "$4" -P "$3" -d "$DATA_BYTES" -r "$KEYSPACE" -t "$2" --csv \
    "${BENCHMARK_ARGS[@]}"
}

# set_get_run SERVER TEST PIPELINE: one redis-benchmark run of SET or GET, -n N_P1 at -P 1 and
# N_P16 when pipelined; prints "rps p50_ms p99_ms server_us_per_request client_busy". The CSV row
# is the first quoted one after the header (in cluster mode the node list comes first).
set_get_run() {
  local n=$N_P1
  [ "$3" -gt 1 ] && n=$N_P16
  benchmark_run "$1" "$2" "$3" "$n" "$n"
  echo "$(awk -F, '$1 ~ /^"/ && $1 != "\"test\"" { gsub(/"/, ""); print $2, $5, $7 }' \
    "$scratch/out.csv" | head -1)" "$server_us_per_request $client_busy"
}

# set_get_rounds: ROUNDS rounds of set_get_run for SET and GET at -P 1 and -P 16, the servers
# alternating (round_order); each result appended to $scratch/SERVER-TEST-PIPELINE.
set_get_rounds() {
  local round test pipeline server result
  for round in $(seq "$ROUNDS"); do
    for test in set get; do
      for pipeline in 1 16; do
        for server in $(round_order "$round"); do
          result=$(set_get_run "$server" "$test" "$pipeline")
          echo "$result" >>"$scratch/$server-$test-$pipeline"
          echo "  round $round $server $test -P $pipeline: $result" >&2
        done
      done
    done
  done
}

# set_get_table: the medians of set_get_rounds' results, ringcache against redis.
set_get_table() {
  local test pipeline f_rc f_redis rc_rps redis_rps rc_cpu redis_cpu
  printf '%-4s %-3s | %10s %10s %5s | %15s %15s | %13s %5s %5s %6s\n' test P "ringcache/s" \
    "redis/s" ratio "rc p50/p99 ms" "redis p50/p99" "CPU us/req rc" redis ratio client
  for test in set get; do
    for pipeline in 1 16; do
      f_rc=$scratch/ringcache-$test-$pipeline f_redis=$scratch/redis-$test-$pipeline
      rc_rps=$(column_median "$f_rc" 1) redis_rps=$(column_median "$f_redis" 1)
      rc_cpu=$(column_median "$f_rc" 4) redis_cpu=$(column_median "$f_redis" 4)
      printf '%-4s %-3s | %10.0f %10.0f %5s | %7s/%-7s %7s/%-7s | %13s %5s %5s %6s\n' "$test" \
        "$pipeline" "$rc_rps" "$redis_rps" "$(ratio "$rc_rps" "$redis_rps")" \
        "$(column_median "$f_rc" 2)" "$(column_median "$f_rc" 3)" \
        "$(column_median "$f_redis" 2)" "$(column_median "$f_redis" 3)" \
        "$rc_cpu" "$redis_cpu" "$(ratio "$redis_cpu" "$rc_cpu")" "$(column_median "$f_rc" 5)"
    done
  done
  cat <<'EOF'
CPU us/req: the server's own CPU time (user + system) per request, median of the rounds; its
ratio is redis/ringcache, so above 1 ringcache needs less CPU per request. client: how busy
redis-benchmark kept its CPU in ringcache's runs; near 1.00 the client was the bottleneck, and
the throughput ratio then understates ringcache's capacity: compare the CPU ratio.
EOF
}

# load_average: the machine's 1, 5 and 15 minute load averages (the figures depend on it).
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# machine_description: what figures from two machines differ by, one line each: the CPU model
# and count, the hypervisor, the caches, the frequency governor (none under most hypervisors)
# and the load average.
machine_description() {
  local governor=/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor
  lscpu | awk -F: '/^(Model name|CPU\(s\)|Hypervisor vendor|L1d cache|L2 cache|L3 cache):/ {
    gsub(/^ +/, "", $2); printf "%s=%s; ", $1, $2 }'
  echo "governor=$([ -r "$governor" ] && cat "$governor" || echo "n/a (no cpufreq)");" \
    "load average $(load_average)"
}

# --- CPU -------------------------------------------------------------------------------------
# Throughput alone misleads on a small machine: when redis-benchmark keeps its CPU busy, it, not
# the server, sets the pace, and both servers then look alike. So each run also records the
# server's own CPU time per request (user + system, from /proc) and how busy the load generator
# was; the server that needs less CPU per request serves more once the client is not the limit.
clock_ticks=$(getconf CLK_TCK)
# cpu_ticks PID...: the processes' user + system CPU time so far, in clock ticks, summed.
cpu_ticks() {
  local pid stats=()
  for pid in "$@"; do stats+=("/proc/$pid/stat"); done
  awk '{ ticks += $14 + $15 } END { print ticks }' "${stats[@]}"
}

# timed_run PIDS REQUESTS OUT CMD...: runs the load generator CMD with its output in OUT; sets
# server_us_per_request (CPU microseconds the processes PIDS, one pid or several separated by
# spaces, spent together per request meanwhile) and client_busy (the share of one CPU CMD used,
# 1.00 = saturated).
timed_run() {
  local server_pids=$1 requests=$2 out=$3
  shift 3
  local before after times TIMEFORMAT='%R %U %S'
  # shellcheck disable=SC2086  # PIDS splits into one argument per process
  before=$(cpu_ticks $server_pids)
  times=$({ time "$@" >"$out" 2>/dev/null; } 2>&1)
  # shellcheck disable=SC2086
  after=$(cpu_ticks $server_pids)
  server_us_per_request=$(awk -v t=$((after - before)) -v hz="$clock_ticks" -v n="$requests" \
    'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
  client_busy=$(echo "$times" | awk '{ printf "%.2f", ($1 > 0 ? ($2 + $3) / $1 : 0) }')
}

# --- memory ----------------------------------------------------------------------------------
# info_field PORT FIELD: one field of INFO memory.
info_field() { "$REDIS_CLI" -p "$1" INFO memory | tr -d '\r' | awk -F: -v f="$2" '$1 == f { print $2 }'; }
# rss_bytes PID: the process's resident set.
rss_bytes() { awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$1/status"; }
# ratio A B: A / B to two decimals ("n/a" when either is unknown).
ratio() { echo "$1 $2" | awk '{ if ($1 == "n/a" || $2 == 0) print "n/a"; else printf "%.2f", $1 / $2 }'; }

# memory_per_key FILE: loads FILE (RESP commands) into the running ringcache and redis (see
# start_servers) one after the other with redis-cli --pipe, and prints used_memory and RSS
# growth per key for each, and their ratios.
memory_per_key() {
  printf '%-9s | %10s %14s %16s %12s\n' server keys "used_memory/key" "RSS growth/key" "RSS total MB"
  local server port pid used_before rss_before used_after rss_after keys
  declare -A per_key_used per_key_rss
  for server in ringcache redis; do
    server_endpoint "$server"
    used_before=$(info_field "$port" used_memory) rss_before=$(rss_bytes "$pid")
    "$REDIS_CLI" -p "$port" --pipe <"$1" >/dev/null
    keys=$("$REDIS_CLI" -p "$port" DBSIZE)
    used_after=$(info_field "$port" used_memory) rss_after=$(rss_bytes "$pid")
    per_key_used[$server]=$(echo "${used_before:-0} ${used_after:-0} $keys" |
      awk '{ if ($2 == 0) print "n/a"; else printf "%.1f", ($2 - $1) / $3 }')
    per_key_rss[$server]=$(echo "$rss_before $rss_after $keys" | awk '{ printf "%.1f", ($2 - $1) / $3 }')
    printf '%-9s | %10s %14s %16s %12.1f\n' "$server" "$keys" "${per_key_used[$server]}" \
      "${per_key_rss[$server]}" "$(echo "$rss_after" | awk '{ print $1 / 1048576 }')"
  done
  echo "ratio ringcache/redis: used_memory/key $(ratio "${per_key_used[ringcache]}" "${per_key_used[redis]}")," \
    "RSS/key $(ratio "${per_key_rss[ringcache]}" "${per_key_rss[redis]}")"
}

# measure_load PORT PID FILE: pipes FILE (RESP commands) into the server; sets load_used_bytes
# (used_memory growth), load_rss_bytes (RSS growth) and load_rss_total.
measure_load() {
  local used_before rss_before
  used_before=$(info_field "$1" used_memory) rss_before=$(rss_bytes "$2")
  "$REDIS_CLI" -p "$1" --pipe <"$3" >/dev/null
  load_used_bytes=$(( $(info_field "$1" used_memory) - used_before ))
  load_rss_total=$(rss_bytes "$2")
  load_rss_bytes=$(( load_rss_total - rss_before ))
}
# per_item BYTES COUNT: bytes per item, one decimal.
per_item() { echo "$1 $2" | awk '{ printf "%.1f", $1 / $2 }'; }
