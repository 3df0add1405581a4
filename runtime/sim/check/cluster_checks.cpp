#include "runtime/sim/check/cluster_checks.h"

#include <fmt/format.h>

#include "core/cluster/key_slot.h"

namespace ringcache::sim {
namespace {

// The node whose claim on the slot an answer stands on: the node that answered, or, for an answer
// after -ASK and ASKING (a planned move under way), the owner that sent the client there.
int answered_for(const Op& op) { return op.asked_by >= 0 ? op.asked_by : op.node; }

}  // namespace

CheckResult check_cluster_single_writer(const ClusterRecord& record) {
  CheckResult result{"cluster_single_writer"};
  for (const std::string& problem : record.overlap_problems) result.fail(problem);
  return result;
}

CheckResult check_cluster_coverage(const ClusterRecord& record) {
  CheckResult result{"cluster_coverage"};
  if (record.unserved_slots > 0) result.fail(record.coverage_problem);
  return result;
}

CheckResult check_cluster_convergence(const ClusterRecord& record) {
  CheckResult result{"cluster_convergence"};
  if (!record.converged) {
    result.fail("the nodes did not converge on one epoch and slot map: " +
                record.convergence_problem);
  }
  return result;
}

CheckResult check_cluster_owned_reads(const CheckInput& input, const ClusterRecord& record) {
  CheckResult result{"cluster_owned_reads"};
  for (const Op& op : input.history.ops) {
    if (!op.succeeded()) continue;
    const cluster::Slot slot = cluster::key_slot(op.key);
    const int answerer = answered_for(op);
    if (!record.may_have_served(answerer, slot, op.invoke_ns, op.complete_ns)) {
      const std::string who =
          op.asked_by < 0
              ? fmt::format("n{} answered while it", op.node)
              : fmt::format("n{} answered after an -ASK from n{}, which", op.node, op.asked_by);
      result.fail(fmt::format("{} (slot {}): {} did not own and serve the slot by its own view",
                              op.describe(), slot, who));
    }
  }
  return result;
}

}  // namespace ringcache::sim
