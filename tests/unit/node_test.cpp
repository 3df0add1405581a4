// A whole node on the production runtime and loopback sockets: pipelining, protocol errors,
// QUIT, maxclients, requirepass, CLIENT KILL, SHUTDOWN. Each test runs its own event loop on a
// fresh thread with a watchdog, so a lost wake-up fails the test instead of hanging it.

#include "core/node/node.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "runtime/real/real_runtime.h"
#include "tests/support/reply_decoder.h"

namespace ringcache::node {
namespace {

using namespace std::chrono_literals;
using real::RealRuntime;
using testing::decode_reply;

constexpr auto watchdog_timeout = 20s;

// Starts a node with `config` on a free port, runs `client` on a fiber, then shuts the node
// down and runs the loop until every fiber has ended.
void with_node(server::Config config, const std::function<void(RealRuntime&, Node&)>& client) {
  std::thread thread([&] {
    auto made = real::make_real_runtime({.log_level = LogLevel::warning});
    ASSERT_TRUE(made.is_ok());
    RealRuntime& runtime = **made;
    config.port = 0;
    config.bind = "127.0.0.1";
    Node node(runtime, config);
    ASSERT_TRUE(node.start().is_ok());
    bool finished = false;
    runtime.spawn("test-client", [&] {
      client(runtime, node);
      finished = true;
    });
    const Instant give_up = runtime.now() + watchdog_timeout;
    auto in_time = [&] { return runtime.now() < give_up; };
    runtime.run_until([&] { return finished || !in_time(); });
    node.request_shutdown();
    runtime.run_until([&] { return node.stopped() || !in_time(); });
    EXPECT_TRUE(in_time()) << "the node did not stop in time";
  });
  thread.join();
}

std::unique_ptr<Stream> connect(RealRuntime& runtime, Node& node) {
  auto stream = runtime.connect("127.0.0.1", node.port());
  RING_ASSERT_MSG(stream.is_ok(), "connect to the node");
  return std::move(stream).value();
}

// Reads until `count` whole replies arrived (or the stream ended); returns their bytes, and
// whether the stream ended after them.
struct Received {
  std::string bytes;
  bool closed = false;
};
Received receive(Stream& stream, size_t count, bool wait_for_close = false) {
  Received received;
  std::vector<char> buffer(16 * 1024);
  auto complete = [&] {
    std::string_view rest(received.bytes);
    for (size_t i = 0; i < count; ++i) {
      if (!decode_reply(rest)) return false;
    }
    return true;
  };
  while (!complete() || wait_for_close) {
    auto read = stream.read_some(buffer);
    if (!read) {
      received.closed = true;
      break;
    }
    received.bytes.append(buffer.data(), read.value());
  }
  return received;
}

std::string multibulk(const std::vector<std::string>& argv) {
  std::string out = "*" + std::to_string(argv.size()) + "\r\n";
  for (const auto& arg : argv) out += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
  return out;
}

TEST(NodeTest, PipelinedRequestsGetTheirRepliesInOrder) {
  with_node({}, [](RealRuntime& runtime, Node& node) {
    auto stream = connect(runtime, node);
    std::string pipeline;
    for (int i = 0; i < 1000; ++i) pipeline += multibulk({"ECHO", std::to_string(i)});
    pipeline += "PING\r\n";
    ASSERT_TRUE(stream->write(pipeline).is_ok());
    std::string expected;
    for (int i = 0; i < 1000; ++i) {
      const std::string n = std::to_string(i);
      expected += "$" + std::to_string(n.size()) + "\r\n" + n + "\r\n";
    }
    expected += "+PONG\r\n";
    EXPECT_EQ(receive(*stream, 1001).bytes, expected);
  });
}

// The connection reads the keyspace time once per batch of pipelined commands; a command that
// suspends (DEBUG SLEEP) moves it on for the commands after it, as Redis' clock would.
TEST(NodeTest, PipelinedCommandsAfterASleepSeeTheTimeAfterIt) {
  server::Config config;
  config.hz = constants::hz_min;  // so the cron (which also sets the time) rarely runs meanwhile
  with_node(config, [](RealRuntime& runtime, Node& node) {
    auto stream = connect(runtime, node);
    const std::string pipeline = multibulk({"SET", "k", "v", "PX", "50"}) +
                                 multibulk({"DEBUG", "SLEEP", "0.1"}) + multibulk({"GET", "k"});
    ASSERT_TRUE(stream->write(pipeline).is_ok());
    EXPECT_EQ(receive(*stream, 3).bytes, "+OK\r\n+OK\r\n$-1\r\n");
  });
}

TEST(NodeTest, RequestSplitAcrossWritesIsAssembled) {
  with_node({}, [](RealRuntime& runtime, Node& node) {
    auto stream = connect(runtime, node);
    const std::string request = multibulk({"ECHO", std::string(100000, 'x')});
    for (size_t at = 0; at < request.size(); at += 7000) {
      ASSERT_TRUE(stream->write(request.substr(at, 7000)).is_ok());
    }
    EXPECT_EQ(receive(*stream, 1).bytes, "$100000\r\n" + std::string(100000, 'x') + "\r\n");
  });
}

TEST(NodeTest, ProtocolErrorRepliesThenCloses) {
  with_node({}, [](RealRuntime& runtime, Node& node) {
    auto stream = connect(runtime, node);
    ASSERT_TRUE(stream->write("PING\r\n*x\r\nPING\r\n").is_ok());
    const Received received = receive(*stream, 2, /*wait_for_close=*/true);
    EXPECT_EQ(received.bytes, "+PONG\r\n-ERR Protocol error: invalid multibulk length\r\n");
    EXPECT_TRUE(received.closed);
  });
}

TEST(NodeTest, QuitRepliesThenCloses) {
  with_node({}, [](RealRuntime& runtime, Node& node) {
    auto stream = connect(runtime, node);
    ASSERT_TRUE(stream->write("QUIT\r\nPING\r\n").is_ok());
    const Received received = receive(*stream, 1, /*wait_for_close=*/true);
    EXPECT_EQ(received.bytes, "+OK\r\n");
    EXPECT_TRUE(received.closed);
  });
}

TEST(NodeTest, MaxclientsRefusesTheExtraClient) {
  server::Config config;
  config.maxclients = 1;
  with_node(config, [](RealRuntime& runtime, Node& node) {
    auto first = connect(runtime, node);
    ASSERT_TRUE(first->write("PING\r\n").is_ok());
    EXPECT_EQ(receive(*first, 1).bytes, "+PONG\r\n");
    auto second = connect(runtime, node);
    const Received refused = receive(*second, 1, /*wait_for_close=*/true);
    EXPECT_EQ(refused.bytes, "-ERR max number of clients reached\r\n");
    EXPECT_EQ(node.server().stats().rejected_connections, 1u);
  });
}

TEST(NodeTest, RequirepassAppliesToPipelinedRequests) {
  server::Config config;
  config.requirepass = "pw";
  with_node(config, [](RealRuntime& runtime, Node& node) {
    auto stream = connect(runtime, node);
    ASSERT_TRUE(stream->write("PING\r\nAUTH pw\r\nPING\r\n").is_ok());
    EXPECT_EQ(receive(*stream, 3).bytes, "-NOAUTH Authentication required.\r\n+OK\r\n+PONG\r\n");
  });
}

TEST(NodeTest, ClientKillClosesTheOtherConnection) {
  with_node({}, [](RealRuntime& runtime, Node& node) {
    auto victim = connect(runtime, node);
    ASSERT_TRUE(victim->write("CLIENT ID\r\n").is_ok());
    const std::string id_reply = receive(*victim, 1).bytes;  // ":<id>\r\n"
    const std::string id = id_reply.substr(1, id_reply.size() - 3);
    auto killer = connect(runtime, node);
    ASSERT_TRUE(killer->write(multibulk({"CLIENT", "KILL", "ID", id})).is_ok());
    EXPECT_EQ(receive(*killer, 1).bytes, ":1\r\n");
    EXPECT_TRUE(receive(*victim, 1, /*wait_for_close=*/true).closed);
  });
}

TEST(NodeTest, InfoAndConfigShowTheBoundPort) {
  with_node({}, [](RealRuntime& runtime, Node& node) {
    auto stream = connect(runtime, node);
    ASSERT_TRUE(stream->write("CONFIG GET port\r\n").is_ok());
    const std::string port = std::to_string(node.port());
    EXPECT_EQ(receive(*stream, 1).bytes,
              "*2\r\n$4\r\nport\r\n$" + std::to_string(port.size()) + "\r\n" + port + "\r\n");
  });
}

TEST(NodeTest, ShutdownStopsTheNode) {
  std::thread thread([] {
    auto made = real::make_real_runtime({.log_level = LogLevel::warning});
    ASSERT_TRUE(made.is_ok());
    RealRuntime& runtime = **made;
    server::Config config;
    config.port = 0;
    Node node(runtime, config);
    ASSERT_TRUE(node.start().is_ok());
    bool closed = false;
    runtime.spawn("test-client", [&] {
      auto idle = connect(runtime, node);  // another client: shutdown must close it too
      auto stream = connect(runtime, node);
      ASSERT_TRUE(stream->write("SHUTDOWN NOSAVE\r\n").is_ok());
      closed = receive(*stream, 1, true).closed && receive(*idle, 1, true).closed;
    });
    const Instant give_up = runtime.now() + watchdog_timeout;
    runtime.run_until([&] { return (node.stopped() && closed) || runtime.now() > give_up; });
    EXPECT_TRUE(node.stopped());
    EXPECT_TRUE(closed);
  });
  thread.join();
}

}  // namespace
}  // namespace ringcache::node
