#pragma once
// The maxmemory checker: samples every node's memory use while the run goes; a node over its
// maxmemory by more than one command's worth (`slack_bytes`) is a failure.

#include <cstdint>
#include <string>
#include <vector>

namespace ringcache::sim {

class World;
class Cluster;

class MemoryMonitor {
 public:
  MemoryMonitor(World& world, Cluster& cluster, uint64_t slack_bytes)
      : world_(world), cluster_(cluster), slack_bytes_(slack_bytes) {}
  // Samples every 50 ms of virtual time from now on.
  void start();
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  void schedule();
  void sample();

  World& world_;
  Cluster& cluster_;
  uint64_t slack_bytes_;
  std::vector<std::string> problems_;
};

}  // namespace ringcache::sim
