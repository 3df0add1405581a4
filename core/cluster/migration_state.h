#pragma once
// What the node's slot migrator and client routing share while keys stream to a slot's new
// owner: the keys of the batch in flight (client commands that touch one wait until the target
// acknowledged it, so no change made here is lost after the copy was taken), the queue they wait
// on, and the counters INFO and /metrics show. Pure bookkeeping: the migrator fills it, routing
// reads it.

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/runtime.h"

namespace ringcache::cluster {

struct MigrationStats {
  uint64_t keys_sent = 0;        // keys acknowledged by their new owner (and deleted here)
  uint64_t bytes_sent = 0;       // payload bytes of those batches
  uint64_t batches_sent = 0;
  uint64_t batches_failed = 0;   // refused, lost with the connection, or timed out
  uint64_t keys_received = 0;    // keys applied here from other nodes
  uint64_t bytes_received = 0;
};

class MigrationState {
 public:
  // The queue clients wait on while a batch holds their keys (the node's runtime makes it).
  // Without one (unit tests), routing answers TRYAGAIN instead of waiting.
  void set_wait_queue(std::unique_ptr<WaitQueue> queue) { batch_done_ = std::move(queue); }
  WaitQueue* wait_queue() { return batch_done_.get(); }

  // The batch in flight: its keys are locked until end_batch(). One batch at a time.
  void begin_batch(std::vector<std::string> keys);
  void end_batch();
  bool locked(std::string_view key) const { return in_flight_.count(key) != 0; }
  bool batch_in_flight() const { return !in_flight_.empty(); }

  MigrationStats& stats() { return stats_; }
  const MigrationStats& stats() const { return stats_; }

 private:
  std::set<std::string, std::less<>> in_flight_;
  std::unique_ptr<WaitQueue> batch_done_;
  MigrationStats stats_;
};

}  // namespace ringcache::cluster
