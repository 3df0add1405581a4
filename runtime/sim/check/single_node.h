#pragma once
// What a single node promises its clients, checked directly (cheaper and with plainer messages
// than the linearizability search, and unbounded):
//   stale_read  a read returns the latest acknowledged write or one in flight with it — never
//               a value overwritten by a write acknowledged before the read began, never a
//               value nobody wrote;
//   expiry      no key is returned after it expired, judged on the node's own wall clock.
// A crash of a node without persistence counts as a delete of every key at the crash time.

#include <map>
#include <string>
#include <utility>

#include "runtime/sim/check/check.h"
#include "runtime/sim/check/key_index.h"

namespace ringcache::sim {

// Every (node, key)'s operations, indexed once and read by both checkers; `reads_from` must
// outlive the result.
using KeyIndexes = std::map<std::pair<int, std::string>, KeyIndex>;
KeyIndexes index_keys(const CheckInput& input, const ReadsFrom& reads_from);

CheckResult check_stale_reads(const CheckInput& input, const KeyIndexes& keys);
CheckResult check_expiry(const CheckInput& input, const KeyIndexes& keys);

}  // namespace ringcache::sim
