#include "runtime/sim/check/checkers.h"

#include <optional>

#include "runtime/sim/check/cluster_checks.h"
#include "runtime/sim/check/crash_prefix.h"
#include "runtime/sim/check/failover_checks.h"
#include "runtime/sim/check/linearizability.h"
#include "runtime/sim/check/planned_moves.h"
#include "runtime/sim/check/single_node.h"

namespace ringcache::sim {

std::vector<CheckResult> run_history_checkers(const std::vector<std::string>& names,
                                              const CheckInput& input) {
  // Built once, on first use, and shared: which SET wrote each value, and every key's
  // operations indexed for stale_read and expiry.
  std::optional<ReadsFrom> reads;
  auto reads_from = [&]() -> const ReadsFrom& {
    if (!reads) reads.emplace(input.history, input.cluster != nullptr);
    return *reads;
  };
  std::optional<KeyIndexes> keys;
  auto indexed = [&]() -> const KeyIndexes& {
    if (!keys) keys = index_keys(input, reads_from());
    return *keys;
  };
  std::vector<CheckResult> results;
  for (const std::string& name : names) {
    if (name == "linearizability") {
      results.push_back(check_linearizability(input, {}, &reads_from()));
    }
    if (name == "stale_read") results.push_back(check_stale_reads(input, indexed()));
    if (name == "expiry") results.push_back(check_expiry(input, indexed()));
    if (name == "crash_prefix") results.push_back(check_crash_prefix(input, reads_from()));
    if (input.cluster == nullptr) continue;
    const ClusterRecord& cluster = *input.cluster;
    if (name == "cluster_single_writer") results.push_back(check_cluster_single_writer(cluster));
    if (name == "cluster_coverage") results.push_back(check_cluster_coverage(cluster));
    if (name == "cluster_convergence") results.push_back(check_cluster_convergence(cluster));
    if (name == "cluster_owned_reads") {
      results.push_back(check_cluster_owned_reads(input, cluster));
    }
    if (name == "shard_single_primary") {
      results.push_back(check_shard_single_primary(input, cluster));
    }
    if (name == "wait_confirmed_kept") {
      results.push_back(check_wait_confirmed_kept(input, cluster, reads_from()));
    }
    if (name == "replica_convergence") results.push_back(check_replica_convergence(cluster));
    if (name == "cluster_moves_keep_data") {
      results.push_back(check_cluster_moves_keep_data(input, cluster, reads_from()));
    }
  }
  return results;
}

}  // namespace ringcache::sim
