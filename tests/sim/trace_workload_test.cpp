// Simulated clients driven by a cache trace (runtime/sim/workload/key_source.h): the scenario
// file that replays the bundled CloudPhysics trace runs deterministically and passes its
// checkers, and the clients' keys follow the trace in its order, each miss filled by a SET.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/sim/own_thread.h"
#include "runtime/sim/scenario/runner.h"

namespace ringcache::sim {
namespace {

Scenario parse(const std::string& text, const std::string& source_name) {
  auto parsed = parse_scenario(text, source_name);
  EXPECT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  return parsed.is_ok() ? parsed.value() : Scenario{};
}

Scenario scenario_file(const std::string& name) {
  const std::filesystem::path path =
      std::filesystem::path(RINGCACHE_SOURCE_DIR) / "scenarios" / name;
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return parse(text.str(), path.string());
}

TEST(TraceWorkload, TraceScenarioRunsDeterministicallyAndPasses) {
  Scenario s = scenario_file("single-node-trace.toml");
  ASSERT_NE(s.workload.key_trace, nullptr);
  // The CloudPhysics sample as docs/eviction-lab.md describes it.
  EXPECT_EQ(s.workload.key_trace->requests.size(), 113'872u);
  EXPECT_EQ(s.workload.key_trace->objects, 48'974u);
  s.duration_ns = 3'000'000'000;
  const RunReport first = on_own_thread([&] { return run_scenario(s, 7); });
  const RunReport second = on_own_thread([&] { return run_scenario(s, 7); });
  for (const std::string& failure : first.failures) ADD_FAILURE() << failure;
  EXPECT_TRUE(first.pass);
  EXPECT_GT(first.ops, 2000u);
  EXPECT_EQ(first.trace_hex, second.trace_hex);
  EXPECT_EQ(first.ops, second.ops);
}

TEST(TraceWorkload, BadKeySourcesAreErrors) {
  const std::string head = "node = \"toy\"\n[workload]\n";
  EXPECT_FALSE(parse_scenario(head + "keys = { trace = \"no/such/file.bin\" }\n", "t").is_ok());
  EXPECT_FALSE(parse_scenario(head + "keys = { generator = \"zipf:x\" }\n", "t").is_ok());
  EXPECT_FALSE(parse_scenario(head + "keys = { objects = 5 }\n", "t").is_ok());
  // A key the source does not know (zipf's alpha goes in the pattern: "zipf:1.0").
  EXPECT_FALSE(
      parse_scenario(head + "keys = { generator = \"zipf:1.0\", requests = 10, alpha = 1 }\n", "t")
          .is_ok());
}

struct SeenOp {
  int client;
  std::string kind;
  std::string key;
  std::string reply;
};

TEST(TraceWorkload, ClientsFollowTheTraceAndFillMisses) {
  Scenario s = parse(R"(
node = "ringcache"
duration_s = 2
checkers = ["linearizability", "stale_read"]
[cluster]
nodes = 1
[cluster.config]
maxmemory = "64kb"
maxmemory-policy = "allkeys-sieve"
[workload]
clients = 3
rate = 1000
keys = { generator = "zipf:1.0", objects = 400, requests = 5000, seed = 3 }
fill_on_miss = true
set_ttl_percent = 0
[workload.mix]
get = 100
)",
                     "inline");
  ASSERT_NE(s.workload.key_trace, nullptr);
  // Every completed operation as the trace log writes it, by operation id (= invocation order).
  std::map<uint64_t, SeenOp> ops;
  const std::regex line(R"(client c(\d+) op(\d+) (GET|SET) (\S+) .*-> (.*) \[)");
  const RunReport report = on_own_thread([&] {
    return run_scenario(s, 11, [&](std::string_view text) {
      std::cmatch m;
      if (!std::regex_search(text.begin(), text.end(), m, line)) return;
      ops[std::stoull(m[2])] = SeenOp{std::stoi(m[1]), m[3], m[4], m[5]};
    });
  });
  for (const std::string& failure : report.failures) ADD_FAILURE() << failure;
  ASSERT_GT(ops.size(), 500u);
  // The GETs, in invocation order, are the trace's requests from its start.
  size_t next = 0;
  std::map<int, const SeenOp*> last_of_client;
  int fills = 0;
  int hits = 0;
  for (const auto& [id, op] : ops) {
    const SeenOp* before = last_of_client[op.client];
    if (op.kind == "GET") {
      ASSERT_LT(next, s.workload.key_trace->requests.size());
      EXPECT_EQ(op.key, "k" + std::to_string(s.workload.key_trace->requests[next++].object))
          << "op " << id;
      hits += op.reply != "(nil)" ? 1 : 0;
    } else {
      // A SET only ever fills the key its client's GET just missed.
      ASSERT_NE(before, nullptr) << "op " << id;
      EXPECT_EQ(before->kind, "GET");
      EXPECT_EQ(before->reply, "(nil)");
      EXPECT_EQ(before->key, op.key);
      ++fills;
    }
    last_of_client[op.client] = &op;
  }
  EXPECT_GT(fills, 0);
  EXPECT_GT(hits, 0);
}

}  // namespace
}  // namespace ringcache::sim
