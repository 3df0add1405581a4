// The crash_prefix checker on hand-made histories: what survives a crash must be one prefix of
// the writes, across keys.

#include "runtime/sim/check/crash_prefix.h"

#include <gtest/gtest.h>

#include "tests/support/history_builder.h"

namespace ringcache::sim {
namespace {

class CrashPrefixTest : public ::testing::Test, protected HistoryBuilder {
 protected:
  NodeClock clock{0, 0, 0};

  CrashPrefixTest() { event(NodeEvent::Kind::restart, 0); }  // the first boot

  void set(std::string key, std::string value, int64_t from, int64_t to) {
    add(OpKind::set, std::move(key), from, to, RespValue::simple("OK"), std::move(value));
  }
  void get(std::string key, std::optional<std::string> value, int64_t from, int64_t to) {
    add(OpKind::get, std::move(key), from, to,
        value ? RespValue::bulk(*value) : RespValue::null());
  }
  void crash_and_restart(int64_t crash_at, int64_t restart_at) {
    event(NodeEvent::Kind::crash, crash_at);
    event(NodeEvent::Kind::restart, restart_at);
  }
  CheckResult check() {
    CheckInput input{history, {&clock}, 1000 * 1000 * ms, false, false};
    return check_crash_prefix(input, ReadsFrom(history));
  }

  // k1 is written twice, then k2 once, each acknowledged before the next begins.
  void three_ordered_writes() {
    set("k1", "x1", 0, 5);
    set("k1", "x2", 10, 20);
    set("k2", "y", 30, 40);
  }
  // The node crashes at 100 ms and is back at 200 ms; then k2 and k1 are read.
  void crash_then_read(std::optional<std::string> k2, std::optional<std::string> k1) {
    crash_and_restart(100, 200);
    get("k2", std::move(k2), 210, 220);
    get("k1", std::move(k1), 230, 240);
  }
};

TEST_F(CrashPrefixTest, EverythingKeptIsAPrefix) {
  three_ordered_writes();
  crash_then_read("y", "x2");
  EXPECT_TRUE(check().ok);
}

TEST_F(CrashPrefixTest, LosingASuffixIsAPrefix) {
  three_ordered_writes();
  crash_then_read(std::nullopt, "x1");  // y and x2 lost: the cut is before both
  EXPECT_TRUE(check().ok);
}

TEST_F(CrashPrefixTest, ALaterWriteKeptWithAnEarlierOneLostFails) {
  three_ordered_writes();
  crash_then_read("y", "x1");  // y kept: the cut is after 30 ms; x2 lost: no later than 20 ms
  const CheckResult result = check();
  ASSERT_FALSE(result.ok);
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_NE(result.problems[0].find("lost an earlier write"), std::string::npos);
}

TEST_F(CrashPrefixTest, ConcurrentWritesMayLandInEitherOrder) {
  set("k1", "x1", 0, 5);
  set("k1", "x2", 10, 35);  // still in flight when y began: y may have run first
  set("k2", "y", 30, 40);
  crash_then_read("y", "x1");
  EXPECT_TRUE(check().ok);
}

TEST_F(CrashPrefixTest, ReadsAfterANewWriteOfTheirKeySayNothing) {
  three_ordered_writes();
  crash_and_restart(100, 200);
  get("k2", "y", 210, 220);
  set("k1", "x1b", 225, 228);
  get("k1", "x1", 230, 240);  // a nonsense read here is stale_read's business, not this checker's
  EXPECT_TRUE(check().ok);
}

TEST_F(CrashPrefixTest, AWipedRestartIsNotJudged) {
  three_ordered_writes();
  event(NodeEvent::Kind::wipe, 100);
  crash_then_read("y", "x1");
  EXPECT_TRUE(check().ok);
}

TEST_F(CrashPrefixTest, WritesAnEarlierCrashLostBoundNothingLater) {
  three_ordered_writes();
  crash_then_read(std::nullopt, "x1");  // the first crash lost x2 and y
  set("k3", "z", 300, 310);
  crash_and_restart(400, 500);
  get("k3", "z", 510, 520);
  get("k1", "x1", 530, 540);  // x2 is gone since the first crash: no hole in the second log
  EXPECT_TRUE(check().ok);
}

}  // namespace
}  // namespace ringcache::sim
