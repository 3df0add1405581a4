// The LRU clock and LFU counter arithmetic, against Redis' definitions.

#include "tests/unit/store_test_peer.h"

#include <gtest/gtest.h>

#include "core/store/access_clock.h"

namespace ringcache::store::access_clock {
namespace {

TEST(StoreAccessClock, LruIdleTimeAcrossTheClockWrap) {
  const int64_t wrap_ms = static_cast<int64_t>(lru_clock_max) * 1000;
  EXPECT_EQ(lru_idle_ms(lru_clock(5000), 9000), 4000);
  EXPECT_EQ(lru_idle_ms(lru_clock(wrap_ms - 2000), wrap_ms + 3000), 5000);
  EXPECT_EQ(lru_clock(1999), 1u);
}

TEST(StoreAccessClock, LfuDecaysOnePerPeriod) {
  const int64_t t0 = 1'000 * 60'000;
  const uint32_t field = (lfu_minutes(t0) << 8) | 20;
  EXPECT_EQ(lfu_decayed_counter(field, t0, 1), 20);
  EXPECT_EQ(lfu_decayed_counter(field, t0 + 7 * 60'000, 1), 13);
  EXPECT_EQ(lfu_decayed_counter(field, t0 + 7 * 60'000, 2), 17);
  EXPECT_EQ(lfu_decayed_counter(field, t0 + 7 * 60'000, 0), 20);  // decay disabled
  EXPECT_EQ(lfu_decayed_counter(field, t0 + 60 * 60'000, 1), 0);
  EXPECT_EQ(lfu_initial(t0) & 0xff, static_cast<uint32_t>(constants::lfu_init_val));
}

TEST(StoreAccessClock, LfuIncrementProbability) {
  Rng rng(11);
  // At or below LFU_INIT_VAL the counter always grows; at 255 it never does.
  EXPECT_EQ(lfu_log_increment(3, 10, rng), 4);
  EXPECT_EQ(lfu_log_increment(5, 10, rng), 6);
  EXPECT_EQ(lfu_log_increment(255, 10, rng), 255);
  // At 15 with factor 10: p = 1 / (10 * 10 + 1).
  int increments = 0;
  for (int i = 0; i < 101'000; ++i) increments += lfu_log_increment(15, 10, rng) == 16;
  EXPECT_NEAR(increments, 1000, 150);
}

}  // namespace
}  // namespace ringcache::store::access_clock
