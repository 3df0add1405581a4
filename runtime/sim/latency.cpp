#include "runtime/sim/latency.h"

#include <fmt/format.h>

#include "core/util/assert.h"

namespace ringcache::sim {

Latency::Latency(std::vector<std::pair<double, int64_t>> points) : points_(std::move(points)) {
  RING_ASSERT_MSG(points_.size() >= 2, "a latency needs at least the 0 and 1 quantiles");
  RING_ASSERT(points_.front().first == 0.0 && points_.back().first == 1.0);
  for (size_t i = 1; i < points_.size(); ++i) {
    RING_ASSERT_MSG(points_[i].first > points_[i - 1].first, "quantiles must increase");
    RING_ASSERT_MSG(points_[i].second >= points_[i - 1].second, "latencies must not decrease");
  }
  RING_ASSERT(points_.front().second >= 0);
}

int64_t Latency::sample(Rng& rng) const {
  const double u = rng.unit();
  size_t i = 1;
  while (i + 1 < points_.size() && points_[i].first <= u) ++i;
  const auto& [q0, v0] = points_[i - 1];
  const auto& [q1, v1] = points_[i];
  const double share = (u - q0) / (q1 - q0);
  return v0 + static_cast<int64_t>(share * static_cast<double>(v1 - v0));
}

std::string Latency::describe() const {
  std::string out;
  for (const auto& [quantile, ns] : points_) {
    if (!out.empty()) out += ' ';
    out += fmt::format("p{}={}us", quantile * 100, ns / 1000);
  }
  return out;
}

}  // namespace ringcache::sim
