// Limits on what one client may make the node hold: client-output-buffer-limit (per class of
// client, as Redis) and client-query-buffer-limit. Enforced in core/node/output_limits.cpp and
// core/node/connection.cpp.

#include <fmt/format.h>

#include <vector>

#include "core/protocol/ascii.h"
#include "core/protocol/split_args.h"
#include "core/server/config/config_options.h"

namespace ringcache::server {
namespace {

// The class a name in client-output-buffer-limit refers to (Redis' names, "slave" included).
OutputBufferLimit* limit_class(OutputBufferLimits& limits, std::string_view name) {
  if (protocol::iequals(name, "normal")) return &limits.normal;
  if (protocol::iequals(name, "replica") || protocol::iequals(name, "slave")) {
    return &limits.replica;
  }
  if (protocol::iequals(name, "pubsub")) return &limits.pubsub;
  return nullptr;
}

// "<class> <hard> <soft> <soft seconds>" repeated; classes not named keep their limits.
Status set_output_buffer_limit(Config& c, std::string_view value) {
  std::vector<std::string> words;
  protocol::split_args(value, words);
  if (words.empty() || words.size() % 4 != 0) {
    return Status(Errc::invalid_argument,
                  "Wrong number of arguments in buffer limit configuration.");
  }
  OutputBufferLimits limits = c.output_buffer_limits;
  for (size_t i = 0; i < words.size(); i += 4) {
    OutputBufferLimit* limit = limit_class(limits, words[i]);
    if (limit == nullptr) {
      return Status(Errc::invalid_argument,
                    "Invalid client class specified in buffer limit configuration.");
    }
    Result<int64_t> hard = parse_memory(words[i + 1]);
    Result<int64_t> soft = parse_memory(words[i + 2]);
    Result<int64_t> seconds = parse_bounded_int(words[i + 3], 0, long_long_max);
    if (!hard || !soft || !seconds) {
      return Status(Errc::invalid_argument,
                    "Error in hard, soft or soft_seconds setting in buffer limit configuration.");
    }
    *limit = {static_cast<uint64_t>(hard.value()), static_cast<uint64_t>(soft.value()),
              seconds.value()};
  }
  c.output_buffer_limits = limits;
  return Status::ok();
}

std::string get_output_buffer_limit(const Config& c) {
  const auto text = [](const char* name, const OutputBufferLimit& limit) {
    return fmt::format("{} {} {} {}", name, limit.hard_bytes, limit.soft_bytes,
                       limit.soft_seconds);
  };
  const OutputBufferLimits& limits = c.output_buffer_limits;
  return text("normal", limits.normal) + " " + text("slave", limits.replica) + " " +
         text("pubsub", limits.pubsub);
}

Status set_query_buffer_limit(Config& c, std::string_view value) {
  Result<int64_t> bytes = parse_memory(value);
  if (bytes && bytes.value() < constants::client_query_buffer_limit_min_bytes) {
    return Status(Errc::invalid_argument,
                  fmt::format("argument must be between {} and {} inclusive",
                              constants::client_query_buffer_limit_min_bytes, long_long_max));
  }
  return store(bytes, [&](int64_t limit) { c.client_query_buffer_limit_bytes = limit; });
}

}  // namespace

std::vector<Option> client_limit_options() {
  return {
      {"client-output-buffer-limit", true, true, set_output_buffer_limit,
       get_output_buffer_limit},
      {"client-query-buffer-limit", true, false, set_query_buffer_limit,
       [](const Config& c) { return number(c.client_query_buffer_limit_bytes); }},
  };
}

}  // namespace ringcache::server
