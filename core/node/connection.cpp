#include "core/node/connection.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/server/clients/output_limits.h"

namespace ringcache::node {

Connection::Connection(NodeState& node, std::shared_ptr<Stream> stream)
    : node_(node), server_(node.server), stream_(std::move(stream)) {
  client_.id = server_.next_client_id();
  client_.address = stream_->peer_address();
  client_.local_address = stream_->local_address();
  client_.created_ms = node_.runtime.wall_time_ms();
  client_.last_interaction = node_.runtime.now();
  client_.kill = [this] { close(); };
  client_.on_block = [this] { watch_peer_while_blocked(); };
  client_.pushes_ready = [this] { wake_pusher(); };
}

Connection::~Connection() {
  if (registered_) {
    server_.forget_client_state(client_);
    server_.clients().erase(client_.id);
    node_.connections.erase(client_.id);
  }
  stream_->close();
  if (gate_) {
    gate_->closed = true;
    gate_->changed->notify_all();
  }
}

void Connection::wake_pusher() {
  if (closed_) return;
  if (!gate_) {
    gate_ = std::make_shared<WriteGate>();
    gate_->changed = node_.runtime.make_wait_queue();
    gate_->writing = replies_writing_;
  }
  if (gate_->pusher_running) return gate_->changed->notify_all();
  gate_->pusher_running = true;
  node_.spawn_counted("client-push", [gate = gate_, stream = stream_, self = this] {
    write_pushes(gate, stream, self);
  });
}

// `self` is touched only while gate->closed is false: the connection sets it as it dies.
void Connection::write_pushes(std::shared_ptr<WriteGate> gate,
                                    std::shared_ptr<Stream> stream, Connection* self) {
  while (!gate->closed) {
    if (gate->writing || gate->replies_waiting || self->client_.pushes.empty()) {
      gate->changed->wait();
      continue;
    }
    std::string batch;
    batch.swap(self->client_.pushes);
    gate->writing = true;
    self->client_.output_buffer_bytes = batch.size();
    const Status written = stream->write(batch);
    gate->writing = false;
    gate->changed->notify_all();
    if (gate->closed) break;
    self->client_.output_buffer_bytes = 0;
    self->server_.stats().total_net_output_bytes += batch.size();
    if (!written) {
      self->close();
      break;
    }
  }
  gate->pusher_running = false;
}

void Connection::close() {
  closed_ = true;
  stream_->close();
  server_.blocked_clients().unblock(client_.id, server::WaitEnd::disconnected);
}

void Connection::resize_query_buffer() {
  if (!waiting_for_input_) return;
  const bool idle = node_.runtime.now() - client_.last_interaction >
                    std::chrono::milliseconds(constants::query_buffer_idle_release_ms);
  query_.resize_while_empty(idle);
  note_query_buffer();
}

void Connection::refuse(std::string_view reply) {
  ++server_.stats().rejected_connections;
  (void)stream_->write(reply);
}

bool Connection::admit(std::string_view refusal) {
  if (static_cast<int64_t>(server_.clients().size()) >= server_.config().maxclients) {
    refuse(refusal);
    return false;
  }
  ++server_.stats().total_connections_received;
  // A new connection acts as the default user, logged in already when it needs no password.
  client_.user = server_.acl().default_user();
  client_.authenticated = !server_.acl().auth_required();
  server_.clients()[client_.id] = &client_;
  node_.connections[client_.id] = this;
  registered_ = true;
  return true;
}

// client-query-buffer-limit, within the buffer's hard cap.
size_t Connection::query_buffer_limit() const {
  return std::min(static_cast<size_t>(server_.config().client_query_buffer_limit_bytes),
                  constants::query_buffer_bytes_max);
}

bool Connection::read_more(size_t wanted) {
  const size_t limit = query_buffer_limit();
  if (query_.size() >= limit && !client_.replication_master) {
    node_.runtime.log(LogLevel::warning,
                      fmt::format("Closing client that reached max query buffer length: id={} "
                                  "addr={} qbuf={}", client_.id, client_.address, query_.size()));
    return false;
  }
  if (const auto taken = take_watched_input()) return *taken;
  if (query_.size() == 0) {
    // Nothing pending: wait holding no span of the buffer, so the cron may resize it meanwhile.
    waiting_for_input_ = true;
    stream_->wait_readable();
    waiting_for_input_ = false;
    if (closed_) return false;
  }
  // Room for what the parser expects, but never past the limit: a client announcing a huge
  // bulk and sending it slowly gets no more memory than the limit.
  const size_t allowed = query_.size() < limit ? limit - query_.size() : wanted;
  std::span<char> room = query_.writable(std::min(wanted, allowed));
  if (room.size() > allowed) room = room.first(allowed);
  // Simulation only: a read of one byte, so every command is also parsed arriving in pieces.
  if (room.size() > 1 && node_.runtime.buggify("connection:short_read")) {
    room = room.first(1);
  }
  const Result<size_t> read = stream_->read_some(room);
  if (!read) return false;
  query_.commit(read.value());
  server_.stats().total_net_input_bytes += read.value();
  client_.last_interaction = node_.runtime.now();
  note_query_buffer();
  return true;
}

bool Connection::flush() {
  if (gate_) {
    // The push writer has a write in flight: wait for it, and keep it from starting another
    // (pushes arriving meanwhile come after these replies and go with them).
    gate_->replies_waiting = true;
    while (gate_->writing) gate_->changed->wait();
    gate_->replies_waiting = false;
  }
  take_pushes();
  if (output_.empty()) return true;
  if (server::output_limit_broken(server_.config().output_buffer_limits, client_, output_.size(),
                                  node_.runtime.now())) {
    node_.runtime.log(LogLevel::warning, server::output_limit_log_line(client_));
    close();
    return false;
  }
  // appendfsync always: the replies go out only once what they acknowledge is on disk.
  server_.before_reply();
  client_.output_buffer_bytes = output_.size();
  if (gate_) gate_->writing = true;
  replies_writing_ = true;
  Status written = Status::ok();
  std::string_view out = output_;
  // Simulation only: the replies leave in two writes, so clients see them arrive in pieces.
  if (out.size() > 1 && node_.runtime.buggify("connection:split_reply")) {
    written = stream_->write(out.substr(0, out.size() / 2));
    out.remove_prefix(out.size() / 2);
  }
  if (written.is_ok()) written = stream_->write(out);
  replies_writing_ = false;
  if (gate_) {  // possibly created during the write
    gate_->writing = false;
    gate_->changed->notify_all();
  }
  server_.stats().total_net_output_bytes += output_.size();
  output_.clear();
  if (output_.capacity() > constants::reply_buffer_idle_bytes_max) output_.shrink_to_fit();
  client_.output_buffer_bytes = 0;
  return written.is_ok();
}

void Connection::watch_peer_while_blocked() {
  if (watch_ == nullptr) {
    watch_ = std::make_shared<PeerWatch>();
    watch_->done = node_.runtime.make_wait_queue();
  }
  if (watch_->running) return;
  if (watch_->ended) {
    // The peer is already gone (its last bytes are still being run): nobody waits for a reply.
    server_.blocked_clients().unblock(client_.id, server::WaitEnd::disconnected);
    return;
  }
  watch_->running = true;
  // The fiber holds the watch and the stream, never the connection, which may end first.
  node_.spawn_counted("peer-watch", [watch = watch_, stream = stream_, &server = server_,
                                     id = client_.id] {
    std::string chunk(constants::read_chunk_bytes, '\0');
    while (true) {
      const Result<size_t> read = stream->read_some(chunk);
      const bool blocked = server.blocked_clients().is_blocked(id);
      if (!read || watch->bytes.size() >= constants::query_buffer_bytes_max) {
        watch->ended = true;
        server.blocked_clients().unblock(id, server::WaitEnd::disconnected);
        break;
      }
      watch->bytes.append(chunk.data(), read.value());
      if (!blocked) break;
    }
    watch->running = false;
    watch->done->notify_all();
  });
}

std::optional<bool> Connection::take_watched_input() {
  if (watch_ == nullptr) return std::nullopt;
  while (watch_->running) watch_->done->wait();
  if (watch_->bytes.empty()) {
    if (watch_->ended) return false;
    return std::nullopt;
  }
  const std::span<char> room = query_.writable(watch_->bytes.size());
  std::copy(watch_->bytes.begin(), watch_->bytes.end(), room.begin());
  query_.commit(watch_->bytes.size());
  server_.stats().total_net_input_bytes += watch_->bytes.size();
  client_.last_interaction = node_.runtime.now();
  note_query_buffer();
  watch_->bytes.clear();
  return true;
}

}  // namespace ringcache::node
