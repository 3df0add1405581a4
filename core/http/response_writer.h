#pragma once
// Serialises a Response as HTTP/1.1 bytes: status line, Date, Content-Type, Content-Length,
// Connection when it differs from the version's default, extra headers, body.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/http/message.h"

namespace ringcache::http {

struct Framing {
  int version_minor = 1;   // the request's; the reply keeps its keep-alive default in mind
  bool keep_alive = true;  // whether the connection stays open after this response
  bool head = false;       // a HEAD request: headers only, Content-Length of the full body
  std::string_view date;   // IMF-fixdate, from DateCache
};

void write_response(const Response& response, const Framing& framing, std::string& out);

// "OK", "Not Found"... for the statuses the API uses; "Unknown" otherwise.
std::string_view reason_phrase(int status);

// The Date header's value for a wall-clock second, formatted once per second.
class DateCache {
 public:
  std::string_view at(int64_t unix_seconds);

 private:
  int64_t second_ = -1;
  std::string text_;
};

// "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 IMF-fixdate).
std::string http_date(int64_t unix_seconds);

// Sets `response` to `status` with the body {"error": message}.
void set_json_error(Response& response, int status, std::string_view message);

}  // namespace ringcache::http
