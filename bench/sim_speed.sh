#!/usr/bin/env bash
# Simulator speed (figures in bench/README.md): simulated seconds per second and events per
# second of ringcache-sim, for
#   one-node  one ringcache node, four clients at 1,000 operations per simulated second
#             (scenarios/single-node-basic.toml run for DURATION_ONE simulated seconds, 100);
#   six-node  six nodes, twelve clients at 6,000 operations per simulated second, swarm faults
#             (scenarios/six-node-load.toml, 30 simulated seconds).
# Each ROUNDS (3) times, alternating, seed SEED (1); medians. CPU time (user + system, from
# /usr/bin/time) is what a shared machine cannot inflate; wall time is the summary line's
# wall_s (simulation and checkers).
# Usage: bench/sim_speed.sh   (RINGCACHE_SIM=path/to/ringcache-sim ROUNDS=5 SEED=2 ...)
set -euo pipefail
cd "$(dirname "$0")/.."
SIM=${RINGCACHE_SIM:-build/runtime/sim/ringcache-sim}
ROUNDS=${ROUNDS:-3}
SEED=${SEED:-1}
DURATION_ONE=${DURATION_ONE:-100}
source bench/lib.sh

require_tools "$SIM" /usr/bin/time
scratch=$(mktemp -d /tmp/ringcache-sim-speed.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
sed "s/^duration_s = .*/duration_s = $DURATION_ONE/" scenarios/single-node-basic.toml \
  > "$scratch/one-node.toml"
cp scenarios/six-node-load.toml "$scratch/six-node.toml"

# run NAME: one run; appends "sim_s wall_s cpu_s events" to $scratch/NAME.runs.
run() {
  local name=$1 out
  out=$(/usr/bin/time -f "cpu %U %S" "$SIM" run "$scratch/$name.toml" --seed "$SEED" 2>&1) || {
    echo "$out" | tail -5 >&2
    echo "ringcache-sim failed on $name seed $SEED" >&2
    exit 1
  }
  local summary cpu
  summary=$(echo "$out" | grep '^seed=' | tail -1)
  cpu=$(echo "$out" | awk '/^cpu /{ print $2 + $3 }' | tail -1)
  echo "$summary" | sed -E 's/.* sim_s=([0-9.]+) wall_s=([0-9.]+) events=([0-9]+) .*/\1 \2 \3/' |
    awk -v cpu="$cpu" '{ print $1, $2, cpu, $3 }' >> "$scratch/$name.runs"
  echo "  $name round: $summary cpu_s=$cpu" >&2
}

for round in $(seq "$ROUNDS"); do
  if (( round % 2 )); then run one-node; run six-node; else run six-node; run one-node; fi
done

echo "settings: rounds=$ROUNDS seed=$SEED one-node duration=${DURATION_ONE}s binary=$SIM"
printf '%-9s %8s %8s %8s %12s %11s %12s %12s\n' scenario sim_s wall_s cpu_s sim/wall sim/cpu \
  events/wall events/cpu
for name in one-node six-node; do
  runs=$scratch/$name.runs
  sim_s=$(column_median "$runs" 1) wall_s=$(column_median "$runs" 2)
  cpu_s=$(column_median "$runs" 3) events=$(column_median "$runs" 4)
  awk -v n="$name" -v s="$sim_s" -v w="$wall_s" -v c="$cpu_s" -v e="$events" 'BEGIN {
    printf "%-9s %8.3f %8.3f %8.3f %11.0fx %10.0fx %12.0f %12.0f\n", n, s, w, c, s / w, s / c,
      e / w, e / c }'
done
