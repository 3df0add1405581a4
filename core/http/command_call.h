#pragma once
// Runs a command for an HTTP request through the same entry point RESP clients use
// (commands::execute), so lookups, OOM refusal, eviction, statistics, the slow log and future
// hooks (AOF, replication) apply alike; then reads the one scalar RESP2 reply back.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/server/clients/client.h"
#include "core/server/server.h"

namespace ringcache::http {

struct CommandReply {
  enum class Kind { status, error, integer, bulk, null };
  Kind kind = Kind::null;
  std::string_view text;  // status, error (without '-') or bulk bytes
  int64_t integer = 0;
};

class CommandCaller {
 public:
  CommandCaller(server::Server& server, server::Client& client)
      : server_(server), client_(client) {}

  // The reply's views stay valid until the next call.
  CommandReply call(std::initializer_list<std::string_view> argv);

 private:
  server::Server& server_;
  server::Client& client_;
  std::string out_;  // reused: no allocation per call once warm
};

}  // namespace ringcache::http
