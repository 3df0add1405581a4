#pragma once
// An ACL user as Redis 7.0 keeps it: flags, password hashes and selectors (the root one, then
// those added with "(...)"), each a set of permitted commands, key patterns and channel
// patterns. Rules (ACL SETUSER's words: "on", ">pass", "+@read", "~key*", "(...)") change a user
// one at a time (rules.h); what a user may run is decided in permissions.h.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ringcache::server::acl {

// One key pattern and what it allows on matching keys (KeyAccess bits of command_table.h:
// %R~ reads, %W~ writes, ~ both).
struct KeyPattern {
  std::string pattern;
  uint8_t access = 0;
  bool operator==(const KeyPattern&) const = default;
};

struct Selector {
  // Indexed by CommandSpec::id: whether the command (or subcommand) may run.
  std::vector<bool> commands;
  // Set by +@all only (cleared by -@all): commands added later are allowed too, and GETUSER
  // describes the rules starting from +@all.
  bool future_commands = false;
  // First arguments allowed for an otherwise denied command without subcommands (+select|0),
  // by command id.
  std::map<uint32_t, std::vector<std::string>> first_args;
  bool all_keys = false;
  std::vector<KeyPattern> keys;
  bool all_channels = false;
  std::vector<std::string> channels;
  bool operator==(const Selector&) const = default;
};

struct User {
  std::string name;
  bool enabled = false;
  bool nopass = false;
  // RESTORE payload sanitising: unset (neither shown), "sanitize-payload" or
  // "skip-sanitize-payload" (ringcache keeps the flag for ACL LIST; it has no RESTORE).
  enum class Sanitize : uint8_t { unset, sanitize, skip } sanitize = Sanitize::unset;
  std::vector<std::string> password_hashes;  // SHA-256 hex, in the order added
  std::vector<Selector> selectors;           // [0] is the root selector
  // Cached by refresh(): the root selector allows every command, key and channel, so dispatch
  // checks nothing else (the default user's usual case: one branch on the hot path).
  bool unrestricted = false;
  bool operator==(const User&) const = default;

  Selector& root() { return selectors.front(); }
  const Selector& root() const { return selectors.front(); }
};

}  // namespace ringcache::server::acl
