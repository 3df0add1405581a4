#include "core/node/http_connection.h"

#include <fmt/format.h>

#include <algorithm>

namespace ringcache::node {
namespace {

std::string max_clients_refusal() {
  http::Response response;
  http::set_json_error(response, 503, "max number of clients reached");
  std::string out;
  http::write_response(response, {.version_minor = 1, .keep_alive = false, .head = false, .date = {}}, out);
  return out;
}

}  // namespace

HttpConnection::HttpConnection(NodeState& node, std::shared_ptr<Stream> stream)
    : Connection(node, std::move(stream)), api_(server_, client_) {}

void HttpConnection::run() {
  if (!admit(max_clients_refusal())) return;
  while (!closed_ && !close_after_flush_) {
    // A large body being received gets its room at once rather than by repeated doubling.
    if (!read_more(std::max(constants::read_chunk_bytes, parser_.bytes_missing_hint()))) break;
    run_pending();
    if (!flush()) break;
  }
}

// Answers every complete request in the input buffer, accumulating the responses.
void HttpConnection::run_pending() {
  size_t parsed = 0;
  while (!closed_ && !close_after_flush_) {
    const auto outcome = parser_.parse(query_.pending().substr(parsed));
    if (outcome == protocol::HttpParser::Outcome::incomplete) {
      // The client waits for this before sending a large body (curl does, for a second).
      if (parser_.awaiting_continue()) {
        output_.append("HTTP/1.1 100 Continue\r\n\r\n");
        parser_.continue_sent();
      }
      break;
    }
    if (outcome == protocol::HttpParser::Outcome::error) {
      refuse(parser_.error_status(), parser_.error());
      break;
    }
    parsed += parser_.consumed();
    answer(parser_.request());
    // The request views stay valid while flushing: only this fiber fills the buffer.
    if (output_.size() >= constants::reply_flush_bytes && !flush()) break;
  }
  query_.consume(parsed);
  note_query_buffer();
}

void HttpConnection::answer(const protocol::HttpRequestView& request) {
  const http::Request api_request{request.method, request.target, request.body,
                                  request.header("authorization")};
  api_.handle(api_request, response_);
  const bool keep_alive = request.keep_alive && !response_.close;
  send(request.version_minor, keep_alive, request.method == "HEAD");
  if (!keep_alive) close_after_flush_ = true;
}

void HttpConnection::refuse(int status, std::string_view message) {
  node_.runtime.log(LogLevel::verbose, fmt::format("Bad HTTP request ({} {}) from client: id={} "
                                                   "addr={}", status, message, client_.id,
                                                   client_.address));
  http::set_json_error(response_, status, message);
  send(1, /*keep_alive=*/false, /*head=*/false);
  close_after_flush_ = true;
}

void HttpConnection::send(int version_minor, bool keep_alive, bool head) {
  ++server_.stats().http_responses[response_.status];
  const int64_t now_s = node_.runtime.wall_time_us() / 1'000'000;
  http::write_response(response_, {version_minor, keep_alive, head, dates_.at(now_s)}, output_);
}

}  // namespace ringcache::node
