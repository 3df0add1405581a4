#pragma once
// The sequential models the linearizability search steps through (internal to check/).

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

#include "core/util/assert.h"
#include "runtime/sim/check/check.h"

namespace ringcache::sim::lin {

inline constexpr int64_t no_expiry = std::numeric_limits<int64_t>::max();

// One key's state. Register: `value` is the id of the SET whose value is stored (-1: none) and
// [expire_lo_ms, expire_hi_ms] when, on the node's wall clock, it expires; `expiry_since_ns`
// is when the operation that set that expiry was invoked, on the clock of node `clock_node`
// (-1: the context's node). Counter: `value`.
struct State {
  int64_t value = -1;
  int64_t expire_lo_ms = no_expiry;
  int64_t expire_hi_ms = no_expiry;
  int64_t expiry_since_ns = 0;
  int clock_node = -1;
  bool operator==(const State& other) const = default;
};

// wipe: the key is emptied (a crash); maybe_wipe: it may have been, or not (in a cluster, its
// slot changed hands).
enum class Kind { set, get, del, incr, expire, wipe, maybe_wipe };
enum class Outcome { unknown, ok, hit, miss, one, zero, number };

// An operation as the search sees it.
struct Step {
  Kind kind = Kind::get;
  Outcome outcome = Outcome::unknown;
  int64_t call_ns = 0;
  int64_t return_ns = 0;
  int64_t value = -1;  // SET: its id; GET hit: the id of the SET whose value came back
  int64_t number = 0;  // INCR reply
  int64_t delta = 1;   // how far an INCR step moves its counter
  int64_t ttl_ms = 0;  // SET PX / EXPIRE / PEXPIRE
  WallWindow wall{0, 0};
  size_t op_index = 0;  // into History::ops; SIZE_MAX for a crash
  int node = -1;        // the node that ran it (its clock judges expiry)
};

// What the model needs besides the operations.
struct ModelContext {
  const CheckInput& input;
  int node;       // -1: the key's operations ran on several nodes (a cluster)
  int slot = -1;  // the key's hash slot in a cluster
};

// The states a step may lead to: none (illegal there), one, or more (an EXPIRE whose outcome is
// unknown may have applied or not; an operation ended by its node's crash may not have run).
// Inline: the search asks for them at every step.
class States {
 public:
  States() = default;
  States(std::initializer_list<State> states) {
    for (const State& state : states) push_back(state);
  }
  void push_back(const State& state) {
    RING_ASSERT(count_ < items_.size());
    items_[count_++] = state;
  }
  size_t size() const { return count_; }
  const State& operator[](size_t index) const { return items_[index]; }
  bool contains(const State& state) const {
    for (size_t i = 0; i < count_; ++i) {
      if (items_[i] == state) return true;
    }
    return false;
  }

 private:
  std::array<State, 3> items_{};
  size_t count_ = 0;
};

// Every state `step` may lead to from `state` (none: the step is illegal there).
States next_states(const ModelContext& context, const State& state, const Step& step);

}  // namespace ringcache::sim::lin
