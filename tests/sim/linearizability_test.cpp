// The linearizability checker on hand-made histories.

#include "runtime/sim/check/linearizability.h"

#include <gtest/gtest.h>

#include "tests/support/history_builder.h"

namespace ringcache::sim {
namespace {

class LinearizabilityTest : public ::testing::Test, protected HistoryBuilder {
 protected:
  NodeClock clock{0, 0, 0};

  Op& set(std::string value, int64_t from, int64_t to, int64_t ttl = 0) {
    return add(OpKind::set, "k", from, to, RespValue::simple("OK"), std::move(value), ttl);
  }
  Op& get(std::optional<std::string> value, int64_t from, int64_t to) {
    return add(OpKind::get, "k", from, to, value ? RespValue::bulk(*value) : RespValue::null());
  }
  CheckResult check(bool may_evict = false) {
    CheckInput input{history, {&clock}, 1000 * 1000 * ms, may_evict, true};
    return check_linearizability(input);
  }
};

TEST_F(LinearizabilityTest, SequentialHistoryIsLinearizable) {
  set("a", 0, 10);
  get("a", 20, 30);
  set("b", 40, 50);
  get("b", 60, 70);
  add(OpKind::del, "k", 80, 90, RespValue::number(1));
  get(std::nullopt, 100, 110);
  EXPECT_TRUE(check().ok);
}

TEST_F(LinearizabilityTest, ConcurrentReadMaySeeEitherValue) {
  set("a", 0, 10);
  set("b", 20, 60);
  get("a", 30, 40);  // overlaps the write of b: a is fine
  get("b", 35, 70);  // and so is b
  EXPECT_TRUE(check().ok);
}

TEST_F(LinearizabilityTest, StaleReadIsCaught) {
  set("a", 0, 10);
  set("b", 20, 30);
  get("a", 40, 50);  // b was acknowledged before this read began
  const CheckResult result = check();
  EXPECT_FALSE(result.ok);
  ASSERT_FALSE(result.problems.empty());
  EXPECT_NE(result.problems[0].find("key k"), std::string::npos);
}

TEST_F(LinearizabilityTest, ReadsMustNotGoBackInTime) {
  set("a", 0, 10);
  set("b", 20, 100);  // slow write
  get("b", 30, 40);   // sees the new value...
  get("a", 50, 60);   // ...then the old one: not linearizable
  EXPECT_FALSE(check().ok);
}

TEST_F(LinearizabilityTest, ValueNobodyWroteIsCaught) {
  set("a", 0, 10);
  get("zzz", 20, 30);
  EXPECT_FALSE(check().ok);
}

TEST_F(LinearizabilityTest, UnknownWriteMayTakeEffectLater) {
  set("a", 0, 10);
  add(OpKind::set, "k", 20, 0, std::nullopt, "b");  // timed out
  get("a", 100, 110);
  get("b", 200, 210);
  get("b", 300, 310);
  EXPECT_TRUE(check().ok);
}

TEST_F(LinearizabilityTest, ExpiredValueMayVanishButNotReturn) {
  set("a", 0, 10, /*ttl=*/100);
  get("a", 50, 60);
  get(std::nullopt, 200, 210);
  EXPECT_TRUE(check().ok);
  get("a", 300, 310);  // came back after it had expired
  EXPECT_FALSE(check().ok);
}

TEST_F(LinearizabilityTest, ExpiryFollowsTheNodeClock) {
  clock.jump_wall(150 * ms, -1000 * 1000);  // the node's wall clock steps back one second
  set("a", 0, 10, /*ttl=*/300);
  get("a", 400, 410);  // by the node's clock only ~0.4 - 1 = negative seconds have passed
  EXPECT_TRUE(check().ok);
}

TEST_F(LinearizabilityTest, MissBeforeExpiryIsCaughtUnlessEvicting) {
  set("a", 0, 10, /*ttl=*/1000);
  get(std::nullopt, 50, 60);
  EXPECT_FALSE(check().ok);
  EXPECT_TRUE(check(/*may_evict=*/true).ok);
}

TEST_F(LinearizabilityTest, CrashEmptiesTheNode) {
  set("a", 0, 10);
  event(NodeEvent::Kind::crash, 50);
  get(std::nullopt, 100, 110);
  EXPECT_TRUE(check().ok);
}

TEST_F(LinearizabilityTest, Counters) {
  add(OpKind::incr, "c", 0, 10, RespValue::number(1));
  add(OpKind::incr, "c", 5, 30, RespValue::number(3));
  add(OpKind::incr, "c", 6, 20, RespValue::number(2));
  EXPECT_TRUE(check().ok);
  add(OpKind::incr, "c", 40, 50, RespValue::number(3));  // duplicate
  EXPECT_FALSE(check().ok);
}

TEST_F(LinearizabilityTest, ManyConcurrentClientsStayFast) {
  // 8 clients, 2000 operations, heavy overlap: the memo keeps the search small.
  for (int i = 0; i < 2000; ++i) {
    const int64_t start = i * 5;
    if (i % 2 == 0) {
      set("v" + std::to_string(i), start, start + 40);
    } else {
      // Reads the latest value whose write started before it.
      get("v" + std::to_string(i - 1), start, start + 40);
    }
  }
  EXPECT_TRUE(check().ok);
}

}  // namespace
}  // namespace ringcache::sim
