// The metrics registry's Prometheus text output and the duration histogram's buckets.

#include "core/metrics/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace ringcache::metrics {
namespace {

using namespace std::chrono_literals;

TEST(DurationHistogramTest, BucketsAreUpperBoundsInclusive) {
  DurationHistogram histogram;
  histogram.observe(10us);    // exactly on the first bound: first bucket
  histogram.observe(11us);    // second
  histogram.observe(20s);     // beyond the last bound: +Inf
  histogram.observe(-5ns);    // a clock step backwards counts as zero
  EXPECT_EQ(histogram.bucket_count(0), 2u);
  EXPECT_EQ(histogram.bucket_count(1), 1u);
  EXPECT_EQ(histogram.bucket_count(duration_buckets.size()), 1u);
  EXPECT_EQ(histogram.count(), 4u);
  EXPECT_EQ(histogram.sum_ns(), 20'000'021'000u);
}

TEST(DurationHistogramTest, BoundsIncreaseAndLabelsMatchThem) {
  for (size_t i = 0; i < duration_buckets.size(); ++i) {
    EXPECT_DOUBLE_EQ(std::stod(std::string(duration_buckets[i].le)),
                     static_cast<double>(duration_buckets[i].upper_bound_ns) / 1e9);
    if (i > 0) EXPECT_GT(duration_buckets[i].upper_bound_ns, duration_buckets[i - 1].upper_bound_ns);
  }
}

TEST(RegistryTest, RendersHelpTypeAndSamplesInRegistrationOrder) {
  Registry registry;
  uint64_t hits = 7;
  registry.add_counter("x_hits_total", "Hits.\nSecond line \\ done", [&] { return hits; });
  registry.add_gauge("x_ratio", "A ratio.", [] { return 0.5; });
  registry.add("x_by_name_total", "Labelled.", Type::counter, [](SampleWriter& out) {
    out.value({{"name", "a\"b\\c\nd"}, {"kind", "k"}}, uint64_t{3});
  });
  std::string text;
  registry.render(text);
  EXPECT_EQ(text,
            "# HELP x_hits_total Hits.\\nSecond line \\\\ done\n"
            "# TYPE x_hits_total counter\n"
            "x_hits_total 7\n"
            "# HELP x_ratio A ratio.\n"
            "# TYPE x_ratio gauge\n"
            "x_ratio 0.5\n"
            "# HELP x_by_name_total Labelled.\n"
            "# TYPE x_by_name_total counter\n"
            "x_by_name_total{name=\"a\\\"b\\\\c\\nd\",kind=\"k\"} 3\n");
}

TEST(RegistryTest, HistogramsAreCumulativeWithSumInSeconds) {
  Registry registry;
  DurationHistogram histogram;
  histogram.observe(30us);
  histogram.observe(2ms);
  registry.add("x_seconds", "Durations.", Type::histogram,
               [&](SampleWriter& out) { out.histogram({{"cmd", "get"}}, histogram); });
  std::string text;
  registry.render(text);
  EXPECT_THAT(text, ::testing::HasSubstr("x_seconds_bucket{cmd=\"get\",le=\"2.5e-05\"} 0\n"
                                         "x_seconds_bucket{cmd=\"get\",le=\"5e-05\"} 1\n"));
  EXPECT_THAT(text, ::testing::HasSubstr("x_seconds_bucket{cmd=\"get\",le=\"0.0025\"} 2\n"));
  EXPECT_THAT(text, ::testing::HasSubstr("x_seconds_bucket{cmd=\"get\",le=\"+Inf\"} 2\n"
                                         "x_seconds_sum{cmd=\"get\"} 0.00203\n"
                                         "x_seconds_count{cmd=\"get\"} 2\n"));
}

TEST(RegistryDeathTest, CountersMustEndInTotal) {
  Registry registry;
  EXPECT_DEATH(registry.add_counter("x_hits", "Hits.", [] { return uint64_t{0}; }),
               "counters end in _total");
}

}  // namespace
}  // namespace ringcache::metrics
