// The append-only file's options (persistence/aof_config.h), with redis.conf's names, ranges and
// mutability: appendfilename and appenddirname are fixed at startup, the rest can change with
// CONFIG SET (the AOF's control fiber acts on appendonly within aof_control_period_ms).

#include "core/server/config/config_options.h"

namespace ringcache::server {
namespace {

const char* fsync_name(FsyncPolicy policy) {
  switch (policy) {
    case FsyncPolicy::always: return "always";
    case FsyncPolicy::everysec: return "everysec";
    case FsyncPolicy::no: return "no";
  }
  RING_UNREACHABLE();
}

Status set_fsync(Config& c, std::string_view v) {
  auto choice = parse_choice(v, {"always", "everysec", "no"});
  if (!choice) return choice.status();
  c.aof.fsync = choice.value() == "always"     ? FsyncPolicy::always
                : choice.value() == "everysec" ? FsyncPolicy::everysec
                                               : FsyncPolicy::no;
  return Status::ok();
}

// A yes/no option held in `field`.
template <bool AofConfig::*field>
Option yes_no_option(std::string_view name) {
  return {name, true, false,
          [](Config& c, std::string_view v) {
            return store(parse_yes_no(v), [&](bool on) { c.aof.*field = on; });
          },
          [](const Config& c) { return std::string(c.aof.*field ? "yes" : "no"); }};
}

// A file or directory name: one path component, as Redis requires of appendfilename.
template <std::string AofConfig::*field>
Option name_option(std::string_view name) {
  return {name, false, false,
          [](Config& c, std::string_view v) {
            if (v.empty() || v.find('/') != std::string_view::npos || v == "." || v == "..") {
              return Status(Errc::invalid_argument, "must be a plain file name");
            }
            c.aof.*field = std::string(v);
            return Status::ok();
          },
          [](const Config& c) { return c.aof.*field; }};
}

}  // namespace

std::vector<Option> persistence_options() {
  return {
      yes_no_option<&AofConfig::enabled>("appendonly"),
      {"appendfsync", true, false, set_fsync,
       [](const Config& c) { return std::string(fsync_name(c.aof.fsync)); }},
      name_option<&AofConfig::filename>("appendfilename"),
      name_option<&AofConfig::dirname>("appenddirname"),
      {"auto-aof-rewrite-percentage", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, int_max),
                      [&](int64_t n) { c.aof.rewrite_percentage = n; });
       },
       [](const Config& c) { return number(c.aof.rewrite_percentage); }},
      {"auto-aof-rewrite-min-size", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_memory(v), [&](int64_t n) { c.aof.rewrite_min_size = n; });
       },
       [](const Config& c) { return number(c.aof.rewrite_min_size); }},
      yes_no_option<&AofConfig::load_truncated>("aof-load-truncated"),
  };
}

}  // namespace ringcache::server
