#pragma once
// Registration shared by the list family's files (lists.cpp, lists_blocking.cpp).

#include "core/commands/spec_builder.h"

namespace ringcache::commands {

// What the list commands share: group "list", ACL "@write @list @slow @blocking" by flags.
inline SpecBuilder make_list_family() {
  return SpecBuilder::family("list", data_acl("@list"), one_key);
}

// The blocking list commands (lists_blocking.cpp); register_list_commands calls it.
void register_blocking_list_commands(CommandTable& table);

}  // namespace ringcache::commands
