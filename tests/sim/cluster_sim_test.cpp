// The simulator's cluster mode on the toy node's fixed-map cluster: clients route by slot and
// follow -MOVED, the cluster checkers pass a correct cluster and catch a broken one, and the
// linearizability checker lets a key reset only where its slot changed hands.

#include <gtest/gtest.h>

#include "core/cluster/key_slot.h"
#include "runtime/sim/check/linearizability.h"
#include "runtime/sim/own_thread.h"
#include "runtime/sim/scenario/runner.h"
#include "runtime/sim/workload/cluster_routing.h"
#include "tests/support/history_builder.h"

namespace ringcache::sim {
namespace {

constexpr int toy_nodes = 4;

std::string toy_cluster(const std::string& config = "") {
  return R"(
name = "toy-cluster"
node = "toy"
duration_s = 3
liveness_s = 5
checkers = ["linearizability", "expiry", "liveness", "cluster_single_writer",
            "cluster_coverage", "cluster_convergence", "cluster_owned_reads"]
[cluster]
nodes = 4
mode = "cluster"
seeds = 4
clock_skew_ms = 200
drift_ppm = 100
[workload]
clients = 5
rate = 800
keys = 30
[cluster.config]
)" + config;
}

RunReport run(const std::string& text, uint64_t seed) {
  auto parsed = parse_scenario(text, "test");
  EXPECT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  return on_own_thread([&] { return run_scenario(parsed.value(), seed); });
}

bool failed(const RunReport& report, const std::string& checker) {
  for (const std::string& failure : report.failures) {
    if (failure.rfind(checker + ":", 0) == 0) return true;
  }
  return false;
}

// The toy's fixed map: member i owns an equal run of slots.
int toy_owner(const std::string& key) {
  return static_cast<int>(uint64_t{cluster::key_slot(key)} * toy_nodes / constants::cluster_slots);
}

TEST(ClusterSim, ToyClusterPassesEveryClusterChecker) {
  for (uint64_t seed : {1, 2, 3}) {
    const RunReport report = run(toy_cluster(), seed);
    EXPECT_TRUE(report.pass) << "seed " << seed << ": "
                             << (report.failures.empty() ? "" : report.failures[0]);
    EXPECT_GT(report.ops, 1000u);
  }
}

TEST(ClusterSim, ClientsAnswerFromTheOwner) {
  auto parsed = parse_scenario(toy_cluster(), "test");
  ASSERT_TRUE(parsed.is_ok());
  std::vector<std::string> described;
  int redirected = 0;
  int answered = 0;
  on_own_thread([&] {
    return run_scenario(parsed.value(), 7,
                        [&](std::string_view line) { described.emplace_back(line); });
  });
  // Every answered operation names its node; the node must be the key's owner.
  for (const std::string& line : described) {
    const size_t op = line.find(" op");
    const size_t arrow = line.find(" -> ");
    const size_t node = line.find("] node ");
    if (op == std::string::npos || arrow == std::string::npos || node == std::string::npos) {
      continue;
    }
    if (line.find("-> ?") != std::string::npos || line.find("-> -") != std::string::npos) continue;
    const size_t key_at = line.find(' ', line.find(' ', op + 1) + 1) + 1;
    const std::string key = line.substr(key_at, line.find(' ', key_at) - key_at);
    const int by = std::stoi(line.substr(node + 7));
    EXPECT_EQ(by, toy_owner(key)) << line;
    ++answered;
    if (line.find("redirect") != std::string::npos) ++redirected;
  }
  EXPECT_GT(answered, 500);
  EXPECT_EQ(redirected, 0) << "the toy's map never changes: learned from CLUSTER SLOTS, it sends "
                              "every key straight to its owner";
}

TEST(ClusterSim, ServingAnotherNodesSlotIsCaught) {
  const RunReport report = run(toy_cluster("toy-bug = \"serve-any-slot\"\n"), 1);
  EXPECT_TRUE(failed(report, "cluster_owned_reads"));
}

TEST(ClusterSim, TwoClaimantsOfASlotAreCaught) {
  const RunReport report = run(toy_cluster("toy-bug = \"claim-every-slot\"\n"), 1);
  EXPECT_TRUE(failed(report, "cluster_single_writer"));
  EXPECT_TRUE(failed(report, "cluster_convergence"));
}

TEST(ClusterRouting, ParsesRedirects) {
  auto moved = parse_redirect("MOVED 3999 10.0.0.2:6379");
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->kind, ClusterRedirect::Kind::moved);
  EXPECT_EQ(moved->slot, 3999);
  EXPECT_EQ(moved->address, "10.0.0.2:6379");
  auto ask = parse_redirect("ASK 12 10.0.0.3:6379");
  ASSERT_TRUE(ask);
  EXPECT_EQ(ask->kind, ClusterRedirect::Kind::ask);
  EXPECT_EQ(parse_redirect("CLUSTERDOWN The cluster is down")->kind, ClusterRedirect::Kind::retry);
  EXPECT_EQ(parse_redirect("TRYAGAIN Multiple keys request during rehashing")->kind,
            ClusterRedirect::Kind::retry);
  EXPECT_FALSE(parse_redirect("ERR wrong number of arguments"));
  EXPECT_FALSE(parse_redirect("MOVED 99999 10.0.0.2:6379"));
  EXPECT_FALSE(parse_redirect("MOVED x"));
}

