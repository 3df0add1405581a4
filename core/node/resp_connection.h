#pragma once
// One RESP client connection: reads requests, runs every complete one, and sends all their
// replies with one write (flushing early only when they grow past reply_flush_bytes). Runs on
// its own fiber; the connection ends on EOF, a socket error, a protocol error, QUIT, CLIENT
// KILL, the idle timeout or node shutdown.

#include <memory>

#include "core/node/connection.h"
#include "core/protocol/reply_writer.h"
#include "core/protocol/resp_parser.h"

namespace ringcache::node {

class RespConnection : public Connection {
 public:
  RespConnection(NodeState& node, std::shared_ptr<Stream> stream);

  // The connection's whole life; returns when it is over.
  void run();

 private:
  void run_pending();
  void execute_parsed();
  protocol::ParserLimits current_limits() const;

  protocol::RespParser parser_;
  protocol::ReplyWriter writer_;
};

}  // namespace ringcache::node
