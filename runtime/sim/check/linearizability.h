#pragma once
// Linearizability of single-key operations, Porcupine-style: the history is split by (node, key)
// and each part is searched for a legal sequential order with Wing & Gong's algorithm (Lowe's
// just-in-time form) memoising (linearized set, model state) pairs.
//
// Models: register keys (SET [PX], GET, DEL, EXPIRE, PEXPIRE, with expiry judged on the node's
// wall clock over each operation's interval) and counter keys (INCR). A crash of a node without
// persistence is an operation that empties the key at the crash time. Reads with an unknown
// outcome and error replies change nothing and are left out. Operations with an unknown outcome
// may take effect any time after their invocation (until their node crashes).
//
// Long histories are checked piecewise: a key's history is cut wherever no operation on it is in
// flight, and the set of states each piece may end in is carried into the next. Bounded per
// piece: `ops_per_piece_max` operations, `states_max` memoised states and `end_states_max`
// possible end states; beyond any of them the key is reported inconclusive (a note, never a
// pass or a failure). The result counts keys, operations and pieces checked, and inconclusive
// keys.

#include <cstddef>

#include "runtime/sim/check/check.h"
#include "runtime/sim/check/reads_from.h"

namespace ringcache::sim {

struct LinearizabilityOptions {
  size_t ops_per_piece_max = 2000;
  size_t states_max = 1'000'000;
  size_t end_states_max = 256;
  bool cut = true;  // false: each key in one piece (the reference the tests compare against)
};

// `reads_from` (resolved here if null) names the SET each read's value came from.
CheckResult check_linearizability(const CheckInput& input, LinearizabilityOptions options = {},
                                  const ReadsFrom* reads_from = nullptr);

}  // namespace ringcache::sim
