#!/usr/bin/env bash
# Installs dependencies, builds the server alone (no tests, no tools), and starts one ringcache
# node on 127.0.0.1:6379 (or the port given with --port). Extra arguments go to ringcache-server:
# scripts/start.sh --maxmemory 100mb
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
BUILD_TARGET=ringcache-server "$root/scripts/build.sh"
exec "${BUILD_DIR:-$root/build}/runtime/real/ringcache-server" "$@"
