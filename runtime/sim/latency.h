#pragma once
// A latency distribution given by points of its inverse CDF ("p50 = 200us, p99 = 2ms"), sampled
// by linear interpolation from Rng::unit(). Only +, *, / on doubles: the same numbers on every
// platform, unlike std:: distributions or libm's log/exp.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/util/rng.h"

namespace ringcache::sim {

class Latency {
 public:
  // Points (quantile in [0,1], ns), quantiles increasing from 0 to 1, values non-decreasing.
  explicit Latency(std::vector<std::pair<double, int64_t>> points);
  static Latency fixed(int64_t ns) { return Latency({{0.0, ns}, {1.0, ns}}); }
  static Latency uniform(int64_t min_ns, int64_t max_ns) {
    return Latency({{0.0, min_ns}, {1.0, max_ns}});
  }

  int64_t sample(Rng& rng) const;
  int64_t max_ns() const { return points_.back().second; }
  // "p0=50us p50=200us p100=20000us", for the run's option report.
  std::string describe() const;

 private:
  std::vector<std::pair<double, int64_t>> points_;
};

}  // namespace ringcache::sim
