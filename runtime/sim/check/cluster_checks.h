#pragma once
// The cluster checkers, over the monitor's record (check/cluster_record.h) and the history:
// * cluster_single_writer: no two nodes claim (own and serve, each by its own view) one slot
//   for longer than the allowed window (the node timeout plus a margin);
// * cluster_coverage: after the liveness phase every slot has a serving owner;
// * cluster_convergence: after the liveness phase every node is a member with the same epoch
//   and slot map;
// * cluster_owned_reads: every read or write a node answered (not an error) falls in a time the
//   node claimed the key's slot by its own view; an answer that followed -ASK (with ASKING: the
//   slot is moving to that node) in a time the node that sent the -ASK claimed it.

#include "runtime/sim/check/check.h"

namespace ringcache::sim {

CheckResult check_cluster_single_writer(const ClusterRecord& record);
CheckResult check_cluster_coverage(const ClusterRecord& record);
CheckResult check_cluster_convergence(const ClusterRecord& record);
CheckResult check_cluster_owned_reads(const CheckInput& input, const ClusterRecord& record);

}  // namespace ringcache::sim
