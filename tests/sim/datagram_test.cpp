// Simulated datagrams: delivery over the link latency, the injected faults (each counted), loss
// on a cut link, timeouts on virtual time, and sockets that die with their process.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/sim/faults.h"
#include "runtime/sim/own_thread.h"
#include "runtime/sim/simulation.h"

namespace ringcache::sim {
namespace {

constexpr int64_t ms_ns = 1'000'000;
constexpr int64_t second_ns = 1000 * ms_ns;

struct Pair {
  explicit Pair(NetworkOptions network, uint64_t seed = 3) : sim(seed, {std::move(network)}) {}
  Simulation sim;
  Host& a_host = sim.add_host("n0", "10.0.0.1");
  Host& b_host = sim.add_host("n1", "10.0.0.2");
  SimRuntime& a = sim.boot(a_host);
  SimRuntime& b = sim.boot(b_host);
};

NetworkOptions fixed_latency(int64_t ns) {
  NetworkOptions options;
  options.latency = Latency::fixed(ns);
  options.link_spread_percent = 0;
  return options;
}

// Sends `count` numbered messages from a to b and returns what b received within 10 s.
std::vector<std::string> exchange(Pair& pair, int count) {
  std::vector<std::string> received;
  bool done = false;
  pair.b.spawn("receiver", [&] {
    auto socket = pair.b.open_datagram("0.0.0.0", 7000);
    ASSERT_TRUE(socket.is_ok());
    pair.a.spawn("sender", [&] {
      auto out = pair.a.open_datagram("0.0.0.0", 0);
      ASSERT_TRUE(out.is_ok());
      for (int i = 0; i < count; ++i) {
        ASSERT_TRUE(out.value()->send_to("10.0.0.2", 7000, std::to_string(i)));
      }
    });
    for (;;) {
      auto message = socket.value()->receive(pair.b.now() + Nanos(2 * second_ns));
      if (!message) break;
      EXPECT_EQ(message.value().from.rfind("10.0.0.1:", 0), 0u);
      received.push_back(message.value().bytes);
    }
    done = true;
  });
  pair.sim.world().run([&] { return done; }, 10 * second_ns);
  EXPECT_TRUE(done);
  return received;
}

TEST(Datagrams, ArriveAfterTheLinkLatencyInOrderWithoutFaults) {
  on_own_thread([] {
    Pair pair(fixed_latency(5 * ms_ns));
    std::vector<std::string> expected;
    for (int i = 0; i < 50; ++i) expected.push_back(std::to_string(i));
    EXPECT_EQ(exchange(pair, 50), expected);
    EXPECT_EQ(pair.sim.faults().summary(), "none");
  });
}

TEST(Datagrams, DropDuplicateAndReorderAreInjectedAndCounted) {
  on_own_thread([] {
    NetworkOptions options = fixed_latency(5 * ms_ns);
    options.datagrams = DatagramOptions{0.2, 0.2, 0.2, 20 * ms_ns};
    Pair pair(options);
    const std::vector<std::string> got = exchange(pair, 500);
    const FaultCounters& faults = pair.sim.faults();
    const uint64_t dropped = faults.get("net.dgram_drop");
    const uint64_t duplicated = faults.get("net.dgram_duplicate");
    EXPECT_GT(dropped, 0u);
    EXPECT_GT(duplicated, 0u);
    EXPECT_GT(faults.get("net.dgram_reorder"), 0u);
    EXPECT_EQ(got.size(), 500 - dropped + duplicated);
    bool out_of_order = false;
    for (size_t i = 1; i < got.size(); ++i) {
      out_of_order = out_of_order || std::stoi(got[i]) < std::stoi(got[i - 1]);
    }
    EXPECT_TRUE(out_of_order);
  });
}

TEST(Datagrams, ACutLinkLosesThemAndTimeoutsRunOnVirtualTime) {
  on_own_thread([] {
    Pair pair(fixed_latency(5 * ms_ns));
    pair.sim.network().cut("10.0.0.1", "10.0.0.2");
    EXPECT_TRUE(exchange(pair, 10).empty());
    Errc error = Errc::ok;
    Nanos waited{0};
    pair.b.spawn("waiter", [&] {
      auto socket = pair.b.open_datagram("0.0.0.0", 0);
      ASSERT_TRUE(socket.is_ok());
      const Instant start = pair.b.now();
      error = socket.value()->receive(start + Nanos(300 * ms_ns)).status().code();
      waited = pair.b.now() - start;
    });
    pair.sim.world().run([&] { return error != Errc::ok; }, 10 * second_ns);
    EXPECT_EQ(error, Errc::timed_out);
    EXPECT_EQ(waited.count(), 300 * ms_ns);
  });
}

TEST(Datagrams, ACrashClosesTheProcessSockets) {
  on_own_thread([] {
    Pair pair(fixed_latency(5 * ms_ns));
    bool bound = false;
    pair.b.spawn("receiver", [&] {
      auto socket = pair.b.open_datagram("0.0.0.0", 7000);
      ASSERT_TRUE(socket.is_ok());
      bound = true;
      (void)socket.value()->receive();
    });
    pair.sim.world().run([&] { return bound; }, second_ns);
    pair.sim.crash(pair.b_host, [] {});
    pair.sim.world().run([] { return false; }, 100 * ms_ns);
    // The port is free again for the next incarnation.
    SimRuntime& again = pair.sim.boot(pair.b_host);
    bool rebound = false;
    again.spawn("again", [&] { rebound = again.open_datagram("0.0.0.0", 7000).is_ok(); });
    pair.sim.world().run([&] { return rebound; }, second_ns);
    EXPECT_TRUE(rebound);
  });
}

}  // namespace
}  // namespace ringcache::sim
