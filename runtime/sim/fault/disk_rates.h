#pragma once
// Disk fault rates of a run: chances per disk operation (see sim_disk.h), given by the scenario
// or, with swarm, drawn by the seed.

#include "core/util/rng.h"
#include "runtime/sim/faults.h"
#include "runtime/sim/sim_disk.h"

namespace ringcache::sim {

struct DiskFaultRates {
  double read_bitflip = 0, append_error = 0, sync_error = 0, slow = 0, torn = 0;
  double metadata_error = 0;  // rename, remove, truncate, sync_dir
  bool swarm = false;  // follows [faults] swarm: each rate on with chance 1/2
};

// Swarm: each disk fault is on with chance 1/2, at its rate (or a default) times [0.25, 2];
// metadata errors only when the scenario names a rate (so swarm seeds without one draw as they
// always did). Without swarm, the rates as given.
DiskFaultRates resolve_disk_rates(const DiskFaultRates& given, Rng& rng);
// Sets the chances in `disk` and enables the fault kinds that can fire.
void apply_disk_rates(const DiskFaultRates& rates, DiskOptions& disk, FaultCounters& faults);

}  // namespace ringcache::sim
