// CLIENT PAUSE, CLIENT UNPAUSE and DEBUG SLEEP on a real node in the simulator, on virtual time:
// which commands wait, until when, and what a client that leaves while waiting leaves behind.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "runtime/sim/own_thread.h"
#include "tests/support/node_sim.h"

namespace ringcache::sim {
namespace {

constexpr int64_t ms_ns = 1'000'000;
constexpr int64_t second_ns = 1000 * ms_ns;
// A command that does not wait answers within this (network latency, scheduling).
constexpr int64_t prompt_ns = 50 * ms_ns;

// One command's reply and the virtual time it arrived.
struct Answer {
  std::optional<RespValue> reply;
  int64_t at_ns = -1;
  bool arrived() const { return at_ns >= 0; }
};

// Sends `argv` on a new connection; `answer` gets the reply and its arrival time.
void call_later(NodeSim& sim, const std::vector<std::string>& argv, Answer& answer) {
  sim.client("caller", [&sim, argv, &answer](SimConnection& c) {
    answer.reply = c.call(argv);
    answer.at_ns = sim.now_ns();
  });
}

// Pauses the node with `argv` (CLIENT PAUSE ... or DEBUG SLEEP ...) from a client of its own and
// returns the virtual time the pause began (when the command was sent).
int64_t pause_now(NodeSim& sim, const std::vector<std::string>& argv) {
  const int64_t began = sim.now_ns();
  Answer answer;
  call_later(sim, argv, answer);
  if (argv[0] == "DEBUG") return began;  // its own reply comes at the end of the sleep
  sim.run_until([&] { return answer.arrived(); }, second_ns);
  EXPECT_EQ(answer.reply, RespValue::simple("OK"));
  return began;
}

TEST(ClientPauseSim, PauseAllHoldsEveryCommandUntilItEnds) {
  on_own_thread([] {
    NodeSim sim(1);
    const int64_t began = pause_now(sim, {"CLIENT", "PAUSE", "500"});
    Answer get, ping;
    call_later(sim, {"GET", "k"}, get);
    call_later(sim, {"PING"}, ping);
    sim.run_until([&] { return sim.blocked() == 2; }, second_ns);
    EXPECT_EQ(sim.blocked(), 2u);
    sim.run_until([&] { return get.arrived() && ping.arrived(); }, 2 * second_ns);
    EXPECT_EQ(get.reply, RespValue::null());
    EXPECT_EQ(ping.reply, RespValue::simple("PONG"));
    EXPECT_GE(get.at_ns, began + 500 * ms_ns);
    EXPECT_GE(ping.at_ns, began + 500 * ms_ns);
    EXPECT_LT(get.at_ns, began + 500 * ms_ns + prompt_ns);
    EXPECT_EQ(sim.blocked(), 0u);
  });
}

TEST(ClientPauseSim, PauseWriteHoldsOnlyWhatMayWrite) {
  on_own_thread([] {
    NodeSim sim(2);
    const int64_t began = pause_now(sim, {"CLIENT", "PAUSE", "500", "WRITE"});
    Answer get, set, publish;
    call_later(sim, {"GET", "k"}, get);
    call_later(sim, {"SET", "k", "v"}, set);
    call_later(sim, {"PUBLISH", "channel", "m"}, publish);  // may_replicate
    sim.run_until([&] { return get.arrived(); }, second_ns);
    EXPECT_EQ(get.reply, RespValue::null());
    EXPECT_LT(get.at_ns, began + prompt_ns);
    sim.run_until([&] { return set.arrived() && publish.arrived(); }, 2 * second_ns);
    EXPECT_EQ(set.reply, RespValue::simple("OK"));
    EXPECT_EQ(publish.reply, RespValue::number(0));
    EXPECT_GE(set.at_ns, began + 500 * ms_ns);
    EXPECT_GE(publish.at_ns, began + 500 * ms_ns);
  });
}

// Redis 7.0's rules for scripts and may-replicate reads: a script that declares no-writes runs,
// one that may write waits (a shebang without flags, or no shebang), and so does PFCOUNT.
TEST(ClientPauseSim, PauseWriteHoldsScriptsThatMayWriteAndPfcount) {
  on_own_thread([] {
    NodeSim sim(5);
    const int64_t began = pause_now(sim, {"CLIENT", "PAUSE", "500", "WRITE"});
    Answer no_writes, flagless, plain, pfcount;
    call_later(sim, {"EVAL", "#!lua flags=no-writes\nreturn 1", "0"}, no_writes);
    call_later(sim, {"EVAL", "#!lua\nreturn 2", "0"}, flagless);
    call_later(sim, {"EVAL", "return 3", "0"}, plain);
    call_later(sim, {"PFCOUNT", "hll"}, pfcount);
    sim.run_until([&] { return no_writes.arrived(); }, second_ns);
    EXPECT_EQ(no_writes.reply, RespValue::number(1));
    EXPECT_LT(no_writes.at_ns, began + prompt_ns);
    sim.run_until([&] { return flagless.arrived() && plain.arrived() && pfcount.arrived(); },
                  2 * second_ns);
    EXPECT_EQ(flagless.reply, RespValue::number(2));
    EXPECT_EQ(plain.reply, RespValue::number(3));
    EXPECT_EQ(pfcount.reply, RespValue::number(0));
    for (const Answer* held : {&flagless, &plain, &pfcount}) {
      EXPECT_GE(held->at_ns, began + 500 * ms_ns);
    }
  });
}

TEST(ClientPauseSim, UnpauseLetsWaitingWritesRunAtOnce) {
  on_own_thread([] {
    NodeSim sim(3);
    const int64_t began = pause_now(sim, {"CLIENT", "PAUSE", "100000", "WRITE"});
    Answer set, unpause;
    call_later(sim, {"SET", "k", "v"}, set);
    sim.run_until([&] { return sim.blocked() == 1; }, second_ns);
    ASSERT_EQ(sim.blocked(), 1u);
    // CLIENT UNBLOCK ends waits on keys, not a pause (client 2 is the SET's: ids count connections).
    Answer unblock;
    call_later(sim, {"CLIENT", "UNBLOCK", "2"}, unblock);
    sim.run_until([&] { return unblock.arrived(); }, second_ns);
    EXPECT_EQ(unblock.reply, RespValue::number(0));
    EXPECT_FALSE(set.arrived());
    call_later(sim, {"CLIENT", "UNPAUSE"}, unpause);
    sim.run_until([&] { return set.arrived() && unpause.arrived(); }, second_ns);
    EXPECT_EQ(unpause.reply, RespValue::simple("OK"));
    EXPECT_EQ(set.reply, RespValue::simple("OK"));
    EXPECT_LT(set.at_ns, began + second_ns);
  });
}

TEST(ClientPauseSim, AClientThatLeavesWhilePausedNeverRunsItsCommand) {
  on_own_thread([] {
    NodeSim sim(4);
    pause_now(sim, {"CLIENT", "PAUSE", "300", "WRITE"});
    SimConnection* leaver = nullptr;
    std::optional<RespValue> leaver_reply;
    bool leaver_done = false;
    sim.client("leaver", [&](SimConnection& c) {
      leaver = &c;
      c.send({"SET", "k", "from-the-leaver"});
      leaver_reply = c.receive();
      leaver_done = true;
    });
    sim.run_until([&] { return sim.blocked() == 1; }, second_ns);
    ASSERT_EQ(sim.blocked(), 1u);
    sim.client_runtime().spawn("closer", [&] { leaver->close(); });
    sim.run_until([&] { return leaver_done && sim.blocked() == 0; }, second_ns);
    EXPECT_EQ(sim.blocked(), 0u);
    EXPECT_FALSE(leaver_reply.has_value());
    Answer get;
    sim.run_until([] { return false; }, 500 * ms_ns);  // past the pause
    call_later(sim, {"GET", "k"}, get);
    sim.run_until([&] { return get.arrived(); }, second_ns);
    EXPECT_EQ(get.reply, RespValue::null());
  });
}

TEST(ClientPauseSim, DebugSleepHoldsOtherClientsForItsDuration) {
  on_own_thread([] {
    NodeSim sim(5);
    Answer sleeper, ping;
    const int64_t began = sim.now_ns();
    call_later(sim, {"DEBUG", "SLEEP", "0.5"}, sleeper);
    sim.run_until([] { return false; }, 10 * ms_ns);  // the sleep has begun
    call_later(sim, {"PING"}, ping);
    sim.run_until([&] { return sleeper.arrived() && ping.arrived(); }, 2 * second_ns);
    EXPECT_EQ(sleeper.reply, RespValue::simple("OK"));
    EXPECT_EQ(ping.reply, RespValue::simple("PONG"));
    EXPECT_GE(ping.at_ns, began + 500 * ms_ns);
    EXPECT_GE(sleeper.at_ns, began + 500 * ms_ns);
  });
}

TEST(ClientPauseSim, BadArgumentsGetRedisErrors) {
  on_own_thread([] {
    NodeSim sim(6);
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"CLIENT", "PAUSE", "abc"}, "ERR timeout is not an integer or out of range"},
        {{"CLIENT", "PAUSE", "-1"}, "ERR timeout is negative"},
        {{"CLIENT", "PAUSE", "10", "FOO"}, "ERR CLIENT PAUSE mode must be WRITE or ALL"},
        {{"CLIENT", "UNPAUSE", "x"},
         "ERR wrong number of arguments for 'client|unpause' command"},
    };
    for (const auto& [argv, error] : cases) {
      Answer answer;
      call_later(sim, argv, answer);
      sim.run_until([&] { return answer.arrived(); }, second_ns);
      EXPECT_EQ(answer.reply, RespValue::error(error)) << argv[2];
    }
    // None of them paused anything.
    Answer set;
    call_later(sim, {"SET", "k", "v"}, set);
    sim.run_until([&] { return set.arrived(); }, second_ns);
    EXPECT_EQ(set.reply, RespValue::simple("OK"));
  });
}

}  // namespace
}  // namespace ringcache::sim
