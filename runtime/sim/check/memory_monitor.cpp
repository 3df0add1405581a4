#include "runtime/sim/check/memory_monitor.h"

#include <fmt/format.h>

#include "runtime/sim/cluster/cluster.h"
#include "runtime/sim/world.h"

namespace ringcache::sim {
namespace {
constexpr int64_t sample_every_ns = 50'000'000;
constexpr size_t memory_problems_max = 10;
}  // namespace

void MemoryMonitor::start() { schedule(); }

void MemoryMonitor::schedule() {
  world_.after(sample_every_ns, "check.memory", [this] {
    sample();
    schedule();
  });
}

void MemoryMonitor::sample() {
  for (int i = 0; i < cluster_.size(); ++i) {
    SimNode* node = cluster_.node(i);
    if (node == nullptr || node->maxmemory() == 0) continue;
    const uint64_t used = node->used_memory();
    if (used > node->maxmemory() + slack_bytes_ && problems_.size() < memory_problems_max) {
      problems_.push_back(fmt::format("n{} at {}: used_memory {} > maxmemory {} + {}", i,
                                      format_time(world_.now_ns()), used, node->maxmemory(),
                                      slack_bytes_));
    }
  }
}

}  // namespace ringcache::sim
