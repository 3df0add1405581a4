#pragma once
// The Stream and Listener a simulated process holds (core/runtime.h), on top of Connection.

#include <deque>
#include <memory>
#include <string>

#include "core/runtime.h"
#include "runtime/sim/connection.h"

namespace ringcache::sim {

class Network;
class SimRuntime;

class SimStream final : public Stream {
 public:
  SimStream(SimRuntime& runtime, Network& network, std::shared_ptr<Connection> connection,
            int side);
  ~SimStream() override;

  Result<size_t> read_some(std::span<char> buffer) override;
  void wait_readable() override;
  Status write(std::string_view data) override;
  void close() override;
  std::string peer_address() const override { return connection_->address[1 - side_]; }
  std::string local_address() const override { return connection_->address[side_]; }

 private:
  // Why the stream cannot be used any more, if it cannot.
  std::optional<Errc> broken() const;

  SimRuntime& runtime_;
  Network& network_;
  std::shared_ptr<Connection> connection_;
  int side_;
  std::unique_ptr<WaitQueue> readers_;
  std::unique_ptr<WaitQueue> writers_;
};

// A listening socket: connections the network has set up wait in the backlog until accepted.
struct ListenerState {
  SimRuntime* owner = nullptr;
  std::deque<std::shared_ptr<Connection>> backlog;
  std::unique_ptr<WaitQueue> acceptors;
  bool closed = false;
};

class SimListener final : public Listener {
 public:
  SimListener(SimRuntime& runtime, Network& network, std::string ip, uint16_t port);
  ~SimListener() override;

  Result<std::unique_ptr<Stream>> accept() override;
  void close() override;
  uint16_t port() const override { return port_; }
  ListenerState& state() { return state_; }

 private:
  SimRuntime& runtime_;
  Network& network_;
  std::string ip_;
  uint16_t port_;
  ListenerState state_;
};

}  // namespace ringcache::sim
