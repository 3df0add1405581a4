// The net.isolate_primaries fault: every primary cut off from every other host (replicas, other
// primaries, clients) for its duration, then healed; node roles from the scenario.

#include <gtest/gtest.h>

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "runtime/sim/cluster/cluster.h"
#include "runtime/sim/fault/injector.h"
#include "runtime/sim/own_thread.h"
#include "runtime/sim/scenario/scenario.h"
#include "runtime/sim/simulation.h"

namespace ringcache::sim {
namespace {

constexpr int64_t ms_ns = 1'000'000;
constexpr uint16_t port = 6379;

// Three toy nodes (n0 primary, n1 replica, n2 primary) and a client host c0.
struct ThreeNodes {
  Simulation sim{3};
  History history;
  Cluster cluster{sim, options(), node_factory("toy"), history, 1};
  SimRuntime* client = nullptr;

  static ClusterOptions options() {
    ClusterOptions out;
    out.nodes = 3;
    out.port = port;
    out.roles = {NodeRole::primary, NodeRole::replica, NodeRole::primary};
    return out;
  }
  ThreeNodes() {
    cluster.start();
    client = &sim.boot(sim.add_host("c0", "10.0.1.1"));
  }
  void run_until(int64_t at_ns) {
    sim.world().run([] { return false; }, at_ns);
  }
  // Connects, all at once, from each process to each node (in a fiber of the process); the
  // outcomes, known by `until_ns`.
  std::vector<std::optional<Errc>> connect(const std::vector<std::pair<SimRuntime*, int>>& probes,
                                           int64_t until_ns) {
    const size_t first = outcomes.size();
    for (const auto& probe : probes) {
      SimRuntime* from = probe.first;
      const int to = probe.second;
      std::optional<Errc>& outcome = outcomes.emplace_back();
      from->spawn("probe", [this, from, to, &outcome] {
        auto stream = from->connect(cluster.host(to).ip, port);
        outcome = stream ? Errc::ok : stream.status().code();
      });
    }
    auto known = [&] {
      for (size_t i = first; i < outcomes.size(); ++i) {
        if (!outcomes[i]) return false;
      }
      return true;
    };
    sim.world().run(known, until_ns);
    return std::vector<std::optional<Errc>>(outcomes.begin() + static_cast<std::ptrdiff_t>(first),
                                            outcomes.end());
  }
  std::deque<std::optional<Errc>> outcomes;  // outlive the probes, which write them
};

TEST(IsolatePrimaries, PrimariesCannotReachAnyoneDuringTheFaultAndCanAfter) {
  on_own_thread([] {
    ThreeNodes three;
    FaultEvent event;
    event.at_ns = 1000 * ms_ns;
    event.kind = fault_kind::isolate_primaries;
    event.duration_ns = 3000 * ms_ns;
    FaultInjector injector(three.sim, three.cluster, FaultPlan{{event}, {}});
    injector.start();
    Network& network = three.sim.network();
    const std::string n0 = "10.0.0.1", n1 = "10.0.0.2", n2 = "10.0.0.3", c0 = "10.0.1.1";

    SimRuntime* n0_process = three.cluster.process(0);
    SimRuntime* n1_process = three.cluster.process(1);
    using Outcomes = std::vector<std::optional<Errc>>;
    three.run_until(500 * ms_ns);  // before the fault: every node reachable
    EXPECT_EQ(three.connect({{n1_process, 0}}, 900 * ms_ns), Outcomes{Errc::ok});

    three.run_until(1100 * ms_ns);
    EXPECT_EQ(three.sim.faults().get(fault_kind::isolate_primaries), 1u);
    for (const auto& [a, b] : std::vector<std::pair<std::string, std::string>>{
             {n0, n1}, {n0, n2}, {n0, c0}, {n2, n1}, {n2, c0}}) {
      EXPECT_FALSE(network.link_up(a, b)) << a << " -> " << b;
      EXPECT_FALSE(network.link_up(b, a)) << b << " -> " << a;
    }
    EXPECT_TRUE(network.link_up(n1, c0));  // a replica and a client still talk
    EXPECT_TRUE(network.link_up(c0, n1));
    // Replica to primary, primary to primary, client to primary time out; client to replica
    // connects.
    EXPECT_EQ(
        three.connect({{n1_process, 0}, {n0_process, 2}, {three.client, 2}, {three.client, 1}},
                      3900 * ms_ns),
        (Outcomes{Errc::timed_out, Errc::timed_out, Errc::timed_out, Errc::ok}));
    EXPECT_LT(three.sim.world().now_ns(), 4000 * ms_ns);

    three.run_until(4100 * ms_ns);  // healed
    for (const std::string& a : three.sim.ips()) {
      for (const std::string& b : three.sim.ips()) EXPECT_TRUE(network.link_up(a, b));
    }
    EXPECT_EQ(three.connect({{n1_process, 0}, {n0_process, 2}, {three.client, 2}}, 5000 * ms_ns),
              (Outcomes{Errc::ok, Errc::ok, Errc::ok}));
    EXPECT_TRUE(three.cluster.shutdown());
  });
}

TEST(IsolatePrimaries, ScenarioRolesAreCheckedAndDefaultToPrimaries) {
  auto roles = [](const std::string& cluster) {
    return parse_scenario("[cluster]\n" + cluster, "roles.toml");
  };
  auto two = roles("nodes = 2\nroles = [\"replica\", \"primary\"]\n");
  ASSERT_TRUE(two.is_ok()) << two.status().to_string();
  EXPECT_EQ(two.value().cluster.roles,
            (std::vector<NodeRole>{NodeRole::replica, NodeRole::primary}));
  EXPECT_TRUE(roles("nodes = 2\n").value().cluster.roles.empty());  // every node a primary
  EXPECT_FALSE(roles("nodes = 2\nroles = [\"primary\"]\n").is_ok());
  EXPECT_FALSE(roles("nodes = 1\nroles = [\"leader\"]\n").is_ok());
  auto kind = parse_scenario(
      "[[faults.schedule]]\nat_ms = 10\nkind = \"net.isolate_primaries\"\nduration_ms = 5\n",
      "schedule.toml");
  ASSERT_TRUE(kind.is_ok()) << kind.status().to_string();
}

std::vector<FaultEvent> older_kinds(const FaultPlan& plan) {
  std::vector<FaultEvent> out;
  for (const FaultEvent& event : plan.events) {
    if (!late_fault_kind(event.kind)) out.push_back(event);
  }
  return out;
}

// The events of the older kinds (and the generator the runner goes on with) do not depend on
// the late kind: giving it a rate changes nothing else.
void expect_older_kinds_unchanged(const FaultPlanOptions& without, uint64_t seed) {
  FaultPlanOptions with = without;
  with.rates[fault_kind::isolate_primaries] = 2.0;
  Rng rng_with(seed), rng_without(seed);
  const FaultPlan plan_with = make_fault_plan(with, 3, 10'000 * ms_ns, rng_with);
  const FaultPlan plan_without = make_fault_plan(without, 3, 10'000 * ms_ns, rng_without);
  EXPECT_EQ(older_kinds(plan_with), older_kinds(plan_without)) << "seed " << seed;
  EXPECT_EQ(rng_with.next_u64(), rng_without.next_u64()) << "seed " << seed;
  if (!with.swarm) {
    EXPECT_GT(plan_with.events.size(), older_kinds(plan_with).size()) << "seed " << seed;
    EXPECT_EQ(plan_without.events.size(), older_kinds(plan_without).size());
  }
}

TEST(IsolatePrimaries, TheLateKindLeavesOlderKindsPlansAlone) {
  FaultPlanOptions rates;
  rates.rates = {{fault_kind::crash, 1.0}, {fault_kind::partition, 0.5}, {fault_kind::reset, 2.0}};
  FaultPlanOptions swarm;
  swarm.swarm = true;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    expect_older_kinds_unchanged(rates, seed);
    expect_older_kinds_unchanged(swarm, seed);
  }
}

}  // namespace
}  // namespace ringcache::sim
