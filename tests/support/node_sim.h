#pragma once
// A real node in the simulator on 10.0.0.1 and a client host on 10.0.0.2 whose fibers talk RESP to
// it: for tests of what clients see on virtual time (blocking commands, pauses).

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/node/node.h"
#include "runtime/sim/simulation.h"
#include "runtime/sim/workload/resp.h"

namespace ringcache::sim {

// One RESP connection from a client fiber.
class SimConnection {
 public:
  explicit SimConnection(std::unique_ptr<Stream> stream) : stream_(std::move(stream)) {}
  void send(const std::vector<std::string>& argv) { (void)stream_->write(encode_command(argv)); }
  // The next reply, or nullopt when the connection ended first.
  std::optional<RespValue> receive() {
    while (true) {
      auto parsed = parser_.next();
      if (!parsed) return std::nullopt;
      if (parsed.value()) return *parsed.value();
      char buffer[4096];
      auto read = stream_->read_some(buffer);
      if (!read) return std::nullopt;
      parser_.feed(std::string_view(buffer, read.value()));
    }
  }
  std::optional<RespValue> call(const std::vector<std::string>& argv) {
    send(argv);
    return receive();
  }
  void close() { stream_->close(); }

 private:
  std::unique_ptr<Stream> stream_;
  RespParser parser_;
};

class NodeSim {
 public:
  static constexpr int64_t boot_ns = 10'000'000;          // 10 ms
  static constexpr int64_t shutdown_ns = 10'000'000'000;  // 10 s

  explicit NodeSim(uint64_t seed) : sim_(seed) {
    SimRuntime& server_runtime = sim_.boot(sim_.add_host("n0", "10.0.0.1"));
    client_runtime_ = &sim_.boot(sim_.add_host("c0", "10.0.0.2"));
    node_ = std::make_unique<node::Node>(server_runtime, sim_config());
    server_runtime.spawn("boot", [this] { EXPECT_TRUE(node_->start()); });
    run_until([] { return false; }, boot_ns);
  }
  // The client host is not the node's loopback: protected mode would turn it away.
  static server::Config sim_config() {
    server::Config config;
    config.protected_mode = false;
    return config;
  }
  ~NodeSim() {
    node_->request_shutdown();
    run_until([this] { return node_->stopped(); }, shutdown_ns);
  }

  // Starts a client fiber with its own connection.
  void client(std::string name, std::function<void(SimConnection&)> body) {
    client_runtime_->spawn(std::move(name), [this, body = std::move(body)] {
      auto stream = client_runtime_->connect("10.0.0.1", constants::port_default);
      ASSERT_TRUE(stream.is_ok());
      SimConnection connection(std::move(stream.value()));
      body(connection);
    });
  }
  void run_until(const std::function<bool()>& done, int64_t for_ns) {
    sim_.world().run(done, sim_.world().now_ns() + for_ns);
  }
  size_t blocked() { return node_->server().blocked_clients().blocked_count(); }
  int64_t now_ns() { return sim_.world().now_ns(); }
  Runtime& client_runtime() { return *client_runtime_; }

 private:
  Simulation sim_;
  SimRuntime* client_runtime_ = nullptr;
  std::unique_ptr<node::Node> node_;
};

}  // namespace ringcache::sim
