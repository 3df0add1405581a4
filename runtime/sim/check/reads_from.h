#pragma once
// Which write each read read from: for every GET that returned a value, the SET that wrote that
// value to that key on that node — on any node in cluster mode, where keys move with their slot
// (the workload makes every written value unique, so a read's value names its write). Resolved once
// per run, in one pass over the history, and shared by the checkers; the lookup is an index, not a
// search among long, common-prefixed values.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "runtime/sim/workload/history.h"

namespace ringcache::sim {

class ReadsFrom {
 public:
  // SETs refused with an error wrote nothing and are left out; of several SETs of one value to
  // one key the last counts. `across_nodes` (cluster mode): a value written on one node may be
  // read on another (its slot moved with its keys), so the write is looked up by key and value.
  explicit ReadsFrom(const History& history, bool across_nodes = false);

  // The index into History::ops of the SET whose value the GET at `read_index` returned, or -1
  // (nobody wrote it to that key, or the op is not a GET that returned a value).
  int64_t write_of(size_t read_index) const { return write_of_[read_index]; }

 private:
  std::vector<int64_t> write_of_;  // by op index
};

}  // namespace ringcache::sim