TEST(ClusterRouting, LearnsClusterSlots) {
  SlotBelief belief({"10.0.0.1:6379", "10.0.0.2:6379"});
  auto entry = [](int64_t first, int64_t last, std::string ip) {
    RespValue address{
        RespValue::Type::array,
        {},
        0,
        {RespValue::bulk(std::move(ip)), RespValue::number(6379), RespValue::bulk("id")}};
    return RespValue{RespValue::Type::array,
                     {},
                     0,
                     {RespValue::number(first), RespValue::number(last), address}};
  };
  RespValue reply{
      RespValue::Type::array, {}, 0, {entry(0, 99, "10.0.0.2"), entry(100, 16383, "10.0.0.1")}};
  ASSERT_TRUE(belief.learn_cluster_slots(reply));
  EXPECT_EQ(belief.owner(0), 1);
  EXPECT_EQ(belief.owner(99), 1);
  EXPECT_EQ(belief.owner(100), 0);
  EXPECT_FALSE(belief.learn_cluster_slots(RespValue::error("ERR no cluster")));
  EXPECT_EQ(belief.owner(100), 0);
}

class ClusterLinearizability : public ::testing::Test, protected HistoryBuilder {
 protected:
  NodeClock clock{0, 0, 0};
  ClusterRecord record;

  CheckResult check() {
    record.enabled = true;
    CheckInput input{history, {&clock, &clock}, 1000 * 1000 * ms, false, true};
    input.cluster = &record;
    return check_linearizability(input);
  }
};

TEST_F(ClusterLinearizability, KeyMayResetWhereItsSlotChangedHands) {
  add(OpKind::set, "k", 0, 10, RespValue::simple("OK"), "a").node = 0;
  add(OpKind::get, "k", 100, 110, RespValue::null()).node = 1;
  record.changes.push_back({cluster::key_slot("k"), 0, 20, 30});
  EXPECT_TRUE(check().ok);
}

TEST_F(ClusterLinearizability, KeyMustNotResetOtherwise) {
  add(OpKind::set, "k", 0, 10, RespValue::simple("OK"), "a").node = 0;
  add(OpKind::get, "k", 100, 110, RespValue::null()).node = 1;
  record.changes.push_back({static_cast<uint16_t>(cluster::key_slot("k") + 1), 0, 20, 30});
  EXPECT_FALSE(check().ok);
}

TEST_F(ClusterLinearizability, OldValueMustNotReturnAfterANewerWriteElsewhere) {
  add(OpKind::set, "k", 0, 10, RespValue::simple("OK"), "a").node = 0;
  record.changes.push_back({cluster::key_slot("k"), 0, 20, 30});
  add(OpKind::set, "k", 40, 50, RespValue::simple("OK"), "b").node = 1;
  record.changes.push_back({cluster::key_slot("k"), 1, 60, 70});
  add(OpKind::get, "k", 100, 110, RespValue::bulk("a")).node = 0;  // stale: b was acknowledged
  EXPECT_FALSE(check().ok);
}

}  // namespace
}  // namespace ringcache::sim
