// Blocking list commands on a real node in the simulator, on virtual time: FIFO serving, the
// writer's next command coming after the served clients, timeouts, disconnects; and, over many
// seeds, a checker of random blocking histories of lists (BLPOP/RPUSH) and sorted sets
// (BZPOPMIN/ZADD): no element lost or duplicated, no lost wake-up, every timeout honoured within
// a bound.

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "runtime/sim/own_thread.h"
#include "tests/support/node_sim.h"

namespace ringcache::sim {
namespace {

using namespace std::chrono_literals;
constexpr int64_t ms_ns = 1'000'000;
constexpr int64_t second_ns = 1000 * ms_ns;
// How late a timed-out reply may reach a client: network latency and scheduling, not seconds.
constexpr int64_t timeout_slack_ns = 200 * ms_ns;

RespValue pair(const std::string& key, const std::string& element) {
  RespValue value;
  value.type = RespValue::Type::array;
  value.items = {RespValue::bulk(key), RespValue::bulk(element)};
  return value;
}

RespValue null_array() {
  // The simulator's RESP2 reader reads *-1 as null.
  return RespValue::null();
}

// Blocks `count` clients on BLPOP q 0 one after the other (each is parked before the next
// starts), recording their replies in `replies`.
void block_in_order(NodeSim& sim, size_t count, std::vector<std::optional<RespValue>>& replies,
                    const std::string& timeout = "0") {
  replies.resize(count);
  for (size_t i = 0; i < count; ++i) {
    sim.client("blocker", [&replies, i, timeout](SimConnection& c) {
      replies[i] = c.call({"BLPOP", "q", timeout});
    });
    sim.run_until([&] { return sim.blocked() == i + 1; }, second_ns);
    ASSERT_EQ(sim.blocked(), i + 1);
  }
}

TEST(BlockingSim, ClientsAreServedInTheOrderTheyBlocked) {
  on_own_thread([] {
    NodeSim sim(1);
    std::vector<std::optional<RespValue>> replies;
    block_in_order(sim, 3, replies);
    std::optional<RespValue> pushed;
    sim.client("pusher", [&](SimConnection& c) { pushed = c.call({"RPUSH", "q", "a", "b", "c"}); });
    // Every reply, not only the last: which connection's reply arrives first depends on how the
    // simulator interleaves the node's fibers, and the elements each got is what shows the order.
    sim.run_until([&] {
      return pushed.has_value() && std::all_of(replies.begin(), replies.end(),
                                               [](const auto& reply) { return reply.has_value(); });
    }, second_ns);
    EXPECT_EQ(pushed, RespValue::number(3));
    EXPECT_EQ(replies[0], pair("q", "a"));
    EXPECT_EQ(replies[1], pair("q", "b"));
    EXPECT_EQ(replies[2], pair("q", "c"));
    EXPECT_EQ(sim.blocked(), 0u);
  });
}

// The writer's pipelined LPOP runs after the blocked client was served: it finds nothing.
TEST(BlockingSim, BlockedClientGoesBeforeTheWritersNextCommand) {
  on_own_thread([] {
    NodeSim sim(2);
    std::vector<std::optional<RespValue>> replies;
    block_in_order(sim, 1, replies);
    std::vector<std::optional<RespValue>> writer;
    sim.client("writer", [&](SimConnection& c) {
      c.send({"RPUSH", "q", "x"});
      c.send({"LPOP", "q"});
      writer.push_back(c.receive());
      writer.push_back(c.receive());
    });
    sim.run_until([&] { return writer.size() == 2 && replies[0].has_value(); }, second_ns);
    EXPECT_EQ(replies[0], pair("q", "x"));
    ASSERT_EQ(writer.size(), 2u);
    EXPECT_EQ(writer[0], RespValue::number(1));
    EXPECT_EQ(writer[1], RespValue::null());
  });
}

TEST(BlockingSim, TimeoutIsKeptInVirtualTime) {
  on_own_thread([] {
    NodeSim sim(3);
    std::optional<RespValue> reply;
    int64_t took_ns = 0;
    sim.client("blocker", [&](SimConnection& c) {
      const Instant started = sim.client_runtime().now();
      reply = c.call({"BLPOP", "q", "5"});
      took_ns = (sim.client_runtime().now() - started).count();
    });
    sim.run_until([&] { return reply.has_value(); }, 60 * second_ns);
    EXPECT_EQ(reply, null_array());
    EXPECT_GE(took_ns, 5 * second_ns);
    EXPECT_LT(took_ns, 5 * second_ns + timeout_slack_ns);
    EXPECT_EQ(sim.blocked(), 0u);
  });
}

// As Redis: a blocking command's duration (slow log, LATENCY HISTOGRAM) is its work, not its
// wait, and one whose wait timed out records none.
TEST(BlockingSim, WaitingIsNoPartOfACommandsDuration) {
  on_own_thread([] {
    NodeSim sim(4);
    std::optional<RespValue> timed_out, served, slowlog, histogram;
    sim.client("admin", [&](SimConnection& c) {
      EXPECT_EQ(c.call({"CONFIG", "SET", "slowlog-log-slower-than", "0"}),
                RespValue::simple("OK"));
      EXPECT_EQ(c.call({"SLOWLOG", "RESET"}), RespValue::simple("OK"));
      timed_out = c.call({"BLPOP", "nothing", "0.2"});
    });
    sim.run_until([&] { return timed_out.has_value(); }, 5 * second_ns);
    EXPECT_EQ(timed_out, null_array());
    std::vector<std::optional<RespValue>> blocked;
    block_in_order(sim, 1, blocked, "5");
    sim.client("pusher", [&](SimConnection& c) {
      sim.client_runtime().sleep_for(500ms);
      EXPECT_EQ(c.call({"RPUSH", "q", "x"}), RespValue::number(1));
      sim.client_runtime().sleep_for(100ms);
      slowlog = c.call({"SLOWLOG", "GET", "100"});
      histogram = c.call({"LATENCY", "HISTOGRAM", "blpop"});
    });
    sim.run_until([&] { return histogram.has_value(); }, 5 * second_ns);
    ASSERT_TRUE(slowlog.has_value() && histogram.has_value());
    EXPECT_EQ(blocked[0], pair("q", "x"));
    // Entries: [id, time, microseconds, [argv...], addr, name]; only the served BLPOP is there.
    std::vector<int64_t> blpop_us;
    for (const RespValue& entry : slowlog->items) {
      if (entry.items.size() > 3 && !entry.items[3].items.empty() &&
          entry.items[3].items[0].text == "BLPOP") {
        blpop_us.push_back(entry.items[2].integer);
      }
    }
    ASSERT_EQ(blpop_us.size(), 1u) << slowlog->describe();
    EXPECT_LT(blpop_us[0], 100'000);  // it waited 500 ms
    // [name, [calls, n, histogram_usec, ...]]: one call, the served one.
    ASSERT_EQ(histogram->items.size(), 2u) << histogram->describe();
    EXPECT_EQ(histogram->items[1].items.at(1), RespValue::number(1));
  });
}

// A blocked client that disconnects leaves the queue: the element goes to the next waiter, and
// with none left it stays in the list.
TEST(BlockingSim, DisconnectedClientIsNotServed) {
  on_own_thread([] {
    NodeSim sim(4);
    bool closed = false;
    sim.client("leaver", [&](SimConnection& c) {
      c.send({"BLPOP", "q", "0"});
      sim.client_runtime().sleep_for(100ms);
      c.close();
      closed = true;
    });
    sim.run_until([&] { return closed && sim.blocked() == 0; }, second_ns);
    ASSERT_EQ(sim.blocked(), 0u);
    std::optional<RespValue> range;
    sim.client("pusher", [&](SimConnection& c) {
      (void)c.call({"RPUSH", "q", "a"});
      range = c.call({"LRANGE", "q", "0", "-1"});
    });
    sim.run_until([&] { return range.has_value(); }, second_ns);
    RespValue expected;
    expected.type = RespValue::Type::array;
    expected.items = {RespValue::bulk("a")};
    EXPECT_EQ(range, expected);
  });
}

TEST(BlockingSim, ClientKillEndsTheWait) {
  on_own_thread([] {
    NodeSim sim(5);
    std::vector<std::optional<RespValue>> replies;
    block_in_order(sim, 1, replies);
    std::optional<RespValue> killed;
    sim.client("killer", [&](SimConnection& c) { killed = c.call({"CLIENT", "KILL", "ID", "1"}); });
    sim.run_until([&] { return killed.has_value() && sim.blocked() == 0; }, second_ns);
    EXPECT_EQ(killed, RespValue::number(1));
    EXPECT_EQ(sim.blocked(), 0u);
  });
}

// --- random histories ----------------------------------------------------------------------------

struct PopRecord {
  int64_t started_ns = 0;
  int64_t ended_ns = -1;  // -1: still waiting when the run ended
  int64_t timeout_ms = 0;
  std::optional<RespValue> reply;
};

struct History {
  std::vector<std::string> pushed;
  std::vector<PopRecord> pops;
  std::vector<std::string> left;  // LRANGE of both keys at the end
  size_t blocked_at_end = 0;
  int64_t end_ns = 0;
};

// The checker: every pushed element is popped at most once or left in a list; nothing popped
// was never pushed; timed-out pops waited their timeout (and not much longer); pops still
// waiting at the end have an unlimited timeout, and then nothing is left to give them.
std::vector<std::string> check_history(const History& history) {
  std::vector<std::string> problems;
  std::multiset<std::string> taken(history.left.begin(), history.left.end());
  for (const PopRecord& pop : history.pops) {
    if (pop.ended_ns < 0) {
      if (pop.timeout_ms != 0 &&
          history.end_ns > pop.started_ns + pop.timeout_ms * ms_ns + timeout_slack_ns) {
        problems.push_back("a pop outlived its timeout");
      }
      continue;
    }
    const int64_t took = pop.ended_ns - pop.started_ns;
    if (pop.reply && pop.reply->type == RespValue::Type::array) {
      taken.insert(pop.reply->items.at(1).text);
    } else if (pop.reply == RespValue::null()) {
      if (pop.timeout_ms == 0) problems.push_back("a pop without timeout timed out");
      if (took < pop.timeout_ms * ms_ns) problems.push_back("a pop timed out early");
      if (took > pop.timeout_ms * ms_ns + timeout_slack_ns) problems.push_back("timed out late");
    } else {
      problems.push_back("unexpected reply " + (pop.reply ? pop.reply->describe() : "none"));
    }
  }
  const std::multiset<std::string> pushed(history.pushed.begin(), history.pushed.end());
  if (taken != pushed) problems.push_back("elements lost or duplicated");
  if (history.blocked_at_end > 0 && !history.left.empty()) {
    problems.push_back("a client waits while its keys hold elements (lost wake-up)");
  }
  return problems;
}

// The commands a random history uses: lists or sorted sets. Both pops reply [key, element, ...].
struct BlockingFamily {
  std::string pop;        // takes the keys then the timeout
  std::string push;       // takes a key then its elements' arguments
  bool scored = false;    // each element preceded by a score (ZADD)
  std::string range;      // takes a key, 0, -1
};
const BlockingFamily lists{"BLPOP", "RPUSH", false, "LRANGE"};
const BlockingFamily zsets{"BZPOPMIN", "ZADD", true, "ZRANGE"};

History random_history(uint64_t seed, const BlockingFamily& family) {
  NodeSim sim(seed);
  Rng rng(seed);
  History history;
  const int64_t timeouts_ms[] = {0, 50, 200, 1000};
  for (int b = 0; b < 4; ++b) {
    const uint64_t blocker_seed = rng.next_u64();
    sim.client("blocker", [&, blocker_seed](SimConnection& c) {
      Rng mine(blocker_seed);
      for (int round = 0; round < 12; ++round) {
        PopRecord& pop = history.pops.emplace_back();
        const size_t index = history.pops.size() - 1;
        pop.timeout_ms = timeouts_ms[mine.below(4)];
        pop.started_ns = sim.now_ns();
        auto reply =
            c.call({family.pop, "q0", "q1", fmt::format("{}", pop.timeout_ms / 1000.0)});
        if (!reply) return;
        history.pops[index].reply = reply;
        history.pops[index].ended_ns = sim.now_ns();
      }
    });
  }
  int pushers_done = 0;
  for (int p = 0; p < 2; ++p) {
    const uint64_t pusher_seed = rng.next_u64();
    sim.client("pusher", [&, p, pusher_seed](SimConnection& c) {
      Rng mine(pusher_seed);
      for (int n = 0; n < 15; ++n) {
        sim.client_runtime().sleep_for(std::chrono::milliseconds(mine.below(300)));
        const std::string key = mine.below(2) == 0 ? "q0" : "q1";
        std::vector<std::string> argv{family.push, key};
        for (uint64_t i = 0, count = 1 + mine.below(3); i < count; ++i) {
          if (family.scored) argv.push_back(fmt::format("{}", mine.below(10)));
          argv.push_back(fmt::format("p{}-{}-{}", p, n, i));
          history.pushed.push_back(argv.back());
        }
        (void)c.call(argv);
      }
      ++pushers_done;
    });
  }
  sim.run_until([&] { return pushers_done == 2; }, 60 * second_ns);
  sim.run_until([] { return false; }, 2 * second_ns);
  bool read = false;
  sim.client("reader", [&](SimConnection& c) {
    for (const char* key : {"q0", "q1"}) {
      auto range = c.call({family.range, key, "0", "-1"});
      if (range) {
        for (const auto& item : range->items) history.left.push_back(item.text);
      }
    }
    read = true;
  });
  sim.run_until([&] { return read; }, second_ns);
  history.blocked_at_end = sim.blocked();
  history.end_ns = sim.now_ns();
  return history;
}

void expect_random_histories_pass(const BlockingFamily& family, uint64_t seeds) {
  size_t served = 0;
  size_t timed_out = 0;
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    const History history =
        on_own_thread([seed, &family] { return random_history(seed, family); });
    EXPECT_FALSE(history.pushed.empty());
    for (const PopRecord& pop : history.pops) {
      if (pop.reply == RespValue::null()) ++timed_out;
      if (pop.reply && pop.reply->type == RespValue::Type::array) ++served;
    }
    for (const std::string& problem : check_history(history)) {
      ADD_FAILURE() << "seed " << seed << ": " << problem;
    }
  }
  // The histories exercise both endings of a wait.
  EXPECT_GT(served, 5 * seeds);
  EXPECT_GT(timed_out, 5 * seeds);
}

TEST(BlockingSim, RandomHistoriesPassTheChecker) { expect_random_histories_pass(lists, 20); }

TEST(BlockingSim, RandomSortedSetHistoriesPassTheChecker) {
  expect_random_histories_pass(zsets, 10);
}

// The checker itself catches what it looks for.
TEST(BlockingSim, CheckerCatchesLostAndDuplicatedElementsAndLateTimeouts) {
  History lost;
  lost.pushed = {"a", "b"};
  lost.pops.push_back({0, 10, 0, pair("q0", "a")});
  EXPECT_FALSE(check_history(lost).empty());
  History duplicated = lost;
  duplicated.left = {"b"};
  EXPECT_TRUE(check_history(duplicated).empty());
  duplicated.pops.push_back({0, 10, 0, pair("q0", "a")});
  EXPECT_FALSE(check_history(duplicated).empty());
  History late;
  late.pops.push_back({0, 5 * second_ns, 1000, RespValue::null()});
  EXPECT_FALSE(check_history(late).empty());
  History wakeup;
  wakeup.pushed = {"a"};
  wakeup.left = {"a"};
  wakeup.blocked_at_end = 1;
  EXPECT_FALSE(check_history(wakeup).empty());
}

}  // namespace
}  // namespace ringcache::sim
