#pragma once
// What a running script needs from the node, supplied by the layer that runs commands
// (core/commands/scripting/). The interpreter never sees the server itself.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ringcache::scripting {

class Host {
 public:
  virtual ~Host() = default;

  // Runs one command for redis.call/pcall and returns its reply as RESP bytes of
  // `resp_version`, or an error reply ("-CODE message\r\n") when the script may not run it.
  virtual std::string call(std::span<const std::string_view> argv, int resp_version) = 0;
  // redis.acl_check_cmd: whether the script's caller may run `argv` (ACL); nullopt when no such
  // command exists.
  virtual std::optional<bool> acl_allows(std::span<const std::string_view> argv) { return true; }
  // redis.log: `level` is one of Redis' LL_* (0 debug .. 3 warning).
  virtual void log(int level, std::string_view message) = 0;
  // Called every constants::lua_hook_instructions instructions: checks the time limit, lets the
  // node serve other clients once it has passed, and says whether the script must stop now
  // (SCRIPT KILL, or the node is going away).
  virtual bool interrupted() = 0;
  // The error a script ends with once interrupted() said so.
  virtual std::string interruption() const { return "Script killed by user with SCRIPT KILL..."; }
};

}  // namespace ringcache::scripting
