#include "core/node/client_connection.h"

#include <fmt/format.h>

#include <algorithm>

namespace ringcache::node {

ClientConnection::ClientConnection(NodeState& node, std::shared_ptr<Stream> stream)
    : node_(node), server_(node.server), stream_(std::move(stream)) {
  client_.id = server_.next_client_id();
  client_.address = stream_->peer_address();
  client_.local_address = stream_->local_address();
  client_.created_ms = node_.runtime.wall_time_ms();
  client_.last_interaction = node_.runtime.now();
  client_.kill = [this] { close(); };
}

ClientConnection::~ClientConnection() {
  if (registered_) {
    server_.clients().erase(client_.id);
    node_.connections.erase(client_.id);
  }
  stream_->close();
}

void ClientConnection::close() {
  closed_ = true;
  stream_->close();
}

bool ClientConnection::admit(std::string_view refusal) {
  ServerStats& stats = server_.stats();
  if (static_cast<int64_t>(server_.clients().size()) >= server_.config().maxclients) {
    ++stats.rejected_connections;
    (void)stream_->write(refusal);
    return false;
  }
  ++stats.total_connections_received;
  server_.clients()[client_.id] = &client_;
  node_.connections[client_.id] = this;
  registered_ = true;
  return true;
}

bool ClientConnection::read_more(size_t wanted) {
  if (query_.size() >= constants::query_buffer_bytes_max) {
    node_.runtime.log(LogLevel::warning,
                      fmt::format("Closing client that reached max query buffer length: id={} "
                                  "addr={}", client_.id, client_.address));
    return false;
  }
  const std::span<char> room =
      query_.writable(std::min(wanted, constants::query_buffer_bytes_max - query_.size()));
  const Result<size_t> read = stream_->read_some(room);
  if (!read) return false;
  query_.commit(read.value());
  server_.stats().total_net_input_bytes += read.value();
  client_.last_interaction = node_.runtime.now();
  client_.query_buffer_bytes = query_.size();
  return true;
}

bool ClientConnection::flush() {
  if (output_.empty()) return true;
  // appendfsync always: the replies go out only once what they acknowledge is on disk.
  server_.before_reply();
  client_.output_buffer_bytes = output_.size();
  const Status written = stream_->write(output_);
  server_.stats().total_net_output_bytes += output_.size();
  output_.clear();
  if (output_.capacity() > constants::reply_buffer_idle_bytes_max) output_.shrink_to_fit();
  client_.output_buffer_bytes = 0;
  return written.is_ok();
}

}  // namespace ringcache::node
