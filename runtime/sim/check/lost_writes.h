#pragma once
// What the checkers that look for lost writes share (cluster_moves_keep_data, and
// wait_confirmed_kept for failover): which reads observed a key, and whether what a read saw is
// one of the states the writes in force allow — a model far looser than linearizability's, made
// to name a lost write rather than to order every operation.

#include <cstddef>
#include <cstdint>

#include "runtime/sim/check/check.h"
#include "runtime/sim/check/key_index.h"

namespace ringcache::sim {

// Whether a TTL set by `op` may have run out by `by_ns`, on any node's clock: in a cluster the
// key may have been on any of them since.
bool may_have_expired(const CheckInput& input, const Op& op, int64_t by_ns);
// A GET that found a value, or an operation that found the key absent: a GET miss, or a DEL,
// EXPIRE or PEXPIRE that answered 0.
bool found_value(const Op& read);
bool found_absent(const Op& op);
// Whether what the read at `read_index` saw is allowed by the writes in force that completed at
// or after `horizon` (KeyIndex::current): the value of one of them, or nothing when one of them
// deleted the key or may have run out (or eviction is on).
bool read_explained(const CheckInput& input, const KeyIndex& key, size_t read_index,
                    int64_t horizon);
// The same with the read's own horizon: every write acknowledged before it began counts.
bool read_explained(const CheckInput& input, const KeyIndex& key, size_t read_index);
// The write a read missed: the latest-invoked one acknowledged before the read began.
const Op* lost_write(const KeyIndex& key, const Op& read);

}  // namespace ringcache::sim
