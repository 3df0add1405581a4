#pragma once
// Suspicion reports ("reporter suspects target at incarnation i", Redis' failure reports): a
// target is declared failed once reports from a majority of the configuration's primaries are
// valid together. A report is valid for cluster_fail_report_validity_mult node timeouts and only
// for the target's incarnation it names or a later one (a refutation voids older reports).

#include <cstdint>
#include <map>

#include "core/cluster/cluster_config.h"

namespace ringcache::cluster {

class FailureReports {
 public:
  void add(const NodeId& target, const NodeId& reporter, uint64_t incarnation, int64_t now_ms);
  void remove(const NodeId& target, const NodeId& reporter);
  void forget(const NodeId& target) { reports_.erase(target); }
  // Reports about `target` from members of `config`, no older than `validity_ms`, naming
  // `incarnation` or later.
  size_t count(const NodeId& target, const ClusterConfig& config, uint64_t incarnation,
               int64_t now_ms, int64_t validity_ms) const;
  // Drops reports older than `validity_ms`.
  void prune(int64_t now_ms, int64_t validity_ms);
  bool has_reports(const NodeId& target) const { return reports_.count(target) != 0; }

 private:
  struct Report {
    uint64_t incarnation = 0;
    int64_t at_ms = 0;
  };
  std::map<NodeId, std::map<NodeId, Report>> reports_;  // target -> reporter -> report
};

}  // namespace ringcache::cluster
