#pragma once
// One HTTP/1.1 client connection of the HTTP API: reads requests, answers every complete one in
// order (pipelining) and sends the answers with one write; keeps the connection open between
// requests unless the request or its version says otherwise. A malformed request gets its
// 4xx/5xx answer and the connection is closed, since what follows it cannot be trusted.
// The answers themselves come from http::Api; this class only moves bytes.

#include <memory>

#include "core/http/api.h"
#include "core/http/response_writer.h"
#include "core/node/connection.h"
#include "core/protocol/http_parser.h"

namespace ringcache::node {

class HttpConnection : public Connection {
 public:
  HttpConnection(NodeState& node, std::shared_ptr<Stream> stream);

  // The connection's whole life; returns when it is over.
  void run();

 private:
  void run_pending();
  void answer(const protocol::HttpRequestView& request);
  // Answers a request the parser refused, then closes.
  void refuse(int status, std::string_view message);
  // Appends response_ to the output and counts it.
  void send(int version_minor, bool keep_alive, bool head);

  protocol::HttpParser parser_;
  http::Api api_;
  http::Response response_;
  http::DateCache dates_;
  bool close_after_flush_ = false;
};

}  // namespace ringcache::node
