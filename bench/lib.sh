# Helpers shared by the benchmark scripts (sourced, not run). Expects REDIS_CLI to be set.

# free_port: a TCP port nobody listens on right now (the kernel's pick).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
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

# pin_cpus: with PIN=1 on a machine with 2+ CPUs and taskset, servers run on CPU 0 and load
# generators on CPU 1 (server_cpu / bench_cpu command prefixes), so they never compete.
pin_cpus() {
  server_cpu=() bench_cpu=()
  if [ "${PIN:-1}" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    server_cpu=(taskset -c 0) bench_cpu=(taskset -c 1)
  fi
}
