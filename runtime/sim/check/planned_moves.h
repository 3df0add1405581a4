#pragma once
// cluster_moves_keep_data: no acknowledged write is lost in a planned move. A slot that changes
// hands in a join or a graceful leave (OwnershipChange::planned) keeps its keys, so a read (a GET,
// or a DEL, EXPIRE or PEXPIRE that found the key absent) must not miss a write acknowledged before
// it began — return an older value, find nothing, or (a counter) count from lower — unless
// something else explains it: a delete, an expiry or an eviction that may have happened, or an
// unplanned change of the slot (a crash, a node declared failed or dropping its data) between the
// write and the read, where a cache may lose it. Reported only when a planned change of the slot
// lies between the two (a stale read with no change at all is linearizability's to report), with
// the key, the slot, the lost write, the read and the moves.

#include "runtime/sim/check/check.h"
#include "runtime/sim/check/reads_from.h"

namespace ringcache::sim {

CheckResult check_cluster_moves_keep_data(const CheckInput& input, const ClusterRecord& record,
                                          const ReadsFrom& reads_from);

}  // namespace ringcache::sim
