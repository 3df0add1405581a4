#pragma once
// Registration helpers of the list family (lists.cpp, lists_blocking.cpp): ACL categories and
// group as Redis 7.0 lists them.

#include <string>
#include <utility>

#include "core/commands/spec_builder.h"

namespace ringcache::commands {

inline CommandSpec list_spec(std::string name, int arity, uint32_t flags, KeyRange keys,
                             Handler handler, std::string summary, std::string since) {
  std::string acl = std::string((flags & flag_write) != 0 ? "@write" : "@read") + " @list " +
                    speed_category(flags);
  if ((flags & flag_blocking) != 0) acl += " @blocking";
  return make_spec(std::move(name), arity, flags, keys, handler,
                   {std::move(acl), "list", std::move(summary), std::move(since)});
}

// A command whose keys a function finds (LMPOP, BLMPOP): no first/last/step.
inline CommandSpec list_spec_movable(std::string name, int arity, uint32_t flags,
                                     KeyFinder finder, Handler handler, std::string summary,
                                     std::string since) {
  CommandSpec spec = list_spec(std::move(name), arity, flags | flag_movablekeys, KeyRange{},
                               handler, std::move(summary), std::move(since));
  spec.key_finder = finder;
  return spec;
}

// The blocking list commands (lists_blocking.cpp); register_list_commands calls it.
void register_blocking_list_commands(CommandTable& table);

}  // namespace ringcache::commands
