#include "core/http/response_writer.h"

#include <fmt/format.h>

#include <chrono>

#include "core/protocol/json_writer.h"

namespace ringcache::http {

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 417: return "Expectation Failed";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    case 507: return "Insufficient Storage";
    default: return "Unknown";
  }
}

void write_response(const Response& response, const Framing& framing, std::string& out) {
  auto it = std::back_inserter(out);
  fmt::format_to(it, "HTTP/1.1 {} {}\r\n", response.status, reason_phrase(response.status));
  if (!framing.date.empty()) fmt::format_to(it, "Date: {}\r\n", framing.date);
  fmt::format_to(it, "Content-Type: {}\r\nContent-Length: {}\r\n", response.content_type,
                 response.body.size());
  // HTTP/1.1 keeps connections open unless told; HTTP/1.0 closes them unless told.
  if (!framing.keep_alive && framing.version_minor >= 1) out.append("Connection: close\r\n");
  if (framing.keep_alive && framing.version_minor == 0) out.append("Connection: keep-alive\r\n");
  out.append(response.extra_headers);
  out.append("\r\n");
  if (!framing.head) out.append(response.body);
}

std::string_view DateCache::at(int64_t unix_seconds) {
  if (unix_seconds != second_) {
    second_ = unix_seconds;
    text_ = http_date(unix_seconds);
  }
  return text_;
}

std::string http_date(int64_t unix_seconds) {
  using namespace std::chrono;
  static constexpr const char* day_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // Calendar arithmetic only (no clock read): the caller passes the runtime's wall time.
  const sys_seconds time{seconds(unix_seconds)};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} GMT", day_names[weekday(day).c_encoding()],
                     static_cast<unsigned>(date.day()),
                     month_names[static_cast<unsigned>(date.month()) - 1],
                     static_cast<int>(date.year()), clock.hours().count(),
                     clock.minutes().count(), clock.seconds().count());
}

void set_json_error(Response& response, int status, std::string_view message) {
  response.status = status;
  response.content_type = "application/json";
  response.body.clear();
  protocol::JsonWriter(response.body).begin_object().key("error").string(message).end_object();
}

}  // namespace ringcache::http
