#pragma once
// A duration histogram with fixed buckets, as Prometheus histograms are exposed: bucket upper
// bounds in seconds (the base unit), from 10 us to 10 s. Fixed bounds keep observe() to a few
// comparisons and no allocation, which matters because every command is observed.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/runtime.h"

namespace ringcache::metrics {

struct DurationBucket {
  int64_t upper_bound_ns;
  std::string_view le;  // the bound as the `le` label writes it, in seconds
};

inline constexpr std::array<DurationBucket, 19> duration_buckets = {{
    {10'000, "1e-05"}, {25'000, "2.5e-05"}, {50'000, "5e-05"},
    {100'000, "0.0001"}, {250'000, "0.00025"}, {500'000, "0.0005"},
    {1'000'000, "0.001"}, {2'500'000, "0.0025"}, {5'000'000, "0.005"},
    {10'000'000, "0.01"}, {25'000'000, "0.025"}, {50'000'000, "0.05"},
    {100'000'000, "0.1"}, {250'000'000, "0.25"}, {500'000'000, "0.5"},
    {1'000'000'000, "1"}, {2'500'000'000, "2.5"}, {5'000'000'000, "5"},
    {10'000'000'000, "10"},
}};

class DurationHistogram {
 public:
  void observe(Nanos duration) {
    const int64_t ns = duration.count() < 0 ? 0 : duration.count();
    size_t bucket = 0;
    // Most observations land in the first buckets, so a linear scan ends early.
    while (bucket < duration_buckets.size() && ns > duration_buckets[bucket].upper_bound_ns) {
      ++bucket;
    }
    ++counts_[bucket];
    ++count_;
    sum_ns_ += static_cast<uint64_t>(ns);
  }

  uint64_t count() const { return count_; }
  uint64_t sum_ns() const { return sum_ns_; }
  // Observations in bucket i alone (not cumulative); i == duration_buckets.size() is +Inf.
  uint64_t bucket_count(size_t i) const { return counts_[i]; }

 private:
  std::array<uint64_t, duration_buckets.size() + 1> counts_{};
  uint64_t count_ = 0;
  uint64_t sum_ns_ = 0;
};

}  // namespace ringcache::metrics
