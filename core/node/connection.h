#pragma once
// One client connection: reads requests, runs every complete one, and sends all their replies
// with one write (flushing early only when they grow past reply_flush_bytes). Runs on its own
// fiber; the connection ends on EOF, a socket error, a protocol error, QUIT, CLIENT KILL, the
// idle timeout or node shutdown.

#include <memory>
#include <string>

#include "core/node/client.h"
#include "core/node/node_state.h"
#include "core/node/query_buffer.h"
#include "core/protocol/reply_writer.h"
#include "core/protocol/resp_parser.h"

namespace ringcache::node {

class Connection {
 public:
  Connection(NodeState& node, std::shared_ptr<Stream> stream);
  ~Connection();  // unregisters the client and closes the stream, also when unwinding
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The connection's whole life; returns when it is over.
  void run();
  // Closes the stream; the fiber parked on it wakes and ends. Never suspends.
  void close();

 private:
  bool admit();
  bool read_more();
  void run_pending();
  bool run_one();
  bool flush();
  protocol::ParserLimits current_limits() const;

  NodeState& node_;
  Server& server_;
  std::shared_ptr<Stream> stream_;
  Client client_;
  QueryBuffer query_;
  protocol::RespParser parser_;
  std::string reply_;
  protocol::ReplyWriter writer_;
  bool registered_ = false;
  bool closed_ = false;
};

}  // namespace ringcache::node
