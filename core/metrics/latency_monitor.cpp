#include "core/metrics/latency_monitor.h"

#include <algorithm>

namespace ringcache::metrics {

void LatencySeries::add(int64_t unix_seconds, uint64_t latency_ms) {
  max_ms_ = std::max(max_ms_, latency_ms);
  // One sample per second: a second event in the same second keeps the worse latency.
  LatencySample& previous = samples_[(next_ + samples_.size() - 1) % samples_.size()];
  if (previous.unix_seconds == unix_seconds) {
    previous.latency_ms = std::max(previous.latency_ms, latency_ms);
    return;
  }
  samples_[next_] = {unix_seconds, latency_ms};
  next_ = (next_ + 1) % samples_.size();
}

void LatencyMonitor::add(std::string_view event, int64_t unix_seconds, uint64_t latency_ms) {
  auto found = events_.find(event);
  if (found == events_.end()) found = events_.emplace(std::string(event), LatencySeries{}).first;
  found->second.add(unix_seconds, latency_ms);
}

const LatencySeries* LatencyMonitor::find(std::string_view event) const {
  auto found = events_.find(event);
  return found == events_.end() ? nullptr : &found->second;
}

size_t LatencyMonitor::reset_all() {
  const size_t count = events_.size();
  events_.clear();
  return count;
}

}  // namespace ringcache::metrics
