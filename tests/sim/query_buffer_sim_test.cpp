// A client's query buffer as CLIENT LIST shows it (qbuf + qbuf-free), on a real node in the
// simulator on virtual time: one read's room after a command, nothing once idle for over two
// seconds, a large request's room kept until smaller requests show it is no longer needed.

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <regex>
#include <string>

#include "runtime/sim/own_thread.h"
#include "tests/support/node_sim.h"

namespace ringcache::sim {
namespace {

constexpr int64_t ms_ns = 1'000'000;
constexpr int64_t second_ns = 1000 * ms_ns;

// qbuf + qbuf-free of the client named `name` in CLIENT LIST, asked on `observer`; nullopt when
// no such client is listed.
std::optional<size_t> query_buffer_of(SimConnection& observer, const std::string& name) {
  const std::optional<RespValue> list = observer.call({"CLIENT", "LIST"});
  EXPECT_TRUE(list.has_value() && list->type == RespValue::Type::bulk);
  if (!list) return std::nullopt;
  const std::regex line("name=" + name + " .* qbuf=([0-9]+) qbuf-free=([0-9]+) ");
  std::smatch match;
  if (!std::regex_search(list->text, match, line)) return std::nullopt;
  return std::stoull(match[1]) + std::stoull(match[2]);
}

// Runs `requests` on a connection named `name` that then stays open, idle, until `done`.
void idle_client(NodeSim& sim, const std::string& name, bool& ready, const bool& done,
                 std::function<void(SimConnection&)> requests) {
  sim.client(name, [&sim, name, &ready, &done, requests = std::move(requests)](SimConnection& c) {
    EXPECT_EQ(c.call({"CLIENT", "SETNAME", name}), RespValue::simple("OK"));
    requests(c);
    ready = true;
    while (!done) sim.client_runtime().sleep_for(std::chrono::milliseconds(10));
  });
}

TEST(QueryBufferSim, OneReadsRoomAfterACommandNoneOnceIdle) {
  on_own_thread([] {
    // Declared before the simulation: its fibers may still read them while it shuts down.
    bool ready = false, done = false;
    NodeSim sim(1);
    idle_client(sim, "watched", ready, done, [](SimConnection&) {});
    sim.run_until([&] { return ready; }, second_ns);
    std::optional<size_t> after_command, after_idle;
    bool checked = false;
    sim.client("observer", [&](SimConnection& c) {
      after_command = query_buffer_of(c, "watched");
      sim.client_runtime().sleep_for(std::chrono::milliseconds(3500));
      after_idle = query_buffer_of(c, "watched");
      EXPECT_EQ(c.call({"PING"}), RespValue::simple("PONG"));
      done = checked = true;
    });
    sim.run_until([&] { return checked; }, 10 * second_ns);
    ASSERT_TRUE(checked);
    EXPECT_EQ(after_command, constants::read_chunk_bytes);
    EXPECT_EQ(after_idle, 0u);
  });
}

TEST(QueryBufferSim, LargeRequestsRoomShrinksOnceItIsNoLongerNeeded) {
  on_own_thread([] {
    bool ready = false, done = false;  // outlive the simulation, as above
    NodeSim sim(2);
    idle_client(sim, "writer", ready, done, [](SimConnection& c) {
      EXPECT_EQ(c.call({"SET", "x", std::string(400'000, 'A')}), RespValue::simple("OK"));
    });
    sim.run_until([&] { return ready; }, 10 * second_ns);
    std::optional<size_t> after_large, later;
    bool checked = false;
    sim.client("observer", [&](SimConnection& c) {
      after_large = query_buffer_of(c, "writer");
      // The cron keeps room for the largest request it saw since its last tick: two ticks on,
      // with the writer quiet, one read's room is left.
      sim.client_runtime().sleep_for(std::chrono::milliseconds(500));
      later = query_buffer_of(c, "writer");
      done = checked = true;
    });
    sim.run_until([&] { return checked; }, 10 * second_ns);
    ASSERT_TRUE(checked);
    ASSERT_TRUE(after_large.has_value());
    EXPECT_GT(*after_large, constants::query_buffer_resize_threshold_bytes);
    EXPECT_EQ(later, constants::read_chunk_bytes);
  });
}

}  // namespace
}  // namespace ringcache::sim
