// The linearizability checker on hand-made histories.

#include "runtime/sim/check/linearizability.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

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
  CheckResult check(bool may_evict = false, LinearizabilityOptions options = {}) {
    CheckInput input{history, {&clock}, 1000 * 1000 * ms, may_evict, true};
    return check_linearizability(input, options);
  }
  static uint64_t count(const CheckResult& result, const std::string& name) {
    for (const auto& [counted, value] : result.counts) {
      if (counted == name) return value;
    }
    ADD_FAILURE() << "no count " << name;
    return 0;
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

TEST_F(LinearizabilityTest, AScriptsCounterMovesByTwoOrNotAtAll) {
  add(OpKind::script_incr, "s", 0, 10, RespValue::number(2));
  add(OpKind::script_incr, "s", 20, 0, std::nullopt);  // no reply: ran or not
  add(OpKind::script_incr, "s", 30, 40, RespValue::number(6));
  EXPECT_TRUE(check().ok);
  add(OpKind::script_incr, "s", 50, 60, RespValue::number(7));  // half a script survived
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

TEST_F(LinearizabilityTest, ConcurrentPieceMidHistoryIsSearchedForEveryEnd) {
  // As above, shorter, and followed by more pieces: the concurrent piece is searched for every
  // state it may end in (a costlier search than stopping at the first legal order).
  for (int i = 0; i < 400; ++i) {
    const int64_t start = i * 5;
    if (i % 2 == 0) {
      set("v" + std::to_string(i), start, start + 40);
    } else {
      get("v" + std::to_string(i - 1), start, start + 40);
    }
  }
  // The last two writes overlap: either may be the value left.
  get("v396", 3000, 3010);
  CheckResult result = check();
  EXPECT_TRUE(result.ok);
  EXPECT_FALSE(result.inconclusive);
  EXPECT_EQ(count(result, "pieces"), 2u);
  get("v394", 3100, 3110);  // older than v396, which a read already saw
  result = check();
  EXPECT_FALSE(result.ok);
}

// Groups of overlapping operations with a gap after each: every gap is a quiescent point.
// Each group writes two values concurrently, so the next group may see either: the set of
// possible states (two) has to be carried across the cut.
class LongHistoryTest : public LinearizabilityTest {
 protected:
  static constexpr int groups = 1500;  // 4 ops each: 6,000 ops, three times the old cap
  static constexpr int64_t period = 100;

  void add_groups(int count) {
    for (int g = 0; g < count; ++g) {
      const int64_t t = g * period;
      // Read what the previous group left: either of its writes (alternating).
      if (g > 0) get(value(g - 1, g % 2 == 0 ? 'x' : 'y'), t, t + 10);
      set(value(g, 'x'), t + 20, t + 50);
      set(value(g, 'y'), t + 25, t + 55);
      get(value(g, 'x'), t + 30, t + 40);  // during both writes: x may already be there
    }
  }
  static std::string value(int group, char which) { return which + std::to_string(group); }
};

TEST_F(LongHistoryTest, ValidHistoryIsCheckedPieceByPiece) {
  add_groups(groups);
  const CheckResult result = check();
  EXPECT_TRUE(result.ok) << (result.problems.empty() ? "" : result.problems[0]);
  EXPECT_FALSE(result.inconclusive);
  EXPECT_EQ(count(result, "keys"), 1u);
  EXPECT_EQ(count(result, "ops"), history.ops.size());  // every operation, not a prefix
  EXPECT_GT(history.ops.size(), 2u * 2000);             // the checker once stopped at 2,000
  EXPECT_EQ(count(result, "pieces"), static_cast<uint64_t>(2 * groups - 1));
  EXPECT_EQ(count(result, "inconclusive_keys"), 0u);
}

TEST_F(LongHistoryTest, ViolationPastTheOldCapFails) {
  add_groups(groups);
  const int64_t t = groups * period;
  // Both final writes were acknowledged; then one read sees the last value, the next an
  // older one: operation 6,000 and more, far past the old 2,000-operation cap.
  get(value(groups - 1, 'y'), t, t + 10);
  get(value(groups - 2, 'x'), t + 20, t + 30);
  const CheckResult result = check();
  EXPECT_FALSE(result.ok);
  ASSERT_FALSE(result.problems.empty());
  EXPECT_NE(result.problems[0].find("not linearizable"), std::string::npos);
  EXPECT_NE(result.problems[0].find("x" + std::to_string(groups - 2)), std::string::npos)
      << result.problems[0];
}

TEST_F(LongHistoryTest, StateSetCarriedAcrossCutsStaysExact) {
  add_groups(2);
  // The second group's writes both finished; a read sees y1, so x1 cannot come back.
  get(value(1, 'y'), 2 * period, 2 * period + 10);
  get(value(1, 'x'), 2 * period + 20, 2 * period + 30);
  EXPECT_FALSE(check().ok);
}

TEST_F(LinearizabilityTest, ExplodingStateSetIsInconclusiveNotPassed) {
  // Eight concurrent writes leave eight possible states at the quiescent point after them.
  for (int i = 0; i < 8; ++i) set("w" + std::to_string(i), i, 100 + i);
  get("w3", 200, 210);
  EXPECT_TRUE(check().ok);  // within the default budget: checked and legal
  LinearizabilityOptions tight;
  tight.end_states_max = 4;
  const CheckResult result = check(false, tight);
  EXPECT_TRUE(result.ok);            // not a failure...
  EXPECT_TRUE(result.inconclusive);  // ...but not a pass either
  EXPECT_EQ(count(result, "inconclusive_keys"), 1u);
  EXPECT_EQ(count(result, "ops"), 0u);
  EXPECT_EQ(count(result, "ops_unchecked"), 9u);
  ASSERT_FALSE(result.notes.empty());
  EXPECT_NE(result.notes[0].find("inconclusive"), std::string::npos);
}

TEST_F(LinearizabilityTest, PieceWithoutQuiescentPointOverTheCapIsInconclusive) {
  set("a", 0, 10);
  // A chain of reads, each overlapping the next: no cut between them.
  for (int i = 0; i < 10; ++i) get("a", 20 + 10 * i, 35 + 10 * i);
  EXPECT_TRUE(check().ok);
  LinearizabilityOptions tight;
  tight.ops_per_piece_max = 8;
  const CheckResult result = check(false, tight);
  EXPECT_TRUE(result.ok);
  EXPECT_TRUE(result.inconclusive);
  EXPECT_EQ(count(result, "ops"), 1u);  // the SET, cut off before the chain
  EXPECT_EQ(count(result, "ops_unchecked"), 10u);
}

TEST_F(LinearizabilityTest, UnknownWriteStaysPendingAcrossCutsAndTakesEffectOnce) {
  set("a", 0, 10);
  add(OpKind::set, "k", 20, 0, std::nullopt, "b");  // timed out: in flight to the end
  get("a", 100, 110);                               // each read a piece of its own
  get("a", 200, 210);
  get("b", 300, 310);
  CheckResult result = check();
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(count(result, "pieces"), 5u);
  get("a", 400, 410);  // b took effect already: a cannot come back
  result = check();
  EXPECT_FALSE(result.ok);
}

// Checking piece by piece must reach the verdict a search of the whole history reaches, on
// random histories: short operations (many cuts), some timed out (pending across cuts), reads
// of any value written (often illegal), crashes, expiry.
class PiecewiseProperty : public LinearizabilityTest {
 public:
  using LinearizabilityTest::check;
  void add_random_ops() {
    const int count = *rc::gen::inRange(1, 40);
    int64_t t = 0;
    int written = 0;
    for (int i = 0; i < count; ++i) {
      t += *rc::gen::inRange(0, 30);
      const int64_t end = t + *rc::gen::inRange(1, 40);
      const bool lost = *rc::gen::inRange(0, 10) == 0;
      switch (*rc::gen::inRange(0, 5)) {
        case 0:
        case 1: {
          const int64_t ttl = *rc::gen::inRange(0, 4) == 0 ? *rc::gen::inRange(1, 200) : 0;
          add(OpKind::set, "k", t, end,
              lost ? std::nullopt : std::optional(RespValue::simple("OK")),
              "v" + std::to_string(written++), ttl);
          break;
        }
        case 2: {
          const int which = *rc::gen::inRange(-1, written);
          get(which < 0 ? std::nullopt : std::optional("v" + std::to_string(which)), t, end);
          break;
        }
        case 3:
          add(OpKind::del, "k", t, end,
              lost ? std::nullopt : std::optional(RespValue::number(*rc::gen::inRange(0, 2))));
          break;
        default:
          event(NodeEvent::Kind::crash, t);
      }
    }
  }
  void TestBody() override {}
};

RC_GTEST_PROP(LinearizabilityPiecewise, SameVerdictAsTheWholeHistory, ()) {
  PiecewiseProperty history;
  history.add_random_ops();
  LinearizabilityOptions pieces_options;
  pieces_options.states_max = 20'000;  // keeps the rare history over budget cheap
  LinearizabilityOptions whole = pieces_options;
  whole.cut = false;
  const CheckResult pieces = history.check(false, pieces_options);
  const CheckResult reference = history.check(false, whole);
  // Many timed-out writes pending at once may leave too many end configurations: such a key is
  // inconclusive (never passed); every verdict reached must agree with the reference.
  RC_TAG(pieces.inconclusive ? "inconclusive" : pieces.ok ? "linearizable" : "violation");
  if (pieces.inconclusive || reference.inconclusive) return;
  RC_ASSERT(pieces.ok == reference.ok);
}

}  // namespace
}  // namespace ringcache::sim
