#include "runtime/sim/stream.h"

#include <algorithm>
#include <cstring>

#include "runtime/sim/network.h"
#include "runtime/sim/sim_runtime.h"

namespace ringcache::sim {

SimStream::SimStream(SimRuntime& runtime, Network& network, std::shared_ptr<Connection> connection,
                     int side)
    : runtime_(runtime),
      network_(network),
      connection_(std::move(connection)),
      side_(side),
      readers_(runtime.make_wait_queue()),
      writers_(runtime.make_wait_queue()) {
  connection_->owner[side_] = &runtime;
  connection_->readers[side_] = readers_.get();
  connection_->writers[side_] = writers_.get();
}

SimStream::~SimStream() {
  close();
  connection_->readers[side_] = nullptr;
  connection_->writers[side_] = nullptr;
  connection_->owner[side_] = nullptr;
}

std::optional<Errc> SimStream::broken() const {
  if (connection_->closed[side_]) return Errc::closed;
  if (connection_->reset) return Errc::reset;
  return std::nullopt;
}

Result<size_t> SimStream::read_some(std::span<char> buffer) {
  runtime_.gate();
  Direction& in = connection_->to[side_];
  for (;;) {
    if (auto error = broken()) return Status(*error, "read on a broken stream");
    if (in.unread() > 0) break;
    if (in.fin) return Status(Errc::closed, "end of stream");
    readers_->wait();
  }
  const size_t count = std::min(buffer.size(), in.unread());
  std::memcpy(buffer.data(), in.delivered.data() + in.read_offset, count);
  in.read_offset += count;
  if (in.read_offset == in.delivered.size()) {
    in.delivered.clear();
    in.read_offset = 0;
  }
  // Room in the window: a writer on the other side may go on.
  if (WaitQueue* writers = connection_->writers[1 - side_]) writers->notify_all();
  return count;
}

void SimStream::wait_readable() {
  runtime_.gate();
  const Direction& in = connection_->to[side_];
  while (!broken() && in.unread() == 0 && !in.fin) readers_->wait();
}

Status SimStream::write(std::string_view data) {
  runtime_.gate();
  const Direction& out = connection_->to[1 - side_];
  for (;;) {
    if (auto error = broken()) return Status(*error, "write on a broken stream");
    // The peer closed and told us: further bytes would draw a reset.
    if (connection_->to[side_].fin) return Status(Errc::reset, "peer closed the connection");
    if (data.empty()) return Status::ok();
    if (out.in_flight_bytes + out.unread() < network_.options().window_bytes) break;
    writers_->wait();
  }
  network_.send(connection_, side_, std::string(data), false);
  return Status::ok();
}

void SimStream::close() {
  if (connection_->closed[side_]) return;
  connection_->closed[side_] = true;
  if (!connection_->reset) network_.send(connection_, side_, {}, true);
  connection_->wake(side_);
}

SimListener::SimListener(SimRuntime& runtime, Network& network, std::string ip, uint16_t port)
    : runtime_(runtime), network_(network), ip_(std::move(ip)), port_(port) {
  state_.owner = &runtime;
  state_.acceptors = runtime.make_wait_queue();
}

SimListener::~SimListener() { close(); }

Result<std::unique_ptr<Stream>> SimListener::accept() {
  runtime_.gate();
  while (!state_.closed && state_.backlog.empty()) state_.acceptors->wait();
  if (state_.closed) return Status(Errc::closed, "listener closed");
  std::shared_ptr<Connection> connection = std::move(state_.backlog.front());
  state_.backlog.pop_front();
  return std::unique_ptr<Stream>(
      std::make_unique<SimStream>(runtime_, network_, std::move(connection), 1));
}

void SimListener::close() {
  if (state_.closed) return;
  state_.closed = true;
  network_.forget_listener(ip_, port_);
  for (auto& connection : state_.backlog) network_.reset(*connection);
  state_.backlog.clear();
  state_.acceptors->notify_all();
}

}  // namespace ringcache::sim
