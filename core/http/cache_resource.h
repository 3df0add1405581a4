#pragma once
// /cache/{key}: GET, PUT and DELETE of string values, run as the GET, SET and DEL commands.
//
//   GET    200 {"value": "...", "ttl_remaining_ms": 4500 | null}   404 {"error": "not found"}
//   PUT    body {"value": "...", "ttl_ms": 60000}  201 {"created": true} for a new key,
//          200 {"created": false} when it replaced one
//   DELETE 200 {"deleted": true | false}
// With ?encoding=base64 values travel base64-encoded both ways (any bytes); without it they are
// JSON strings, and a stored value that is not UTF-8 is refused with 406.

#include <optional>
#include <string>
#include <string_view>

#include "core/http/command_call.h"
#include "core/http/message.h"

namespace ringcache::http {

enum class ValueEncoding { text, base64 };

class CacheResource {
 public:
  CacheResource(server::Server& server, server::Client& client)
      : server_(server), caller_(server, client) {}

  void get(std::string_view key, ValueEncoding encoding, Response& response);
  void put(std::string_view key, ValueEncoding encoding, std::string_view body,
           Response& response);
  void del(std::string_view key, Response& response);

 private:
  // Answers a command's error reply (OOM, WRONGTYPE, ...) with its HTTP counterpart.
  static void command_error(std::string_view error, Response& response);
  std::optional<int64_t> ttl_remaining_ms(std::string_view key);

  server::Server& server_;
  CommandCaller caller_;
  std::string scratch_;  // encoded or decoded value, reused between requests
};

}  // namespace ringcache::http
