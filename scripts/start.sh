#!/usr/bin/env bash
# Installs dependencies, builds the server alone (no tests, no tools), and starts a local cluster
# of 3 primaries on 127.0.0.1:7000-7002 and a replica of each on 7003-7005 (scripts/cluster.sh;
# SHARDS=5 REPLICAS=2 for more). Ctrl-C stops it.
# `scripts/start.sh --single [server options]` starts one plain node on 127.0.0.1:6379 instead:
#   scripts/start.sh --single --maxmemory 100mb
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
BUILD_TARGET=ringcache-server "$root/scripts/build.sh"
server="${BUILD_DIR:-$root/build}/runtime/real/ringcache-server"
if [ "${1:-}" = --single ]; then
  shift
  exec "$server" "$@"
fi
RINGCACHE_SERVER="$server" exec "$root/scripts/cluster.sh" "$@"
