// The node's general options: network, clients, memory and eviction, logging, diagnostics.

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "core/server/config/config_options.h"
#include "core/protocol/ascii.h"
#include "core/protocol/split_args.h"

namespace ringcache::server {
namespace {

Status set_bind(Config& c, std::string_view value) {
  // Redis binds every listed address ("-" marks one as optional); ringcache listens on the first.
  std::vector<std::string> words;
  protocol::split_args(value, words);
  if (words.empty()) return Status(Errc::invalid_argument, "Failed to bind to specified addresses.");
  std::string_view first = words.front();
  if (first.starts_with('-')) first.remove_prefix(1);
  c.bind = std::string(first);
  return Status::ok();
}

Status set_policy(Config& c, std::string_view value) {
  // Redis' eight and the eviction lab's policies are accepted; the error lists Redis' eight in
  // Redis' words (the lab's are in docs/eviction-lab.md).
  if (auto policy = store::parse_maxmemory_policy(value)) {
    c.eviction.policy = *policy;
    return Status::ok();
  }
  return parse_choice(value, {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
                              "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"})
      .status();
}

// "<bytes>" or "<percent>%" (of maxmemory), as Redis' maxmemory-clients.
Status set_maxmemory_clients(Config& c, std::string_view value) {
  if (value.ends_with('%')) {
    value.remove_suffix(1);
    Result<int64_t> percent = parse_bounded_int(value, 0, long_long_max);
    if (!percent) return percent.status();
    if (*percent > 100) {
      return Status(Errc::invalid_argument, "percentage argument must be less or equal to 100");
    }
    c.maxmemory_clients = *percent;
    c.maxmemory_clients_percent = true;
    return Status::ok();
  }
  return store(parse_memory(value), [&](int64_t bytes) {
    c.maxmemory_clients = bytes;
    c.maxmemory_clients_percent = false;
  });
}

Status set_busy_reply_threshold(Config& c, std::string_view value) {
  return store(parse_bounded_int(value, 0, long_long_max),
               [&](int64_t ms) { c.busy_reply_threshold_ms = ms; });
}

std::string get_busy_reply_threshold(const Config& c) { return number(c.busy_reply_threshold_ms); }

}  // namespace

std::vector<Option> general_options() {
  return {
      {"bind", false, true, set_bind, [](const Config& c) { return c.bind; }},
      // Only database 0 exists; stock redis.conf files say "databases 16", which is accepted.
      {"databases", false, false,
       [](Config&, std::string_view v) { return parse_bounded_int(v, 1, int_max).status(); },
       [](const Config&) { return std::string("1"); }},
      // A node never forks into the background: run it under a supervisor (systemd, a
      // container) instead; "daemonize no" from a stock redis.conf is accepted.
      {"daemonize", false, false,
       [](Config&, std::string_view v) {
         if (protocol::iequals(v, "no")) return Status::ok();
         return Status(Errc::invalid_argument,
                       "daemonize: a ringcache node runs in the foreground, under a supervisor");
       },
       [](const Config&) { return std::string("no"); }},
      {"dir", false, false,
       [](Config& c, std::string_view v) {
         c.dir = std::string(v);
         return Status::ok();
       },
       [](const Config& c) { return c.dir; }},
      {"http-port", false, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, 65535),
                      [&](int64_t port) { c.http_port = static_cast<uint16_t>(port); });
       },
       [](const Config& c) { return number(c.http_port); }},
      {"busy-reply-threshold", true, false, set_busy_reply_threshold, get_busy_reply_threshold},
      {"lua-time-limit", true, false, set_busy_reply_threshold, get_busy_reply_threshold},
      {"hz", true, false,
       [](Config& c, std::string_view v) {
         // Redis accepts any non-negative hz and clamps it to what the cron can do.
         return store(parse_bounded_int(v, 0, int_max), [&](int64_t hz) {
           c.hz = static_cast<int>(std::clamp<int64_t>(hz, constants::hz_min, constants::hz_max));
         });
       },
       [](const Config& c) { return number(c.hz); }},
      {"latency-monitor-threshold", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, long_long_max),
                      [&](int64_t ms) { c.latency_monitor_threshold_ms = ms; });
       },
       [](const Config& c) { return number(c.latency_monitor_threshold_ms); }},
      {"lfu-decay-time", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, int_max), [&](int64_t minutes) {
           c.eviction.lfu_decay_time_minutes = static_cast<int>(minutes);
         });
       },
       [](const Config& c) { return number(c.eviction.lfu_decay_time_minutes); }},
      {"lfu-log-factor", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, int_max), [&](int64_t factor) {
           c.eviction.lfu_log_factor = static_cast<int>(factor);
         });
       },
       [](const Config& c) { return number(c.eviction.lfu_log_factor); }},
      {"logfile", false, false,
       [](Config& c, std::string_view v) {
         c.logfile = std::string(v);
         return Status::ok();
       },
       [](const Config& c) { return c.logfile; }},
      {"loglevel", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_choice(v, {"debug", "verbose", "notice", "warning"}),
                      [&](const std::string& level) { c.loglevel = level; });
       },
       [](const Config& c) { return c.loglevel; }},
      {"maxclients", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 1, std::numeric_limits<uint32_t>::max()),
                      [&](int64_t count) { c.maxclients = count; });
       },
       [](const Config& c) { return number(c.maxclients); }},
      {"key-load-delay", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, int_max),
                      [&](int64_t us) { c.key_load_delay_us = us; });
       },
       [](const Config& c) { return number(c.key_load_delay_us); }, /*hidden=*/true},
      {"maxmemory", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_memory(v), [&](int64_t bytes) {
           c.eviction.maxmemory_bytes = static_cast<uint64_t>(bytes);
         });
       },
       [](const Config& c) { return std::to_string(c.eviction.maxmemory_bytes); }},
      {"maxmemory-clients", true, false, set_maxmemory_clients,
       [](const Config& c) {
         return c.maxmemory_clients_percent ? fmt::format("{}%", c.maxmemory_clients)
                                            : number(c.maxmemory_clients);
       }},
      {"maxmemory-policy", true, false, set_policy,
       [](const Config& c) { return std::string(store::maxmemory_policy_name(c.eviction.policy)); }},
      {"maxmemory-samples", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 1, constants::maxmemory_samples_max),
                      [&](int64_t samples) { c.eviction.samples = static_cast<int>(samples); });
       },
       [](const Config& c) { return number(c.eviction.samples); }},
      {"port", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, 65535),
                      [&](int64_t port) { c.port = static_cast<uint16_t>(port); });
       },
       [](const Config& c) { return number(c.port); }},
      {"proto-max-bulk-len", true, false,
       [](Config& c, std::string_view v) {
         auto bytes = parse_memory(v);
         if (bytes && bytes.value() < constants::proto_max_bulk_len_min) {
           return Status(Errc::invalid_argument,
                         fmt::format("argument must be between {} and {} inclusive",
                                     constants::proto_max_bulk_len_min,
                                     std::numeric_limits<int64_t>::max()));
         }
         return store(bytes, [&](int64_t value) { c.proto_max_bulk_len = value; });
       },
       [](const Config& c) { return number(c.proto_max_bulk_len); }},
      {"requirepass", true, false,
       [](Config& c, std::string_view v) {
         c.requirepass = std::string(v);
         return Status::ok();
       },
       [](const Config& c) { return c.requirepass; }},
      {"save", true, true,
       [](Config& c, std::string_view v) {
         c.save = std::string(v);
         return Status::ok();
       },
       [](const Config& c) { return c.save; }},
      {"slowlog-log-slower-than", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, -1, long_long_max),
                      [&](int64_t us) { c.slowlog_log_slower_than_us = us; });
       },
       [](const Config& c) { return number(c.slowlog_log_slower_than_us); }},
      {"slowlog-max-len", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, long_long_max),
                      [&](int64_t len) { c.slowlog_max_len = len; });
       },
       [](const Config& c) { return number(c.slowlog_max_len); }},
      {"timeout", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, int_max),
                      [&](int64_t seconds) { c.timeout_seconds = seconds; });
       },
       [](const Config& c) { return number(c.timeout_seconds); }},
  };
}


}  // namespace ringcache::server
