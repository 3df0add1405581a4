#pragma once
// One key's operations on one node (in a cluster: on every node), indexed for the single-node
// checkers so each read is judged in about log(n) plus the operations concurrent with it, not
// in n.

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/sim/check/check.h"
#include "runtime/sim/check/reads_from.h"

namespace ringcache::sim {

class KeyIndex {
 public:
  KeyIndex(const CheckInput& input, const ReadsFrom& reads_from, int node)
      : input_(input), reads_from_(reads_from), node_(node) {}

  // Adds an operation of this key (by index into History::ops); call finish() after the last.
  void add(size_t index);
  void finish();

  const std::vector<size_t>& reads() const { return reads_; }
  // The SET whose value the read at `read_index` (into History::ops) returned, or nullptr.
  const Op* set_read_by(size_t read_index) const;
  // Writes (SET, DEL) and expiry changes (EXPIRE/PEXPIRE that may have applied) that may still
  // be in force when `read` runs: invoked before it ended, and not overwritten by a write
  // acknowledged before it began.
  std::vector<const Op*> current(const Op& read) const { return current(read, horizon(read)); }
  // The same, for writes acknowledged before `horizon` (a crash may have undone later ones).
  std::vector<const Op*> current(const Op& read, int64_t horizon) const;
  // Whether a write that completed at `complete_ns` was overwritten by a write acknowledged
  // before `read` began (a crash is such a write at its time).
  bool superseded(int64_t complete_ns, const Op& read) const { return complete_ns < horizon(read); }
  // EXPIRE/PEXPIRE that may have changed the TTL of `write`'s value before `read` ended.
  std::vector<const Op*> expiries_after(const Op& write, const Op& read) const;

  // The latest invocation among writes acknowledged before `read` began: every write that
  // ended before it is overwritten (INT64_MIN: none was).
  int64_t horizon(const Op& read) const { return horizon_before(read.invoke_ns); }
  // The same for writes acknowledged before `t`.
  int64_t horizon_before(int64_t t) const;
  // Whether a write was acknowledged in [from_ns, to_ns).
  bool acked_between(int64_t from_ns, int64_t to_ns) const;

 private:
  // Operations by invocation time: completed ones (searchable, as none lasts longer than
  // longest_ns_) apart from unfinished ones (few: timeouts and lost connections).
  struct Timeline {
    std::vector<const Op*> done;
    std::vector<const Op*> unfinished;
    void add(const Op& op) { (op.completed() ? done : unfinished).push_back(&op); }
    void sort();
  };
  std::vector<const Op*> concurrent(const Timeline& timeline, const Op& read,
                                    int64_t from_ns) const;

  const CheckInput& input_;
  const ReadsFrom& reads_from_;
  int node_;
  std::vector<size_t> reads_;
  Timeline writes_;
  Timeline expiries_;
  std::vector<std::pair<int64_t, int64_t>> acked_;  // (complete, max invoke so far) by complete
  int64_t longest_ns_ = 0;  // the longest completed write or expiry
};

}  // namespace ringcache::sim
