#pragma once
// A simulated machine: what survives a crash of the process on it — its name and address, its
// clocks and its disk.

#include <cstdint>
#include <string>

#include "core/util/rng.h"
#include "runtime/sim/clock.h"
#include "runtime/sim/mem_disk.h"
#include "runtime/sim/sim_disk.h"

namespace ringcache::sim {

struct Host {
  Host(std::string name, std::string ip, NodeClock clock, uint64_t seed)
      : name(std::move(name)), ip(std::move(ip)), clock(clock), rng(seed) {}

  std::string name;  // "n0", "c3": prefixes its fibers and log lines
  std::string ip;    // "10.0.0.1"
  NodeClock clock;
  MemDisk disk;
  DiskOptions disk_options;
  Rng rng;  // seeds each incarnation; picks what a crash does to the disk
  uint64_t incarnations = 0;
};

}  // namespace ringcache::sim
