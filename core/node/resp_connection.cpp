#include "core/node/resp_connection.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "core/commands/dispatch.h"
#include "core/node/replica_feed.h"
#include "core/server/protected_mode.h"

namespace ringcache::node {

RespConnection::RespConnection(NodeState& node, std::shared_ptr<Stream> stream)
    : Connection(node, std::move(stream)), writer_(output_) {}

void RespConnection::run() {
  if (server::protected_mode_refuses(server_, client_.address)) {
    return refuse(server::protected_mode_denied_reply());
  }
  if (!admit("-ERR max number of clients reached\r\n")) return;
  while (!closed_ && !client_.close_after_reply) {
    // A large bulk being received gets its room at once rather than by repeated doubling.
    if (!read_more(std::max(constants::read_chunk_bytes, parser_.bytes_missing_hint()))) break;
    run_pending();
    if (!flush()) break;
    if (client_.psync_requested) {
      // A replica: from here on this connection carries the replication stream.
      serve_replica(node_, stream_, client_, std::string(query_.pending()), closed_);
      break;
    }
    if (server_.shutdown_requested()) {
      node_.shutdown();
      break;
    }
  }
}

protocol::ParserLimits RespConnection::current_limits() const {
  protocol::ParserLimits limits;
  limits.bulk_bytes_max = server_.config().proto_max_bulk_len;
  limits.unauthenticated = !client_.authenticated && server_.acl().auth_required();
  return limits;
}

// Runs every complete request in the query buffer, accumulating the replies. The keyspace time
// is read once for the batch, as Redis caches its clock per event-loop iteration, and again after
// a flush, which may suspend this fiber while other clients move the time on.
void RespConnection::run_pending() {
  size_t parsed = 0;
  server_.keyspace().set_now_ms(node_.runtime.wall_time_ms());
  // The batch's lookups take their cache misses together, not one per command.
  std::array<std::string_view, constants::prefetch_keys_max> keys;
  const size_t sniffed = protocol::sniff_keys(query_.pending(), keys);
  server_.keyspace().prefetch(std::span<const std::string_view>(keys.data(), sniffed));
  take_pushes();  // pushes that arrived while waiting for input come before these replies
  while (!closed_ && !client_.close_after_reply && !client_.psync_requested) {
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
      execute_parsed();
      take_pushes();  // e.g. invalidations of this client's own writes, after its reply
    }
    // The views in the query buffer stay valid while flushing: only this fiber fills it.
    if (output_.size() >= constants::reply_flush_bytes) {
      if (!flush()) break;
      server_.keyspace().set_now_ms(node_.runtime.wall_time_ms());
    }
  }
  query_.consume(parsed);
  note_query_buffer();
}

// Runs the parsed request; under CLIENT REPLY OFF or SKIP its reply is dropped (pushes are not:
// they wait in client_.pushes until take_pushes).
void RespConnection::execute_parsed() {
  client_.skip_this_reply = std::exchange(client_.skip_next_reply, false);
  const size_t reply_start = output_.size();
  commands::execute(server_, client_, parser_.argv(), writer_, commands::CommandTime::preset);
  if (client_.replies_silenced()) output_.resize(std::min(reply_start, output_.size()));
  client_.skip_this_reply = false;
}

}  // namespace ringcache::node
