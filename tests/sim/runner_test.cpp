// Whole runs from scenarios: determinism, the checkers against a deliberately buggy node, the
// regression list, and a RapidCheck property over small fault schedules.

#include "runtime/sim/scenario/runner.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/sim/cluster/sim_node.h"
#include "runtime/sim/own_thread.h"

namespace ringcache::sim {
namespace {

constexpr const char* small_scenario = R"(
name = "test"
node = "toy"
duration_s = 2
liveness_s = 3
[cluster]
nodes = 1
clock_skew_ms = 200
drift_ppm = 100
[workload]
clients = 3
rate = 500
keys = 4
ttl_ms = [20, 500]
set_ttl_percent = 30
)";

Scenario scenario(const std::string& extra = "", const std::string& node = "toy") {
  std::string text = small_scenario + extra;
  auto parsed = parse_scenario(text, "test");
  EXPECT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  Scenario out = parsed.value();
  out.node_kind = node;
  return out;
}

RunReport run(const Scenario& s, uint64_t seed) {
  return on_own_thread([&] { return run_scenario(s, seed); });
}

std::filesystem::path repo_root() {
  return std::filesystem::path(RINGCACHE_SOURCE_DIR);
}

TEST(Runner, SameSeedSameTraceHash) {
  const Scenario s = scenario("[faults]\nswarm = true\n");
  for (uint64_t seed : {1, 2, 3}) {
    const RunReport first = run(s, seed);
    const RunReport second = run(s, seed);
    EXPECT_EQ(first.trace_hex, second.trace_hex) << "seed " << seed;
    EXPECT_EQ(first.events, second.events);
    EXPECT_TRUE(first.pass) << (first.failures.empty() ? "" : first.failures[0]);
    EXPECT_GT(first.ops, 100u);
  }
}

TEST(Runner, DifferentSeedsDifferentRuns) {
  const Scenario s = scenario();
  EXPECT_NE(run(s, 1).trace_hex, run(s, 2).trace_hex);
}

TEST(Runner, CheckersCatchABuggyNode) {
  for (const char* bug : {"stale-read", "ignore-expiry", "lose-write"}) {
    Scenario s = scenario();
    s.duration_ns = 5'000'000'000;
    s.cluster.config.emplace_back("toy-bug", bug);
    EXPECT_FALSE(run(s, 1).pass) << bug;
  }
}

TEST(Runner, MemoryOverMaxmemoryIsCaught) {
  Scenario s = scenario();
  s.checkers.push_back("maxmemory");
  s.workload.keys = 500;
  s.cluster.config.emplace_back("maxmemory", "2000");  // the toy never evicts
  const RunReport report = run(s, 1);
  ASSERT_FALSE(report.pass);
  EXPECT_EQ(report.failures[0].rfind("maxmemory:", 0), 0u) << report.failures[0];
}

TEST(Runner, UnknownScenarioKeysAreErrors) {
  EXPECT_FALSE(parse_scenario(std::string(small_scenario) + "colour = 1\n", "t").is_ok());
  EXPECT_FALSE(parse_scenario("[faults.rates]\n\"node.explode\" = 1\n", "t").is_ok());
}

TEST(Runner, RegressionListPasses) {
  const auto list = repo_root() / "scenarios" / "regressions.txt";
  std::ifstream in(list);
  ASSERT_TRUE(in) << list;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string name;
    uint64_t seed = 0;
    if (!(fields >> name) || name[0] == '#' || !(fields >> seed)) continue;
    std::ifstream file(repo_root() / "scenarios" / name);
    std::stringstream text;
    text << file.rdbuf();
    auto parsed = parse_scenario(text.str(), name);
    ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
    const RunReport report = run(parsed.value(), seed);
    EXPECT_TRUE(report.pass) << name << " seed " << seed << ": "
                             << (report.failures.empty() ? "" : report.failures[0]);
  }
}

// The real node under a small generated fault schedule: every checker must pass, and the run
// must replay identically.
RC_GTEST_PROP(Runner, SingleNodeSurvivesGeneratedFaultSchedules, ()) {
  Scenario s = scenario("", "ringcache");
  const auto& kinds = fault_kinds();
  const auto count = *rc::gen::inRange<size_t>(0, 6);
  for (size_t i = 0; i < count; ++i) {
    FaultEvent event;
    event.at_ns = *rc::gen::inRange<int64_t>(0, 2000) * 1'000'000;
    event.kind = kinds[*rc::gen::inRange<size_t>(0, kinds.size())];
    event.duration_ns = *rc::gen::inRange<int64_t>(1, 1500) * 1'000'000;
    event.amount = *rc::gen::inRange<int64_t>(-2'000'000, 2'000'000);
    if (event.kind == "clock.drift") event.amount /= 1000;
    event.pick = *rc::gen::inRange<uint64_t>(0, 1000);
    s.faults.schedule.push_back(event);
  }
  std::stable_sort(s.faults.schedule.begin(), s.faults.schedule.end(),
                   [](const auto& a, const auto& b) { return a.at_ns < b.at_ns; });
  const auto seed = *rc::gen::inRange<uint64_t>(1, 1'000'000);
  const RunReport report = run(s, seed);
  if (!report.failures.empty()) RC_FAIL(report.failures[0]);
  RC_ASSERT(run(s, seed).trace_hex == report.trace_hex);
}

}  // namespace
}  // namespace ringcache::sim
