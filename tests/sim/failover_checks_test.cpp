// The failover checkers on hand-made records and histories: two primaries of one shard
// accepting writes beyond the window, a WAIT-confirmed write lost while one node of its shard
// failed (and allowed once two did), a replica that did not reach its primary's keyspace, a
// shard left without a primary, a promotion that took too long; and a real-node run of a shard
// with a replica.

#include "runtime/sim/check/failover_checks.h"

#include <gtest/gtest.h>

#include "core/cluster/key_slot.h"
#include "runtime/sim/own_thread.h"
#include "runtime/sim/scenario/runner.h"
#include "runtime/sim/scenario/scenario.h"
#include "tests/support/history_builder.h"

namespace ringcache::sim {
namespace {

const std::string shard_a(40, 'a');
const std::string shard_b(40, 'b');

class FailoverChecks : public ::testing::Test, protected HistoryBuilder {
 protected:
  NodeClock clock{0, 0, 0};
  ClusterRecord record;

  FailoverChecks() {
    record.enabled = true;
    record.node_timeout_ns = 1000 * ms;
    record.allowed_overlap_ns = 2000 * ms;
  }
  CheckInput input() {
    CheckInput in{history, {&clock, &clock, &clock, &clock}, 100'000 * ms, false, true};
    in.cluster = &record;
    return in;
  }
  // n0 primary and n1 replica of shard a, n2 primary of shard b, from the start; n0 claims k's
  // slot throughout.
  void two_shards() {
    record.shard_members = {{shard_a, 0, 0, INT64_MAX}, {shard_a, 1, 0, INT64_MAX},
                            {shard_b, 2, 0, INT64_MAX}};
    record.claims[{0, cluster::key_slot("k")}] = {{0, INT64_MAX}};
  }
  Op& confirmed_set(const std::string& value, int64_t from_ms, int64_t to_ms, int acked) {
    Op& op = add(OpKind::set, "k", from_ms, to_ms, RespValue::simple("OK"), value);
    op.node = 0;
    op.wait_acked = acked;
    op.wait_complete_ns = (to_ms + 5) * ms;
    return op;
  }
  Op& get(int64_t from_ms, int64_t to_ms, std::optional<std::string> value) {
    Op& op =
        add(OpKind::get, "k", from_ms, to_ms, value ? RespValue::bulk(*value) : RespValue::null());
    op.node = 0;
    return op;
  }
  CheckResult kept() {
    const CheckInput in = input();
    const ReadsFrom reads_from(history, /*across_nodes=*/true);
    return check_wait_confirmed_kept(in, record, reads_from);
  }
};

TEST_F(FailoverChecks, TwoWritersOfOneShardBeyondTheWindowAreCaught) {
  record.writers = {{shard_a, 0, 0, 5000 * ms}, {shard_a, 1, 1000 * ms, INT64_MAX}};
  const CheckResult result = check_shard_single_primary(input(), record);
  ASSERT_FALSE(result.ok);
  EXPECT_NE(result.problems[0].find("n0 and n1 both accepted writes"), std::string::npos)
      << result.problems[0];
}

TEST_F(FailoverChecks, WritersWithinTheWindowOrOfOtherShardsPass) {
  record.writers = {{shard_a, 0, 0, 3000 * ms},
                    {shard_a, 1, 1500 * ms, INT64_MAX},  // 1.5 s together: within 2 s
                    {shard_b, 2, 0, INT64_MAX},
                    {shard_a, 0, 9000 * ms, 9100 * ms}};  // the same node again
  EXPECT_TRUE(check_shard_single_primary(input(), record).ok);
}

TEST_F(FailoverChecks, ConfirmedWriteLostWithOneFailureIsCaught) {
  two_shards();
  confirmed_set("a", 0, 10, 1);
  event(NodeEvent::Kind::crash, 50, 0);  // the primary alone
  get(100, 110, std::nullopt);
  const CheckResult result = kept();
  ASSERT_FALSE(result.ok);
  EXPECT_NE(result.problems[0].find("confirmed by WAIT and lost"), std::string::npos);
  EXPECT_NE(result.problems[0].find("n0 (shard aaaaaaaa)"), std::string::npos)
      << result.problems[0];
}

TEST_F(FailoverChecks, OlderValueAfterAConfirmedWriteIsALoss) {
  two_shards();
  add(OpKind::set, "k", 0, 5, RespValue::simple("OK"), "old").node = 0;
  confirmed_set("new", 10, 20, 1);
  get(100, 110, std::string("old"));
  EXPECT_FALSE(kept().ok);
}

TEST_F(FailoverChecks, LossAfterTwoFailuresOfTheShardIsAllowed) {
  two_shards();
  confirmed_set("a", 0, 10, 1);
  event(NodeEvent::Kind::crash, 50, 0);
  record.declared_failed.emplace_back(1, 60 * ms);  // its replica too
  get(100, 110, std::nullopt);
  const CheckResult result = kept();
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.counts[2].second, 1u);  // losses_after_two_failures
}

TEST_F(FailoverChecks, FailuresOfAnotherShardDoNotExcuseALoss) {
  two_shards();
  confirmed_set("a", 0, 10, 1);
  event(NodeEvent::Kind::crash, 50, 0);
  event(NodeEvent::Kind::crash, 60, 2);  // shard b's primary
  get(100, 110, std::nullopt);
  EXPECT_FALSE(kept().ok);
}

TEST_F(FailoverChecks, UnconfirmedWritesAndLaterWritesAreNotItsBusiness) {
  two_shards();
  confirmed_set("a", 0, 10, 0);  // WAIT answered 0: nothing promised
  get(100, 110, std::nullopt);
  confirmed_set("b", 200, 210, 1);
  add(OpKind::del, "k", 300, 310, RespValue::number(1)).node = 0;
  get(400, 410, std::nullopt);  // deleted after the confirmed write
  confirmed_set("c", 500, 510, 1);
  add(OpKind::set, "k", 600, 610, RespValue::simple("OK"), "d").node = 0;
  get(700, 710, std::string("d"));  // a later write's value
  EXPECT_TRUE(kept().ok);
}

TEST_F(FailoverChecks, ReplicaBehindItsPrimaryAtTheEndIsCaught) {
  record.final_nodes = {{true, true, shard_a, true, true, 11, 3, 100},
                        {true, true, shard_a, false, false, 12, 2, 90}};
  const CheckResult result = check_replica_convergence(record);
  ASSERT_FALSE(result.ok);
  EXPECT_NE(result.problems[0].find("replica n1 of shard aaaaaaaa did not converge"),
            std::string::npos)
      << result.problems[0];
  record.final_nodes[1].digest = 11;
  EXPECT_TRUE(check_replica_convergence(record).ok);
}

TEST_F(FailoverChecks, ShardWithoutAPrimaryAtTheEndIsCaught) {
  record.final_nodes = {{true, true, shard_a, true, false, 11, 3, 100},  // not accepting writes
                        {true, true, shard_a, false, false, 11, 3, 100}};
  EXPECT_FALSE(check_replica_convergence(record).ok);
}

TEST_F(FailoverChecks, SlowPromotionIsCaughtAndMeasured) {
  record.promotions = {{shard_a, 1, 1000 * ms, 2000 * ms, 2500 * ms}};
  CheckResult result = check_replica_convergence(record);
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.counts[4], (std::pair<std::string, uint64_t>{"promotion_after_failed_ms_max",
                                                                500}));
  record.promotions.push_back({shard_b, 2, 1000 * ms, 2000 * ms, 7000 * ms});  // 5 node timeouts
  result = check_replica_convergence(record);
  ASSERT_FALSE(result.ok);
  EXPECT_NE(result.problems[0].find("bound"), std::string::npos) << result.problems[0];
}

// Two shards of a primary and a replica each, under no faults: the replica follows, WAIT confirms, and
// every failover checker passes on the real node.
TEST(FailoverRun, ShardWithAReplicaPassesTheFailoverCheckers) {
  auto scenario = parse_scenario(R"(
name = "replica-pair"
duration_s = 8
liveness_s = 10
checkers = ["linearizability", "shard_single_primary", "wait_confirmed_kept",
            "replica_convergence", "cluster_coverage"]
[cluster]
nodes = 4
replicas = 1
mode = "cluster"
seeds = 2
[workload]
clients = 2
rate = 200
keys = 8
wait_percent = 50
)",
                                 "replica-pair.toml");
  ASSERT_TRUE(scenario.is_ok()) << scenario.status().to_string();
  const RunReport report = on_own_thread([&] { return run_scenario(scenario.value(), 1); });
  EXPECT_TRUE(report.pass) << (report.failures.empty() ? "" : report.failures[0]);
  uint64_t confirmed = 0;
  uint64_t replicas = 0;
  for (const auto& [name, count] : report.checked) {
    if (name == "wait_confirmed_kept.confirmed_writes") confirmed = count;
    if (name == "replica_convergence.replicas") replicas = count;
  }
  EXPECT_GT(confirmed, 0u);
  EXPECT_EQ(replicas, 2u);
}

}  // namespace
}  // namespace ringcache::sim
