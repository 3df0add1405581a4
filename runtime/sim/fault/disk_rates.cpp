#include "runtime/sim/fault/disk_rates.h"

#include <algorithm>
#include <utility>

namespace ringcache::sim {

DiskFaultRates resolve_disk_rates(const DiskFaultRates& given, Rng& rng) {
  if (!given.swarm) return given;
  auto pick = [&](double rate, double fallback) {
    if (!rng.chance(0.5)) return 0.0;
    return std::min(1.0, (rate > 0 ? rate : fallback) * (0.25 + 1.75 * rng.unit()));
  };
  DiskFaultRates out;
  out.read_bitflip = pick(given.read_bitflip, 0.001);
  out.append_error = pick(given.append_error, 0.001);
  out.sync_error = pick(given.sync_error, 0.01);
  out.slow = pick(given.slow, 0.01);
  out.torn = pick(given.torn, 0.3);
  if (given.metadata_error > 0) out.metadata_error = pick(given.metadata_error, 0);
  return out;
}

void apply_disk_rates(const DiskFaultRates& rates, DiskOptions& disk, FaultCounters& faults) {
  disk.read_bitflip_chance = rates.read_bitflip;
  disk.append_error_chance = rates.append_error;
  disk.sync_error_chance = rates.sync_error;
  disk.metadata_error_chance = rates.metadata_error;
  disk.slow_chance = rates.slow;
  disk.crash.torn_chance = rates.torn;
  const std::pair<double, const char*> kinds[] = {{rates.read_bitflip, "disk.bitflip"},
                                                  {rates.append_error, "disk.append_error"},
                                                  {rates.sync_error, "disk.sync_error"},
                                                  {rates.metadata_error, "disk.metadata_error"},
                                                  {rates.slow, "disk.slow"},
                                                  {rates.torn, "disk.torn_write"}};
  for (const auto& [rate, kind] : kinds) {
    if (rate > 0) faults.enable(kind);
  }
}

}  // namespace ringcache::sim
