// The simulated network: streams between hosts, partitions, clogs, resets.

#include <gtest/gtest.h>

#include <string>

#include "runtime/sim/own_thread.h"
#include "runtime/sim/simulation.h"

namespace ringcache::sim {
namespace {

constexpr int64_t ms_ns = 1'000'000;
constexpr int64_t second_ns = 1000 * ms_ns;

std::string read_all(Stream& stream) {
  std::string out;
  char buffer[64];
  for (;;) {
    auto count = stream.read_some(buffer);
    if (!count) break;
    out.append(buffer, count.value());
  }
  return out;
}

// A server on n0 echoes what it reads, upper-cased marker first; the client on c0 talks to it.
struct EchoPair {
  Simulation sim{7};
  Host& server_host = sim.add_host("n0", "10.0.0.1");
  Host& client_host = sim.add_host("c0", "10.0.1.1");
  SimRuntime& server = sim.boot(server_host);
  SimRuntime& client = sim.boot(client_host);

  void start_echo() {
    server.spawn("listener", [this] {
      auto listener = server.listen("0.0.0.0", 6379);
      ASSERT_TRUE(listener.is_ok());
      for (;;) {
        auto stream = listener.value()->accept();
        if (!stream) return;
        std::shared_ptr<Stream> connection = std::move(stream.value());
        server.spawn("echo", [connection] {
          char buffer[16];
          for (;;) {
            auto count = connection->read_some(buffer);
            if (!count) return;
            if (!connection->write(std::string_view(buffer, count.value()))) return;
          }
        });
      }
    });
  }
};

TEST(Network, StreamsDeliverBytesInOrder) {
  on_own_thread([] {
    EchoPair pair;
    pair.start_echo();
    std::string echoed;
    pair.client.spawn("client", [&] {
      auto stream = pair.client.connect("10.0.0.1", 6379);
      ASSERT_TRUE(stream.is_ok()) << stream.status().to_string();
      for (int i = 0; i < 100; ++i) ASSERT_TRUE(stream.value()->write(std::to_string(i) + ","));
      std::string expected;
      for (int i = 0; i < 100; ++i) expected += std::to_string(i) + ",";
      char buffer[32];
      while (echoed.size() < expected.size()) {
        auto count = stream.value()->read_some(buffer);
        ASSERT_TRUE(count.is_ok());
        echoed.append(buffer, count.value());
      }
      EXPECT_EQ(echoed, expected);
    });
    pair.sim.world().run([&] { return echoed.size() >= 290; }, 10 * second_ns);
    EXPECT_EQ(echoed.substr(0, 6), "0,1,2,");
  });
}

TEST(Network, ConnectToNothingIsRefused) {
  on_own_thread([] {
    EchoPair pair;
    std::optional<Errc> error;
    pair.client.spawn("client", [&] { error = pair.client.connect("10.0.0.1", 1).code(); });
    pair.sim.world().run([&] { return error.has_value(); }, second_ns);
    EXPECT_EQ(error, Errc::refused);
  });
}

TEST(Network, PartitionHoldsBytesAndHealingDeliversThem) {
  on_own_thread([] {
    EchoPair pair;
    pair.start_echo();
    std::unique_ptr<Stream> stream;
    std::string got;
    pair.client.spawn("client", [&] {
      stream = std::move(pair.client.connect("10.0.0.1", 6379).value());
      char buffer[16];
      auto count = stream->read_some(buffer);
      if (count) got.assign(buffer, count.value());
    });
    pair.sim.world().run([&] { return stream != nullptr; }, second_ns);
    ASSERT_TRUE(stream);
    pair.sim.network().cut("10.0.1.1", "10.0.0.1");
    pair.client.spawn("writer", [&] { (void)stream->write("hello"); });
    pair.sim.world().run([] { return false; }, pair.sim.world().now_ns() + 10 * second_ns);
    EXPECT_EQ(got, "");  // held for ten simulated seconds
    pair.sim.network().heal("10.0.1.1", "10.0.0.1");
    pair.sim.world().run([&] { return !got.empty(); }, pair.sim.world().now_ns() + second_ns);
    EXPECT_EQ(got, "hello");
  });
}

TEST(Network, ConnectAcrossAPartitionTimesOut) {
  on_own_thread([] {
    EchoPair pair;
    pair.start_echo();
    pair.sim.network().cut("10.0.0.1", "10.0.1.1");  // one way: the SYN-ACK is lost
    std::optional<Errc> error;
    pair.client.spawn("client", [&] { error = pair.client.connect("10.0.0.1", 6379).code(); });
    pair.sim.world().run([&] { return error.has_value(); }, 10 * second_ns);
    EXPECT_EQ(error, Errc::timed_out);
  });
}

TEST(Network, ResetIsSeenByBothEnds) {
  on_own_thread([] {
    EchoPair pair;
    pair.start_echo();
    std::optional<Errc> client_error;
    bool connected = false;
    pair.client.spawn("client", [&] {
      auto stream = pair.client.connect("10.0.0.1", 6379);
      ASSERT_TRUE(stream.is_ok());
      connected = true;
      char buffer[8];
      client_error = stream.value()->read_some(buffer).code();
    });
    pair.sim.world().run([&] { return connected; }, second_ns);
    EXPECT_TRUE(pair.sim.network().reset_nth(0));
    pair.sim.world().run([&] { return client_error.has_value(); }, 2 * second_ns);
    EXPECT_EQ(client_error, Errc::reset);
  });
}

TEST(Network, ClogHoldsThenReleases) {
  on_own_thread([] {
    EchoPair pair;
    pair.start_echo();
    int64_t replied_at = -1;
    pair.sim.network().clog("10.0.0.1", "10.0.1.1", 5 * second_ns);
    pair.client.spawn("client", [&] {
      auto stream = pair.client.connect("10.0.0.1", 6379);
      if (!stream) return;  // the clog made the handshake time out: also a held link
      (void)stream.value()->write("x");
      char buffer[8];
      if (stream.value()->read_some(buffer)) replied_at = pair.sim.world().now_ns();
    });
    pair.sim.world().run([&] { return replied_at >= 0; }, 20 * second_ns);
    EXPECT_TRUE(replied_at < 0 || replied_at >= 5 * second_ns);
  });
}

}  // namespace
}  // namespace ringcache::sim

