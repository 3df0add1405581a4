#pragma once
// One-line construction of a command's registration, shared by the family files.

#include <string>
#include <utility>

#include "core/commands/command.h"

namespace ringcache::commands {

// The flag sets and key positions most commands share (Redis' command flags, command.h).
inline constexpr uint32_t read_fast = flag_readonly | flag_fast;
inline constexpr uint32_t write_fast = flag_write | flag_fast;
inline constexpr uint32_t write_oom = flag_write | flag_denyoom;
inline constexpr uint32_t write_oom_fast = flag_write | flag_denyoom | flag_fast;
inline constexpr KeyRange no_keys{};
inline constexpr KeyRange one_key{1, 1, 1};
inline constexpr KeyRange two_keys{1, 2, 1};
inline constexpr KeyRange all_keys{1, -1, 1};

struct SpecText {
  std::string acl_categories;  // "@write @string @fast", in COMMAND INFO's order
  std::string group;           // COMMAND DOCS group
  std::string summary;
  std::string since;
};

inline CommandSpec make_spec(std::string name, int arity, uint32_t flags, KeyRange keys,
                             Handler handler, SpecText text) {
  CommandSpec spec;
  spec.name = std::move(name);
  spec.arity = arity;
  spec.flags = flags;
  spec.keys = keys;
  spec.handler = handler;
  spec.acl_categories = std::move(text.acl_categories);
  spec.group = std::move(text.group);
  spec.summary = std::move(text.summary);
  spec.since = std::move(text.since);
  return spec;
}

// "@fast" or "@slow", as the command's fast flag says.
inline const char* speed_category(uint32_t flags) {
  return (flags & flag_fast) != 0 ? "@fast" : "@slow";
}

// A data-type command (group "hash", "set", "zset", "list"): ACL categories as Redis lists them,
// access (@read/@write), then @<group>, then speed ("@write @hash @fast").
inline CommandSpec data_type_spec(std::string name, std::string group, int arity, uint32_t flags,
                                  KeyRange keys, Handler handler, std::string summary,
                                  std::string since) {
  const char* access = (flags & flag_write) != 0 ? "@write" : "@read";
  std::string acl = std::string(access) + " @" + group + " " + speed_category(flags);
  return make_spec(std::move(name), arity, flags, keys, handler,
                   {std::move(acl), std::move(group), std::move(summary), std::move(since)});
}

}  // namespace ringcache::commands
