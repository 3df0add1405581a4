#pragma once
// ACL SETUSER's rules, one at a time, with Redis 7.0's meaning and error words, and the way back:
// a user described as the rules that recreate it (ACL LIST, ACL GETUSER, the aclfile).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/server/acl/user.h"
#include "core/server/command_table.h"
#include "core/util/status.h"

namespace ringcache::server::acl {

struct RuleContext {
  const CommandTable& table;
  // acl-pubsub-default allchannels: new users and "reset" start with every channel allowed.
  bool all_channels_by_default = false;
};

// A user as Redis creates one: off, no password, no command, key or channel.
User new_user(std::string name, const RuleContext& context);
// Redis' default user: on, nopass, every command, key and channel.
User new_default_user(const RuleContext& context);

// Applies one rule. On error the message is Redis' ("Syntax error", "Unknown command or category
// name in ACL", ...) and `user` may be half changed: apply rules to a copy.
Status apply_rule(User& user, std::string_view rule, const RuleContext& context);
// Applies rules in order, after joining a selector written over several arguments ("(~a", "+get)")
// as ACL SETUSER does. The error is the whole reply's text without "-" ("ERR Error in ACL SETUSER
// modifier '...': ...").
Status apply_rules(User& user, std::span<const std::string_view> rules,
                   const RuleContext& context);
// Recomputes the cached User::unrestricted; apply_rule(s) call it.
void refresh(User& user);

// Whether a user name is valid (no spaces or NUL, as Redis).
bool valid_user_name(std::string_view name);

// ACL LIST's line: "user alice on #<hash> ~k* resetchannels -@all +get".
std::string describe_user(const User& user, const CommandTable& table);
// A selector's parts as ACL GETUSER shows them.
std::string describe_commands(const Selector& selector, const CommandTable& table);
std::string describe_keys(const Selector& selector);
std::string describe_channels(const Selector& selector);
// The flags ACL GETUSER lists: on/off, nopass, (skip-)sanitize-payload.
std::vector<std::string_view> user_flags(const User& user);

}  // namespace ringcache::server::acl
