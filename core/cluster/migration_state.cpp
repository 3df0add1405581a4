#include "core/cluster/migration_state.h"

#include "core/util/assert.h"

namespace ringcache::cluster {

void MigrationState::begin_batch(std::vector<std::string> keys) {
  RING_ASSERT_MSG(in_flight_.empty(), "one migration batch at a time");
  for (std::string& key : keys) in_flight_.insert(std::move(key));
}

void MigrationState::end_batch() {
  in_flight_.clear();
  if (batch_done_) batch_done_->notify_all();
}

}  // namespace ringcache::cluster
