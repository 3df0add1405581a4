#pragma once
// The latency monitor (LATENCY): for each event ("command", "fast-command"; later "aof-fsync"...)
// the samples that reached latency-monitor-threshold, at most one per second (the worst of that
// second), the last latency_history_samples of them, and the all-time maximum — as Redis 7.0.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/constants.h"

namespace ringcache::metrics {

struct LatencySample {
  int64_t unix_seconds = 0;
  uint64_t latency_ms = 0;
};

class LatencySeries {
 public:
  void add(int64_t unix_seconds, uint64_t latency_ms);
  // Samples oldest first (visit(sample) for each).
  template <typename Visit>
  void for_each(Visit visit) const {
    for (size_t i = 0; i < samples_.size(); ++i) {
      const LatencySample& sample = samples_[(next_ + i) % samples_.size()];
      if (sample.unix_seconds != 0) visit(sample);
    }
  }
  const LatencySample& latest() const {
    return samples_[(next_ + samples_.size() - 1) % samples_.size()];
  }
  uint64_t max_ms() const { return max_ms_; }

 private:
  std::array<LatencySample, constants::latency_history_samples> samples_{};
  size_t next_ = 0;  // where the next new second's sample goes
  uint64_t max_ms_ = 0;
};

class LatencyMonitor {
 public:
  void add(std::string_view event, int64_t unix_seconds, uint64_t latency_ms);
  // By event name: LATENCY LATEST lists them in this (sorted, deterministic) order.
  const std::map<std::string, LatencySeries, std::less<>>& events() const { return events_; }
  const LatencySeries* find(std::string_view event) const;
  // Forgets one event / all; returns how many were forgotten.
  size_t reset(std::string_view event) { return events_.erase(std::string(event)); }
  size_t reset_all();

 private:
  std::map<std::string, LatencySeries, std::less<>> events_;
};

}  // namespace ringcache::metrics
