// The crash_prefix checker on hand-made histories: what survives a crash must be one prefix of
// the writes, across keys.

#include "runtime/sim/check/crash_prefix.h"

#include <gtest/gtest.h>

namespace ringcache::sim {
namespace {

constexpr int64_t ms = 1'000'000;

class CrashPrefixTest : public ::testing::Test {
 protected:
  NodeClock clock{0, 0, 0};
  History history;

  CrashPrefixTest() { event(NodeEvent::Kind::restart, 0); }  // the first boot

  void add(OpKind kind, std::string key, int64_t from_ms, int64_t to_ms, RespValue reply,
           std::string value = "") {
    Op op;
    op.id = history.ops.size();
    op.kind = kind;
    op.key = std::move(key);
    op.value = std::move(value);
    op.invoke_ns = from_ms * ms;
    op.complete_ns = to_ms * ms;
    op.reply = std::move(reply);
    history.ops.push_back(op);
  }
  void set(std::string key, std::string value, int64_t from, int64_t to) {
    add(OpKind::set, std::move(key), from, to, RespValue::simple("OK"), std::move(value));
  }
  void get(std::string key, std::optional<std::string> value, int64_t from, int64_t to) {
    add(OpKind::get, std::move(key), from, to,
        value ? RespValue::bulk(*value) : RespValue::null());
  }
  void event(NodeEvent::Kind kind, int64_t at) {
    history.node_events.push_back({kind, 0, at * ms});
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
};

TEST_F(CrashPrefixTest, EverythingKeptIsAPrefix) {
  three_ordered_writes();
  crash_and_restart(100, 200);
  get("k2", "y", 210, 220);
  get("k1", "x2", 230, 240);
  EXPECT_TRUE(check().ok);
}

TEST_F(CrashPrefixTest, LosingASuffixIsAPrefix) {
  three_ordered_writes();
  crash_and_restart(100, 200);
  get("k2", std::nullopt, 210, 220);  // y lost: the cut is before it
  get("k1", "x1", 230, 240);          // and before x2
  EXPECT_TRUE(check().ok);
}

TEST_F(CrashPrefixTest, ALaterWriteKeptWithAnEarlierOneLostFails) {
  three_ordered_writes();
  crash_and_restart(100, 200);
  get("k2", "y", 210, 220);   // y kept: the cut is after 30 ms
  get("k1", "x1", 230, 240);  // x2 lost: the cut is no later than 20 ms
  const CheckResult result = check();
  ASSERT_FALSE(result.ok);
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_NE(result.problems[0].find("lost an earlier write"), std::string::npos);
}

TEST_F(CrashPrefixTest, ConcurrentWritesMayLandInEitherOrder) {
  set("k1", "x1", 0, 5);
  set("k1", "x2", 10, 35);  // still in flight when y began: y may have run first
  set("k2", "y", 30, 40);
  crash_and_restart(100, 200);
  get("k2", "y", 210, 220);
  get("k1", "x1", 230, 240);
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
  crash_and_restart(100, 200);
  get("k2", "y", 210, 220);
  get("k1", "x1", 230, 240);
  EXPECT_TRUE(check().ok);
}

TEST_F(CrashPrefixTest, WritesAnEarlierCrashLostBoundNothingLater) {
  three_ordered_writes();
  crash_and_restart(100, 200);
  get("k2", std::nullopt, 210, 220);
  get("k1", "x1", 230, 240);  // the first crash lost x2 and y
  set("k3", "z", 300, 310);
  crash_and_restart(400, 500);
  get("k3", "z", 510, 520);
  get("k1", "x1", 530, 540);  // x2 is gone since the first crash: no hole in the second log
  EXPECT_TRUE(check().ok);
}

}  // namespace
}  // namespace ringcache::sim
