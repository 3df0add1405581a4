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
// Bounded: at most `ops_per_key_max` operations per key (the prefix up to a quiescent point) and
// `states_max` memoised states per key; beyond either the key is reported inconclusive.

#include <cstddef>

#include "runtime/sim/check/check.h"
#include "runtime/sim/check/reads_from.h"

namespace ringcache::sim {

struct LinearizabilityOptions {
  size_t ops_per_key_max = 2000;
  size_t states_max = 1'000'000;
};

// `reads_from` (resolved here if null) names the SET each read's value came from.
CheckResult check_linearizability(const CheckInput& input, LinearizabilityOptions options = {},
                                  const ReadsFrom* reads_from = nullptr);

}  // namespace ringcache::sim
