#pragma once
// Wing & Gong's linearizability search in Lowe's just-in-time form, as Porcupine implements it:
// walk the call/return events in time order; at a call, try to linearize that operation now
// (step the model; skip states already seen with the same set of linearized operations); at a
// return whose operation is not linearized yet, backtrack.
//
// The search starts from a set of states and can go on past the first legal order to collect
// every state the operations may leave the key in: a long history is checked piece by piece,
// the end states of one piece being the start states of the next.

#include <cstddef>
#include <span>
#include <vector>

#include "runtime/sim/check/lin_model.h"

namespace ringcache::sim::lin {

struct SearchLimits {
  size_t states_max = 0;      // memoised (linearized set, state) pairs
  size_t end_states_max = 0;  // distinct end configurations collected (with `all_ends`)
  bool all_ends = false;      // false: stop at the first legal order
};

// Where a piece may start or end: the key's state, and the operations with an unknown outcome
// still in flight across the cut and not linearized yet (they may take effect later).
struct Config {
  State state;
  std::vector<size_t> pending;  // their History::ops indices, ascending
  bool operator==(const Config& other) const = default;
};

// The operations one search orders.
struct Piece {
  std::span<const Step> steps;  // operations carried in flight from earlier pieces first
  size_t carried = 0;           // how many of `steps` those are
  // The piece ends before this instant: an operation returning at or after it (an unknown
  // outcome) may stay pending into the next piece. never_ns: the last piece.
  int64_t next_call_ns = 0;
  // Whether an operation left pending may as well never take effect: it may take effect just
  // before the wipe that ends it (its node's crash, single-node) or at the very end. Then an end
  // configuration whose pending set holds another's, in the same state, stands for both.
  bool pending_droppable = false;
};

struct SearchResult {
  enum class Verdict { linearizable, violation, inconclusive } verdict;
  size_t deepest = 0;        // most operations linearized at once
  size_t stuck_at = 0;       // index into steps: the first operation left out at the deepest point
  std::vector<Config> ends;  // where a legal order may end (one unless `all_ends`)
};

SearchResult search(const ModelContext& context, const Piece& piece,
                    const std::vector<Config>& starts, const SearchLimits& limits);

}  // namespace ringcache::sim::lin
