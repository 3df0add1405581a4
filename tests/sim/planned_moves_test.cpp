// Planned membership changes in the simulator: the checker cluster_moves_keep_data on hand-made
// histories (a write lost in a planned move is caught and named; a reset at a failure, a delete,
// an expiry or a read with no move between is not its business), how the monitor tells planned
// handoffs from losses, linearizability's stricter rule when moves keep data, the scenario
// keys for joins and leaves, and a real-node run with a join and a graceful leave.

#include "runtime/sim/check/planned_moves.h"

#include <gtest/gtest.h>

#include "core/cluster/key_slot.h"
#include "core/constants.h"
#include "runtime/sim/check/checkers.h"
#include "runtime/sim/check/cluster_checks.h"
#include "runtime/sim/check/linearizability.h"
#include "runtime/sim/cluster/handoff_classifier.h"
#include "runtime/sim/own_thread.h"
#include "runtime/sim/scenario/runner.h"
#include "tests/support/history_builder.h"

namespace ringcache::sim {
namespace {

class PlannedMoves : public ::testing::Test, protected HistoryBuilder {
 protected:
  NodeClock clock{0, 0, 0};
  ClusterRecord record;
  bool may_evict = false;

  CheckInput input() {
    record.enabled = true;
    CheckInput in{history, {&clock, &clock}, 1000 * 1000 * ms, may_evict, true};
    in.cluster = &record;
    in.planned_moves_keep_data = true;
    return in;
  }
  // One history checker with these node clocks (by node index).
  CheckResult run_on_clocks(const char* checker, std::vector<const NodeClock*> clocks,
                            bool replicas = false) {
    CheckInput in = input();
    in.clocks = std::move(clocks);
    in.replicas = replicas;
    return run_history_checkers({checker}, in).at(0);
  }
  // "k" set on n0 with a 200 ms TTL and moved to n1 at 20-30 ms: read there at `alive_ms` both
  // TTL-aware checkers accept it, and at `expired_ms` both refuse it.
  void expect_moved_key_alive_then_expired(const std::vector<const NodeClock*>& clocks,
                                           int64_t alive_ms, int64_t expired_ms) {
    set("k", 0, 10, "a", 0, /*ttl_ms=*/200);
    change("k", 0, 20, 30, true);
    change("k", 1, 20, 30, true);
    get("k", alive_ms, alive_ms + 10, "a", 1);
    for (const char* checker : {"linearizability", "expiry"}) {
      const CheckResult alive = run_on_clocks(checker, clocks);
      EXPECT_TRUE(alive.ok) << checker << ": " << (alive.problems.empty() ? "" : alive.problems[0]);
    }
    get("k", expired_ms, expired_ms + 10, "a", 1);
    for (const char* checker : {"linearizability", "expiry"}) {
      EXPECT_FALSE(run_on_clocks(checker, clocks).ok) << checker;
    }
  }
  CheckResult check() {
    const CheckInput in = input();
    const ReadsFrom reads_from(history, /*across_nodes=*/true);
    return check_cluster_moves_keep_data(in, record, reads_from);
  }
  // Slot of `key` changed hands at node `node` within [from_ms, to_ms].
  void change(const std::string& key, int node, int64_t from_ms, int64_t to_ms, bool planned) {
    record.changes.push_back({cluster::key_slot(key), node, from_ms * ms, to_ms * ms, planned});
  }
  Op& set(const std::string& key, int64_t from_ms, int64_t to_ms, const std::string& value,
          int node, int64_t ttl_ms = 0) {
    Op& op = add(OpKind::set, key, from_ms, to_ms, RespValue::simple("OK"), value, ttl_ms);
    op.node = node;
    return op;
  }
  Op& get(const std::string& key, int64_t from_ms, int64_t to_ms, std::optional<std::string> value,
          int node) {
    Op& op =
        add(OpKind::get, key, from_ms, to_ms, value ? RespValue::bulk(*value) : RespValue::null());
    op.node = node;
    return op;
  }
};

TEST_F(PlannedMoves, WriteLostInAPlannedMoveIsNamed) {
  set("k", 0, 10, "a", 0);
  change("k", 0, 20, 30, true);  // n0 hands the slot to n1
  change("k", 1, 20, 30, true);
  get("k", 100, 110, std::nullopt, 1);
  const CheckResult result = check();
  ASSERT_FALSE(result.ok);
  ASSERT_EQ(result.problems.size(), 1u);
  const std::string& problem = result.problems[0];
  EXPECT_NE(problem.find("key k (slot " + std::to_string(cluster::key_slot("k")) + ")"),
            std::string::npos)
      << problem;
  EXPECT_NE(problem.find("op0 SET k a"), std::string::npos) << problem;         // the write
  EXPECT_NE(problem.find("op1 GET k -> (nil)"), std::string::npos) << problem;  // the read
  EXPECT_NE(problem.find("n1 in ["), std::string::npos) << problem;             // the move
}

TEST_F(PlannedMoves, OlderValueAfterAPlannedMoveIsALoss) {
  set("k", 0, 10, "a", 0);
  set("k", 20, 30, "b", 0);
  change("k", 1, 40, 50, true);
  get("k", 100, 110, "a", 1);  // the move carried a snapshot from before b
  EXPECT_FALSE(check().ok);
}

TEST_F(PlannedMoves, DeleteThatFindsNothingAfterAPlannedMoveIsALoss) {
  set("k", 0, 10, "a", 0);
  change("k", 1, 20, 30, true);
  add(OpKind::del, "k", 100, 110, RespValue::number(0)).node = 1;
  const CheckResult result = check();
  ASSERT_FALSE(result.ok);
  EXPECT_NE(result.problems[0].find("op1 DEL k -> :0"), std::string::npos) << result.problems[0];
  history.ops.back().reply = RespValue::number(1);  // it found the key: nothing was lost
  EXPECT_TRUE(check().ok);
}

TEST_F(PlannedMoves, EachLostWriteIsReportedOnce) {
  set("k", 0, 10, "a", 0);
  change("k", 1, 20, 30, true);
  get("k", 100, 110, std::nullopt, 1);
  get("k", 120, 130, std::nullopt, 1);
  EXPECT_EQ(check().problems.size(), 1u);
}

TEST_F(PlannedMoves, KeyThatMovedWithItsDataPasses) {
  set("k", 0, 10, "a", 0);
  change("k", 1, 20, 30, true);
  get("k", 100, 110, "a", 1);
  EXPECT_TRUE(check().ok);
}

TEST_F(PlannedMoves, ResetAtAFailureIsForgiven) {
  set("k", 0, 10, "a", 0);
  change("k", 0, 20, 30, false);  // n0 crashed: a shard without replicas loses its keys
  change("k", 1, 40, 50, true);
  get("k", 100, 110, std::nullopt, 1);
  EXPECT_TRUE(check().ok);
}

TEST_F(PlannedMoves, StaleReadWithoutAnyMoveIsLeftToLinearizability) {
  set("k", 0, 10, "a", 0);
  get("k", 100, 110, std::nullopt, 0);
  EXPECT_TRUE(check().ok);
  EXPECT_FALSE(check_linearizability(input()).ok);
}

TEST_F(PlannedMoves, MoveBeforeTheWriteChangesNothing) {
  change("k", 1, 0, 10, true);
  set("k", 20, 30, "a", 1);
  get("k", 100, 110, std::nullopt, 1);  // stale, but no move between: not this checker's
  EXPECT_TRUE(check().ok);
}

TEST_F(PlannedMoves, DeleteExpiryAndEvictionExplainAMiss) {
  set("d", 0, 10, "a", 0);
  add(OpKind::del, "d", 15, 18, RespValue::number(1)).node = 0;
  change("d", 1, 20, 30, true);
  get("d", 100, 110, std::nullopt, 1);
  set("t", 0, 10, "a", 0, /*ttl_ms=*/50);
  change("t", 1, 20, 30, true);
  get("t", 100, 110, std::nullopt, 1);  // its 50 ms ran out
  EXPECT_TRUE(check().ok);
  set("e", 0, 10, "a", 0);
  change("e", 1, 20, 30, true);
  get("e", 100, 110, std::nullopt, 1);
  EXPECT_FALSE(check().ok);
  may_evict = true;
  EXPECT_TRUE(check().ok);
}

TEST_F(PlannedMoves, WriteInFlightWithTheReadExplainsIt) {
  set("k", 0, 10, "a", 0);
  change("k", 1, 20, 30, true);
  add(OpKind::del, "k", 90, 0, std::nullopt).node = 1;  // outcome unknown, may have run
  get("k", 100, 110, std::nullopt, 1);
  EXPECT_TRUE(check().ok);
}

TEST_F(PlannedMoves, CounterCountingFromLowerAfterAPlannedMoveIsALoss) {
  add(OpKind::incr, "c", 0, 10, RespValue::number(1)).node = 0;
  add(OpKind::incr, "c", 20, 30, RespValue::number(2)).node = 0;
  change("c", 1, 40, 50, true);
  add(OpKind::incr, "c", 100, 110, RespValue::number(1)).node = 1;
  const CheckResult result = check();
  ASSERT_FALSE(result.ok);
  EXPECT_NE(result.problems[0].find("op1 INCR c -> :2"), std::string::npos) << result.problems[0];
  record.changes.back().planned = false;
  EXPECT_TRUE(check().ok);
}

// An INCR that got no reply may never have run, also when its node stops afterwards (a leaver
// retired once its slots moved: a crash that empties nothing the others hold): the count goes
// on from the acknowledged ones. It may still explain a jump, and a count that goes back is
// still caught.
TEST_F(PlannedMoves, UnansweredIncrOnANodeThatStopsMayNeverHaveRun) {
  add(OpKind::incr, "c", 0, 10, RespValue::number(1)).node = 0;
  add(OpKind::incr, "c", 20, 0, std::nullopt).node = 0;  // connection reset: no reply
  change("c", 0, 40, 50, true);
  change("c", 1, 40, 50, true);
  event(NodeEvent::Kind::crash, 60, 0);  // the leaver is stopped for good
  add(OpKind::incr, "c", 100, 110, RespValue::number(2)).node = 1;
  add(OpKind::incr, "c", 120, 130, RespValue::number(3)).node = 1;
  EXPECT_TRUE(check_linearizability(input()).ok);
  add(OpKind::incr, "c", 140, 150, RespValue::number(3)).node = 1;  // counted twice
  EXPECT_FALSE(check_linearizability(input()).ok);
}

TEST_F(PlannedMoves, UnansweredIncrBeforeACrashMayExplainAJumpButNotAFall) {
  add(OpKind::incr, "c", 0, 10, RespValue::number(1)).node = 0;
  add(OpKind::incr, "c", 20, 0, std::nullopt).node = 0;
  add(OpKind::incr, "c", 30, 40, RespValue::number(3)).node = 0;  // the unanswered one ran
  event(NodeEvent::Kind::crash, 60, 0);
  EXPECT_TRUE(check_linearizability(input()).ok);
  add(OpKind::incr, "c", 100, 110, RespValue::number(2)).node = 1;  // no slot change: a loss
  EXPECT_FALSE(check_linearizability(input()).ok);
}

// A key's TTL set on one node and read on another after it moved: the deadline is judged on
// the setter's clock, not on the reader's, which runs 300 ms ahead here.
TEST_F(PlannedMoves, ExpiryIsJudgedOnTheClockOfTheNodeThatSetIt) {
  NodeClock ahead{0, 300 * 1000, 0};
  auto run = [&](const char* checker) { return run_on_clocks(checker, {&clock, &ahead}); };
  set("k", 0, 10, "a", 0, /*ttl_ms=*/200);
  change("k", 0, 50, 60, true);
  change("k", 1, 50, 60, true);
  get("k", 150, 160, "a", 1);  // 150 ms in: alive, though n1's clock reads 450 ms
  EXPECT_TRUE(run("linearizability").ok) << run("linearizability").problems.at(0);
  EXPECT_TRUE(run("expiry").ok) << run("expiry").problems.at(0);
  get("k", 260, 270, "a", 1);  // past its 200 ms on n0's clock: expired
  EXPECT_FALSE(run("linearizability").ok);
  EXPECT_FALSE(run("expiry").ok);
}

// With replicas a TTL travels as an absolute time: set on n0, replicated to n2 (whose clock runs
// 300 ms behind), which was promoted and moved the key to n1 with what remained by its own clock.
// The read on n1 is late by n0's and n1's clocks but not by n2's: it passes only because n2
// served the key's slot in between.
TEST_F(PlannedMoves, ExpiryMayBeJudgedOnTheClockOfAnyNodeThatServedTheSlotSince) {
  NodeClock behind{0, -300 * 1000, 0};
  auto run = [&] { return run_on_clocks("expiry", {&clock, &clock, &behind}, true); };
  set("k", 0, 10, "a", 0, /*ttl_ms=*/200);
  get("k", 350, 360, "a", 1);
  EXPECT_FALSE(run().ok);
  record.claims[{2, cluster::key_slot("k")}] = {{100 * ms, 300 * ms}};
  EXPECT_TRUE(run().ok) << run().problems.at(0);
  get("k", 700, 710, "a", 1);  // late by every clock
  EXPECT_FALSE(run().ok);
}

// A key that moved with the time that remained of its TTL runs out on its new holder's clock:
// a forward jump there expires it early, and a miss is then no loss; without the jump it is.
TEST_F(PlannedMoves, KeyMayRunOutEarlyOnItsNewHoldersClock) {
  NodeClock jumps{0, 0, 0};
  auto check_lin = [&] {
    CheckInput in = input();
    in.clocks = {&clock, &jumps};
    return check_linearizability(in);
  };
  set("k", 0, 10, "a", 0, /*ttl_ms=*/200);
  get("k", 100, 110, std::nullopt, 1);  // 100 ms in: nobody's clock counted 200 ms
  EXPECT_FALSE(check_lin().ok);
  jumps.jump_wall(50 * ms, 500 * 1000);  // n1's wall clock leaps half a second at 50 ms
  EXPECT_TRUE(check_lin().ok);
}

// The setter's clock leaps half a second after the key moved away with the time that remained:
// the key is still alive on its new holder until that time has really passed.
TEST_F(PlannedMoves, SettersClockJumpAfterTheMoveDoesNotExpireTheKey) {
  NodeClock jumps{0, 0, 0};
  jumps.jump_wall(50 * ms, 500 * 1000);
  expect_moved_key_alive_then_expired({&jumps, &clock}, /*alive_ms=*/100, /*expired_ms=*/300);
}

// The new holder's clock steps back half a second after the key reached it with the time that
// remained: the key lives half a second longer there, as it would on one node whose clock steps
// back (at 300 ms it is past 200 ms on n0's clock, but n1 counted 0 ms since the move), and is
// expired only once its new holder's clock counted the rest.
TEST_F(PlannedMoves, NewHoldersClockStepBackAfterTheMoveKeepsTheKeyLonger) {
  NodeClock steps_back{0, 0, 0};
  steps_back.jump_wall(50 * ms, -500 * 1000);
  expect_moved_key_alive_then_expired({&clock, &steps_back}, /*alive_ms=*/300,
                                      /*expired_ms=*/800);
}

// Two moves, n0 to n1 to n2, and the middle holder's clock steps back half a second between
// them: n1 counted less of the TTL than passed, and handed n2 that much more. Judged on n0's
// and n2's clocks alone the key would be expired at 300 ms; through n1, which served the slot,
// it lives until n2 counted the rest.
TEST_F(PlannedMoves, AKeyMovedTwiceKeepsWhatTheMiddleHoldersClockStepBackGaveIt) {
  NodeClock steps_back{0, 0, 0};
  steps_back.jump_wall(40 * ms, -500 * 1000);
  const std::vector<const NodeClock*> clocks{&clock, &steps_back, &clock};
  set("k", 0, 10, "a", 0, /*ttl_ms=*/200);
  change("k", 0, 20, 30, true);
  change("k", 1, 20, 30, true);
  change("k", 1, 60, 70, true);
  change("k", 2, 60, 70, true);
  get("k", 300, 310, "a", 2);
  for (const char* checker : {"linearizability", "expiry"}) {
    EXPECT_FALSE(run_on_clocks(checker, clocks).ok) << checker << ": n1 not known as a holder";
  }
  record.claims[{1, cluster::key_slot("k")}] = {{20 * ms, 70 * ms}};
  for (const char* checker : {"linearizability", "expiry"}) {
    const CheckResult alive = run_on_clocks(checker, clocks);
    EXPECT_TRUE(alive.ok) << checker << ": " << (alive.problems.empty() ? "" : alive.problems[0]);
  }
  get("k", 800, 810, "a", 2);  // past the TTL however it travelled
  for (const char* checker : {"linearizability", "expiry"}) {
    EXPECT_FALSE(run_on_clocks(checker, clocks).ok) << checker;
  }
}

// Once keys move with their slot, a value written on one node is read on another.
TEST_F(PlannedMoves, ValueWrittenOnOneNodeIsReadOnAnother) {
  set("k", 0, 10, "a", 0);
  change("k", 0, 20, 30, true);
  change("k", 1, 20, 30, true);
  get("k", 100, 110, "a", 1);
  EXPECT_TRUE(check_linearizability(input()).ok);
  EXPECT_EQ(ReadsFrom(history, /*across_nodes=*/true).write_of(1), 0);
  EXPECT_EQ(ReadsFrom(history).write_of(1), -1);  // outside cluster mode each node is its own
  get("k", 120, 130, "b", 1);                     // nobody wrote b
  EXPECT_FALSE(check_linearizability(input()).ok);
}

TEST_F(PlannedMoves, LinearizabilityForgivesOnlyUnplannedResetsWhenMovesKeepData) {
  set("k", 0, 10, "a", 0);
  change("k", 1, 20, 30, true);
  get("k", 100, 110, std::nullopt, 1);
  EXPECT_FALSE(check_linearizability(input()).ok);
  CheckInput lenient = input();
  lenient.planned_moves_keep_data = false;  // every slot change may reset (no migration)
  EXPECT_TRUE(check_linearizability(lenient).ok);
  record.changes.back().planned = false;
  EXPECT_TRUE(check_linearizability(input()).ok);
}

// During a move the target answers ASKING requests for a slot it does not own yet: the answer
// stands on the claim of the owner that sent the -ASK.
TEST_F(PlannedMoves, AnswerAfterAskStandsOnTheSendersClaim) {
  const uint16_t slot = cluster::key_slot("k");
  record.claims[{0, slot}] = {{0, 200 * ms}};  // n0 owns the slot; n1 never claims it
  Op& asked = get("k", 100, 110, std::nullopt, 1);
  asked.asked_by = 0;
  EXPECT_TRUE(check_cluster_owned_reads(input(), record).ok);
  record.claims[{0, slot}] = {{0, 50 * ms}};  // the sender no longer owned it
  const CheckResult late = check_cluster_owned_reads(input(), record);
  ASSERT_FALSE(late.ok);
  EXPECT_NE(late.problems[0].find("after an -ASK from n0"), std::string::npos) << late.problems[0];
  history.ops.back().asked_by = -1;  // no ASK: n1 served a slot it never claimed
  EXPECT_FALSE(check_cluster_owned_reads(input(), record).ok);
}

// Maps of `shards` where slot 0 belongs to `owner0` and every other slot to the first shard.
SlotMapCopy map_of(std::vector<std::string> shards, uint16_t owner0) {
  SlotMapCopy map;
  map.shards = std::move(shards);
  map.owners.assign(constants::cluster_slots, 0);
  map.owners[0] = owner0;
  return map;
}

TEST(HandoffClassifier, JoinsAndGracefulLeavesArePlannedFailuresAreNot) {
  const SlotMapCopy before = map_of({"a", "b"}, 1);       // b owns slot 0
  const SlotMapCopy joined = map_of({"a", "b", "c"}, 2);  // c joined and took it
  const SlotMapCopy b_gone = map_of({"a", "c"}, 1);       // b removed, c has it
  const SlotMapCopy none;
  EXPECT_TRUE(HandoffClassifier::planned(0, true, "c", before, joined, {}));
  EXPECT_TRUE(HandoffClassifier::planned(0, false, "b", before, joined, {}));
  EXPECT_FALSE(HandoffClassifier::planned(0, true, "c", before, b_gone, {}));    // b failed
  EXPECT_TRUE(HandoffClassifier::planned(0, true, "c", before, b_gone, {"b"}));  // b left
  EXPECT_FALSE(HandoffClassifier::planned(0, false, "b", before, none, {}));
  EXPECT_TRUE(HandoffClassifier::planned(0, false, "b", before, none, {"b"}));
  EXPECT_TRUE(HandoffClassifier::planned(0, true, "a", none, before, {}));     // the first map
  EXPECT_FALSE(HandoffClassifier::planned(0, true, "b", before, before, {}));  // b came back
}

TEST(HandoffClassifier, RemembersTheLatestEarlierMap) {
  HandoffClassifier maps;
  maps.remember(3, map_of({"a"}, 0));
  maps.remember(5, map_of({"a", "b"}, 1));
  maps.remember(5, map_of({"x"}, 0));  // the first map of an epoch stays
  EXPECT_EQ(maps.before(3), nullptr);
  ASSERT_NE(maps.before(5), nullptr);
  EXPECT_EQ(maps.before(5)->shards.size(), 1u);
  ASSERT_NE(maps.before(9), nullptr);
  EXPECT_EQ(maps.before(9)->shards, (std::vector<std::string>{"a", "b"}));
}

std::string moves_scenario(const std::string& extra) {
  return R"(
name = "moves"
node = "ringcache"
duration_s = 8
liveness_s = 15
checkers = ["linearizability", "liveness", "cluster_single_writer", "cluster_coverage",
            "cluster_convergence", "cluster_owned_reads", "cluster_moves_keep_data"]
[cluster]
nodes = 4
mode = "cluster"
[[cluster.joins]]
at_ms = 3000
nodes = 1
[[cluster.leaves]]
at_ms = 5000
node = 0
[cluster.config]
cluster-node-timeout = 1000
[workload]
clients = 3
rate = 300
keys = 32
)" + extra;
}

TEST(PlannedMembership, ScenarioKeysForJoinsAndLeaves) {
  auto parsed = parse_scenario(moves_scenario(""), "test");
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  const ClusterModeOptions& mode = parsed.value().cluster.mode;
  ASSERT_EQ(mode.joins.size(), 1u);
  EXPECT_EQ(mode.joins[0].at_ns, 3'000'000'000);
  EXPECT_EQ(mode.late_total(), 1);
  ASSERT_EQ(mode.leaves.size(), 1u);
  EXPECT_EQ(mode.leaves[0].node, 0);
  // Every node late, or joins outside cluster mode: refused.
  EXPECT_FALSE(
      parse_scenario(moves_scenario("[[cluster.joins]]\nat_ms = 1\nnodes = 3\n"), "t").is_ok());
  EXPECT_FALSE(parse_scenario("[cluster]\nnodes = 3\n[[cluster.joins]]\nat_ms = 1\n", "t").is_ok());
}

RunReport run(const std::string& text, uint64_t seed) {
  auto parsed = parse_scenario(text, "test");
  EXPECT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  return on_own_thread([&] { return run_scenario(parsed.value(), seed); });
}

bool has_line(const std::vector<std::string>& lines, const std::string& part) {
  for (const std::string& line : lines) {
    if (line.find(part) != std::string::npos) return true;
  }
  return false;
}

// Reads only: nothing acknowledged can be lost, so a join and a leave must pass every checker —
// the leaver stopped for good and no longer expected to serve or converge.
TEST(PlannedMembership, JoinAndLeaveWithoutWritesPassEveryChecker) {
  auto parsed = parse_scenario(moves_scenario("[workload.mix]\nget = 1\n"), "test");
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  int answered_by_joiner = 0;
  const RunReport report = on_own_thread([&] {
    return run_scenario(parsed.value(), 1, [&](std::string_view line) {
      const bool answer = line.find("client c") != std::string_view::npos &&
                          line.find("-> (nil)") != std::string_view::npos;
      if (answer && line.find("] node 3") != std::string_view::npos) ++answered_by_joiner;
    });
  });
  EXPECT_TRUE(report.pass) << (report.failures.empty() ? "" : report.failures[0]);
  EXPECT_GT(answered_by_joiner, 0) << "the clients never learned of the node that joined";
  EXPECT_TRUE(has_line(report.options, "join of n3 at 3"));
  EXPECT_TRUE(has_line(report.notes, "leave of n0 (asked at 5"));
  EXPECT_TRUE(has_line(report.notes, "out of the configuration and stopped"));
  EXPECT_TRUE(has_line(report.notes, "n0 final: down"));
}

}  // namespace
}  // namespace ringcache::sim
