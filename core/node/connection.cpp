#include "core/node/connection.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/commands/dispatch.h"

namespace ringcache::node {

Connection::Connection(NodeState& node, std::shared_ptr<Stream> stream)
    : node_(node), server_(node.server), stream_(std::move(stream)), writer_(reply_) {
  client_.id = server_.next_client_id();
  client_.address = stream_->peer_address();
  client_.local_address = stream_->local_address();
  client_.created_ms = node_.runtime.wall_time_ms();
  client_.last_interaction = node_.runtime.now();
  client_.kill = [this] { close(); };
}

Connection::~Connection() {
  if (registered_) {
    server_.clients().erase(client_.id);
    node_.connections.erase(client_.id);
  }
  stream_->close();
}

void Connection::close() {
  closed_ = true;
  stream_->close();
}

// Registers the client, or refuses it when maxclients are connected (as Redis: an error reply,
// then the connection is closed; refused connections are not counted as received).
bool Connection::admit() {
  ServerStats& stats = server_.stats();
  if (static_cast<int64_t>(server_.clients().size()) >= server_.config().maxclients) {
    ++stats.rejected_connections;
    (void)stream_->write("-ERR max number of clients reached\r\n");
    return false;
  }
  ++stats.total_connections_received;
  server_.clients()[client_.id] = &client_;
  node_.connections[client_.id] = this;
  registered_ = true;
  return true;
}

void Connection::run() {
  if (!admit()) return;
  while (!closed_ && !client_.close_after_reply) {
    if (!read_more()) break;
    run_pending();
    if (!flush()) break;
    if (server_.shutdown_requested()) {
      node_.shutdown();
      break;
    }
  }
}

// Reads what the socket has into the query buffer; false when the connection is over.
bool Connection::read_more() {
  if (query_.size() >= constants::query_buffer_bytes_max) {
    node_.runtime.log(LogLevel::warning,
                      fmt::format("Closing client that reached max query buffer length: id={} "
                                  "addr={}", client_.id, client_.address));
    return false;
  }
  // A large bulk being received gets its room at once rather than by repeated doubling.
  const size_t wanted = std::max(constants::read_chunk_bytes, parser_.bytes_missing_hint());
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

protocol::ParserLimits Connection::current_limits() const {
  protocol::ParserLimits limits;
  limits.bulk_bytes_max = server_.config().proto_max_bulk_len;
  limits.unauthenticated = !server_.config().requirepass.empty() && !client_.authenticated;
  return limits;
}

// Runs every complete request in the query buffer, accumulating the replies.
void Connection::run_pending() {
  size_t parsed = 0;
  while (!closed_ && !client_.close_after_reply) {
    // Limits can change between two pipelined requests (AUTH, CONFIG SET).
    parser_.set_limits(current_limits());
    const auto outcome = parser_.parse(query_.pending().substr(parsed));
    if (outcome == protocol::RespParser::Outcome::incomplete) break;
    if (outcome == protocol::RespParser::Outcome::error) {
      node_.runtime.log(LogLevel::verbose, fmt::format("Protocol error ({}) from client: id={} "
                                                       "addr={}", parser_.error(), client_.id,
                                                       client_.address));
      writer_.error(parser_.error());
      client_.close_after_reply = true;
      break;
    }
    parsed += parser_.consumed();
    if (!parser_.argv().empty()) {
      commands::execute(server_, client_, parser_.argv(), writer_);
    }
    // The views in the query buffer stay valid while flushing: only this fiber fills it.
    if (reply_.size() >= constants::reply_flush_bytes && !flush()) break;
  }
  query_.consume(parsed);
  client_.query_buffer_bytes = query_.size();
}

// Sends the accumulated replies with one write; false when the connection is broken.
bool Connection::flush() {
  if (reply_.empty()) return true;
  client_.output_buffer_bytes = reply_.size();
  const Status written = stream_->write(reply_);
  server_.stats().total_net_output_bytes += reply_.size();
  reply_.clear();
  if (reply_.capacity() > constants::reply_buffer_idle_bytes_max) reply_.shrink_to_fit();
  client_.output_buffer_bytes = 0;
  return written.is_ok();
}

}  // namespace ringcache::node
