#pragma once
// The failover checkers (docs/replication.md, "What is promised and what is not"), over the
// cluster monitor's record (check/cluster_record.h) and the history:
// * shard_single_primary: no two nodes of one shard accept writes (a serving primary, each by
//   its own view) at once for longer than the allowed window (node timeout plus a margin). A
//   replica serving READONLY reads is not a writer.
// * wait_confirmed_kept: a write confirmed by `WAIT 1` (it answered >= 1) is never lost while at
//   most one node holding it failed: a later read of the key must return that value or a later
//   write's (or find it gone by a later delete or an expiry) unless two of its holders failed in
//   between — a crash without persistence, a wipe, a node held failed by another, or one that
//   dropped its keys — counting each node once per shard it belonged to when it failed (the
//   shards whose primary claimed the key's slot in between: a planned move takes the key along).
// * replica_convergence: at the end (after the replicas' catch-up phase) every shard has one
//   primary accepting writes and every up replica member holds its primary's keyspace (digest);
//   a promotion follows the declared failure of its shard's primary within
//   failover_promotion_node_timeouts node timeouts. Its counts report the promotions and the
//   measured times.

#include "runtime/sim/check/check.h"
#include "runtime/sim/check/reads_from.h"

namespace ringcache::sim {

// How many node timeouts a promotion may take after some node held the old primary failed: FAIL
// needs a majority's reports (about one more node timeout), then a configuration vote.
inline constexpr int64_t failover_promotion_node_timeouts = 4;

CheckResult check_shard_single_primary(const CheckInput& input, const ClusterRecord& record);
CheckResult check_wait_confirmed_kept(const CheckInput& input, const ClusterRecord& record,
                                      const ReadsFrom& reads_from);
CheckResult check_replica_convergence(const ClusterRecord& record);

}  // namespace ringcache::sim
