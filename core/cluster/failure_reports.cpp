#include "core/cluster/failure_reports.h"

namespace ringcache::cluster {

void FailureReports::add(const NodeId& target, const NodeId& reporter, uint64_t incarnation,
                         int64_t now_ms) {
  reports_[target][reporter] = Report{incarnation, now_ms};
}

void FailureReports::remove(const NodeId& target, const NodeId& reporter) {
  auto it = reports_.find(target);
  if (it == reports_.end()) return;
  it->second.erase(reporter);
  if (it->second.empty()) reports_.erase(it);
}

size_t FailureReports::count(const NodeId& target, const ClusterConfig& config,
                             uint64_t incarnation, int64_t now_ms, int64_t validity_ms) const {
  auto it = reports_.find(target);
  if (it == reports_.end()) return 0;
  size_t valid = 0;
  for (const auto& [reporter, report] : it->second) {
    if (report.incarnation >= incarnation && now_ms - report.at_ms <= validity_ms &&
        config.is_primary(reporter)) {
      ++valid;
    }
  }
  return valid;
}

void FailureReports::prune(int64_t now_ms, int64_t validity_ms) {
  for (auto it = reports_.begin(); it != reports_.end();) {
    std::erase_if(it->second,
                  [&](const auto& item) { return now_ms - item.second.at_ms > validity_ms; });
    it = it->second.empty() ? reports_.erase(it) : std::next(it);
  }
}

}  // namespace ringcache::cluster
