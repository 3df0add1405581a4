// The option table behind Config::set/get, and the redis.conf and command-line readers.

#include "core/node/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "core/node/config_values.h"
#include "core/protocol/ascii.h"
#include "core/protocol/split_args.h"
#include "core/util/glob.h"

namespace ringcache::node {
namespace {

constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();
constexpr int64_t kLongLongMax = std::numeric_limits<int64_t>::max();

using Setter = Status (*)(Config&, std::string_view value);
using Getter = std::string (*)(const Config&);

struct Option {
  std::string_view name;
  bool is_mutable;
  bool takes_many_words;  // redis.conf lines like "save 3600 1 300 100" or "bind a b"
  Setter set;
  Getter get;
};

// Stores a parsed value into `field` via `assign`, or passes the parse error on.
template <typename T, typename Assign>
Status store(Result<T> parsed, Assign assign) {
  if (!parsed) return parsed.status();
  assign(parsed.value());
  return Status::ok();
}

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
  auto name = parse_choice(value, {"volatile-lru", "volatile-lfu", "volatile-random",
                                   "volatile-ttl", "allkeys-lru", "allkeys-lfu",
                                   "allkeys-random", "noeviction"});
  if (!name) return name.status();
  c.eviction.policy = *store::parse_maxmemory_policy(name.value());
  return Status::ok();
}

Status set_appendonly(Config&, std::string_view value) {
  auto enabled = parse_yes_no(value);
  if (!enabled) return enabled.status();
  if (enabled.value()) {
    return Status(Errc::invalid_argument, "the append-only file is not available yet");
  }
  return Status::ok();
}

std::string number(int64_t value) { return std::to_string(value); }

const std::vector<Option>& options() {
  static const std::vector<Option> kOptions = {
      {"appendfsync", false, false,
       [](Config&, std::string_view v) {
         return parse_choice(v, {"always", "everysec", "no"}).status();
       },
       [](const Config&) { return std::string("everysec"); }},
      {"appendonly", true, false, set_appendonly,
       [](const Config&) { return std::string("no"); }},
      {"bind", false, true, set_bind, [](const Config& c) { return c.bind; }},
      // Only database 0 exists; stock redis.conf files say "databases 16", which is accepted.
      {"databases", false, false,
       [](Config&, std::string_view v) { return parse_bounded_int(v, 1, kIntMax).status(); },
       [](const Config&) { return std::string("1"); }},
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
      {"hz", true, false,
       [](Config& c, std::string_view v) {
         // Redis accepts any non-negative hz and clamps it to what the cron can do.
         return store(parse_bounded_int(v, 0, kIntMax), [&](int64_t hz) {
           c.hz = static_cast<int>(std::clamp<int64_t>(hz, constants::hz_min, constants::hz_max));
         });
       },
       [](const Config& c) { return number(c.hz); }},
      {"latency-monitor-threshold", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, kLongLongMax),
                      [&](int64_t ms) { c.latency_monitor_threshold_ms = ms; });
       },
       [](const Config& c) { return number(c.latency_monitor_threshold_ms); }},
      {"lfu-decay-time", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, kIntMax), [&](int64_t minutes) {
           c.eviction.lfu_decay_time_minutes = static_cast<int>(minutes);
         });
       },
       [](const Config& c) { return number(c.eviction.lfu_decay_time_minutes); }},
      {"lfu-log-factor", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, kIntMax), [&](int64_t factor) {
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
      {"maxmemory", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_memory(v), [&](int64_t bytes) {
           c.eviction.maxmemory_bytes = static_cast<uint64_t>(bytes);
         });
       },
       [](const Config& c) { return std::to_string(c.eviction.maxmemory_bytes); }},
      {"maxmemory-policy", true, false, set_policy,
       [](const Config& c) { return std::string(store::maxmemory_policy_name(c.eviction.policy)); }},
      {"maxmemory-samples", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 1, constants::maxmemory_samples_max),
                      [&](int64_t samples) { c.eviction.samples = static_cast<int>(samples); });
       },
       [](const Config& c) { return number(c.eviction.samples); }},
      {"port", false, false,
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
         return store(parse_bounded_int(v, -1, kLongLongMax),
                      [&](int64_t us) { c.slowlog_log_slower_than_us = us; });
       },
       [](const Config& c) { return number(c.slowlog_log_slower_than_us); }},
      {"slowlog-max-len", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, kLongLongMax),
                      [&](int64_t len) { c.slowlog_max_len = len; });
       },
       [](const Config& c) { return number(c.slowlog_max_len); }},
      {"timeout", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, kIntMax),
                      [&](int64_t seconds) { c.timeout_seconds = seconds; });
       },
       [](const Config& c) { return number(c.timeout_seconds); }},
  };
  return kOptions;
}

