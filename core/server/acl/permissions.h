#pragma once
// Whether a user may run one command with its arguments, as Redis 7.0 decides it: a selector
// allows the call when it allows the command (or its first argument), every key the command names
// with the access the command needs, and every channel it publishes or subscribes to. The user
// may run the call when any selector allows it; otherwise the refusal that got furthest is the
// one reported (a key refusal over a command one), as Redis does.

#include <cstdint>
#include <span>
#include <string_view>

#include "core/server/acl/user.h"
#include "core/server/command_table.h"

namespace ringcache::server::acl {

enum class Denial : uint8_t { none = 0, command = 1, key = 2, channel = 4 };

struct Verdict {
  Denial denial = Denial::none;
  int argument = 0;  // argv index of the refused key or channel (0 for a command)
  bool allowed() const { return denial == Denial::none; }
};

Verdict check_command(const User& user, const CommandSpec& spec,
                      std::span<const std::string_view> argv);
// Whether the user may use the key with `access` (KeyAccess bits), or the channel (literally
// when `pattern`, as for PSUBSCRIBE), in any selector.
bool key_allowed(const User& user, std::string_view key, uint8_t access);
bool channel_allowed(const User& user, std::string_view channel, bool pattern);
// Whether a selector that allows the call may also read every key (allkeys, or a ~* / %R~*
// pattern): SORT's BY and GET patterns read keys no key spec names, so Redis asks this.
bool may_read_any_key(const User& user, const CommandSpec& spec,
                      std::span<const std::string_view> argv);
// The access (KeyAccess read/write bits, 0 for either) a command needs on its key number
// `index` (0: the first key it names), from its key-spec flags as Redis derives it.
uint8_t key_access_of(const CommandSpec& spec, std::span<const std::string_view> argv,
                      size_t index);

}  // namespace ringcache::server::acl
