// Pub/sub on the real node in the simulator: a subscriber parked waiting for input gets
// messages through its push writer on virtual time, in publish order; a crash of the node then
// unwinds every fiber, the push writer's included.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/node/node.h"
#include "runtime/sim/own_thread.h"
#include "runtime/sim/simulation.h"

namespace ringcache::sim {
namespace {

constexpr int64_t second_ns = 1'000'000'000;

std::string resp(std::initializer_list<std::string_view> argv) {
  std::string out = "*" + std::to_string(argv.size()) + "\r\n";
  for (std::string_view arg : argv) {
    out += "$" + std::to_string(arg.size()) + "\r\n" + std::string(arg) + "\r\n";
  }
  return out;
}

// Reads from `stream` into `into` until it ends with `suffix` (or the stream fails).
bool read_until(Stream& stream, std::string& into, std::string_view suffix) {
  char buffer[4096];
  while (into.size() < suffix.size() ||
         std::string_view(into).substr(into.size() - suffix.size()) != suffix) {
    const Result<size_t> read = stream.read_some(buffer);
    if (!read) return false;
    into.append(buffer, read.value());
  }
  return true;
}

TEST(PubSubSim, SubscriberWaitingForInputReceivesMessagesThenCrashUnwinds) {
  on_own_thread([] {
    Simulation sim(21);
    Host& server_host = sim.add_host("n0", "10.0.0.1");
    Host& client_host = sim.add_host("c0", "10.0.0.2");
    SimRuntime& server = sim.boot(server_host);
    SimRuntime& clients = sim.boot(client_host);
    std::unique_ptr<node::Node> node;
    server.spawn("boot", [&] {
      server::Config config;
      config.bind = "10.0.0.1";
      config.port = 6379;
      config.protected_mode = false;  // the client connects from another host
      node = std::make_unique<node::Node>(server, std::move(config));
      ASSERT_TRUE(node->start());
    });
    bool subscribed = false;
    bool published = false;
    std::string messages;
    clients.spawn("subscriber", [&] {
      auto stream = clients.connect("10.0.0.1", 6379);
      ASSERT_TRUE(stream);
      std::string reply;
      ASSERT_TRUE(stream.value()->write(resp({"SUBSCRIBE", "ch"})));
      ASSERT_TRUE(read_until(*stream.value(), reply, ":1\r\n"));
      subscribed = true;
      ASSERT_TRUE(read_until(*stream.value(), messages, "$5\r\nthree\r\n"));
      clients.sleep_for(std::chrono::hours(1));  // still connected when the node crashes
    });
    clients.spawn("publisher", [&] {
      while (!subscribed) clients.sleep_for(std::chrono::milliseconds(1));
      auto stream = clients.connect("10.0.0.1", 6379);
      ASSERT_TRUE(stream);
      std::string replies;
      for (std::string_view message : {"one", "two", "three"}) {
        ASSERT_TRUE(stream.value()->write(resp({"PUBLISH", "ch", message})));
        replies.clear();
        ASSERT_TRUE(read_until(*stream.value(), replies, "\r\n"));
        EXPECT_EQ(replies, ":1\r\n");
      }
      published = true;
    });
    sim.world().run([&] { return published && messages.size() >= 3 * 30; }, 10 * second_ns);
    EXPECT_EQ(messages,
              "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$3\r\none\r\n"
              "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$3\r\ntwo\r\n"
              "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nthree\r\n");
    bool quiesced = false;
    sim.crash(server_host, [&] {
      quiesced = true;
      node.reset();
    });
    sim.world().run([&] { return quiesced; }, 10 * second_ns);
    EXPECT_TRUE(quiesced) << "every fiber of the node ended, the push writer's too";
    EXPECT_TRUE(sim.shutdown());
  });
}

}  // namespace
}  // namespace ringcache::sim