const Option* find_option(std::string_view name) {
  for (const auto& option : options()) {
    if (protocol::iequals(option.name, name)) return &option;
  }
  return nullptr;
}

}  // namespace

Status Config::set(std::string_view name, std::string_view value) {
  const Option* option = find_option(name);
  if (option == nullptr) {
    return Status(Errc::not_found,
                  fmt::format("Unknown option or number of arguments for CONFIG SET - '{}'", name));
  }
  Status status = option->set(*this, value);
  if (status) return status;
  return Status(status.code(), fmt::format("CONFIG SET failed (possibly related to argument "
                                           "'{}') - {}", option->name, status.message()));
}

std::optional<std::string> Config::get(std::string_view name) const {
  const Option* option = find_option(name);
  if (option == nullptr) return std::nullopt;
  return option->get(*this);
}

std::vector<std::pair<std::string, std::string>> Config::matching(std::string_view pattern) const {
  std::vector<std::pair<std::string, std::string>> found;
  for (const auto& option : options()) {  // the table is sorted by name
    if (util::glob_match(pattern, option.name, /*nocase=*/true)) {
      found.emplace_back(std::string(option.name), option.get(*this));
    }
  }
  return found;
}

bool Config::is_mutable(std::string_view name) {
  const Option* option = find_option(name);
  return option != nullptr && option->is_mutable;
}

namespace {

Status config_line_error(size_t line_number, std::string_view line, std::string_view reason) {
  return Status(Errc::invalid_argument,
                fmt::format("config file line {}: >>> '{}': {}", line_number, line, reason));
}

// Applies one directive (already split into words) from a file or the command line; returns
// the bare reason on failure.
Status apply_directive(Config& config, const std::vector<std::string>& words) {
  const Option* option = find_option(words[0]);
  const size_t values = words.size() - 1;
  if (option == nullptr || values == 0 || (values > 1 && !option->takes_many_words)) {
    // "save" alone is how a file or command line turns snapshots off.
    if (option == nullptr || !(values == 0 && option->name == "save")) {
      return Status(Errc::invalid_argument, "Bad directive or wrong number of arguments");
    }
  }
  std::string value;
  for (size_t i = 1; i < words.size(); ++i) {
    if (i > 1) value.push_back(' ');
    value += words[i];
  }
  return option->set(config, value);
}

}  // namespace

Result<Config> parse_config_text(std::string_view text, Config base) {
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    ++line_number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos || line[start] == '#') continue;
    line.remove_prefix(start);
    std::vector<std::string> words;
    if (!protocol::split_args(line, words)) {
      return config_line_error(line_number, line, "Unbalanced quotes in configuration line");
    }
    Status status = apply_directive(base, words);
    if (!status) return config_line_error(line_number, line, status.message());
  }
  return base;
}

Result<Config> apply_command_line(const std::vector<std::string>& args, Config base) {
  size_t i = 0;
  while (i < args.size()) {
    if (!args[i].starts_with("--") || args[i].size() == 2) {
      return Status(Errc::invalid_argument, fmt::format("Unexpected argument '{}'", args[i]));
    }
    std::vector<std::string> words{args[i].substr(2)};
    for (++i; i < args.size() && !args[i].starts_with("--"); ++i) words.push_back(args[i]);
    if (find_option(words[0]) == nullptr) {
      return Status(Errc::invalid_argument, fmt::format("Unknown option '{}'", words[0]));
    }
    Status status = apply_directive(base, words);
    if (!status) {
      return Status(Errc::invalid_argument,
                    fmt::format("Invalid option '--{}': {}", words[0], status.message()));
    }
  }
  return base;
}

}  // namespace ringcache::node