namespace ringcache::sim {
namespace {

// A per-link rule replaces the default distribution on the links it names, in one direction.
TEST(Network, LinkRulesSetLatencyPerDirection) {
  on_own_thread([] {
    SimulationOptions options;
    options.network.latency = Latency::fixed(1 * ms_ns);
    options.network.link_spread_percent = 0;
    options.network.links.push_back({"c*", "n*", Latency::fixed(40 * ms_ns)});
    Simulation sim(11, options);
    Host& server_host = sim.add_host("n0", "10.0.0.1");
    Host& client_host = sim.add_host("c0", "10.0.1.1");
    SimRuntime& server = sim.boot(server_host);
    SimRuntime& client = sim.boot(client_host);
    server.spawn("echo", [&] {
      auto listener = server.listen("0.0.0.0", 6379);
      ASSERT_TRUE(listener.is_ok());
      auto stream = listener.value()->accept();
      ASSERT_TRUE(stream.is_ok());
      char byte;
      auto count = stream.value()->read_some(std::span<char>(&byte, 1));
      ASSERT_TRUE(count.is_ok());
      ASSERT_TRUE(stream.value()->write(std::string_view(&byte, 1)));
    });
    Nanos round_trip{-1};
    client.spawn("client", [&] {
      auto stream = client.connect("10.0.0.1", 6379);
      ASSERT_TRUE(stream.is_ok());
      const Instant sent = client.now();
      ASSERT_TRUE(stream.value()->write("x"));
      char byte;
      ASSERT_TRUE(stream.value()->read_some(std::span<char>(&byte, 1)).is_ok());
      round_trip = client.now() - sent;
    });
    sim.world().run([&] { return round_trip.count() >= 0; }, 10 * second_ns);
    // 40 ms client -> node under the rule, 1 ms back under the default.
    EXPECT_EQ(round_trip.count(), 41 * ms_ns);
  });
}

}  // namespace
}  // namespace ringcache::sim
