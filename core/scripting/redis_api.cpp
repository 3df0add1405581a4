#include "core/scripting/redis_api.h"

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/constants.h"
#include "core/scripting/lua_errors.h"
#include "core/scripting/resp_to_lua.h"
#include "core/util/sha1.h"

namespace ringcache::scripting {
namespace {

ApiState& state_of(lua_State* L) {
  return *static_cast<ApiState*>(lua_touserdata(L, lua_upvalueindex(1)));
}

// A number argument as text: integers in full (a double prints 2^53-1 exactly), others in
// their shortest round-trip form.
std::string number_text(double number) {
  if (std::floor(number) == number && std::fabs(number) < 1e17) {
    return fmt::format("{}", static_cast<int64_t>(number));
  }
  return fmt::format("{}", number);
}

// The arguments of redis.call/pcall/acl_check_cmd as strings (numbers in full), copied: the
// stack is free afterwards (unpack() of 7999 values leaves no room on it otherwise).
std::vector<std::string> command_args(lua_State* L, const char* function) {
  ApiState& state = state_of(L);
  const int argc = lua_gettop(L);
  if (argc == 0) raise_error(L, "Please specify at least one argument for this redis lib call");
  if (state.host == nullptr) {
    raise_error(L, fmt::format("{} can only be called inside a script invocation", function));
  }
  std::vector<std::string> args;
  args.reserve(static_cast<size_t>(argc));
  for (int i = 1; i <= argc; ++i) {
    const int type = lua_type(L, i);
    if (type == LUA_TNUMBER) {
      args.push_back(number_text(lua_tonumber(L, i)));
    } else if (type == LUA_TSTRING) {
      size_t size = 0;
      const char* text = lua_tolstring(L, i, &size);
      args.emplace_back(text, size);
    } else {
      raise_error(L, "Lua redis lib command arguments must be strings or integers");
    }
  }
  lua_settop(L, 0);
  return args;
}

// redis.call (raise_errors) and redis.pcall.
int call(lua_State* L, bool raise_errors) {
  const std::vector<std::string> args = command_args(L, "redis.call");
  const std::vector<std::string_view> argv(args.begin(), args.end());
  ApiState& state = state_of(L);
  const std::string reply = state.host->call(argv, state.resp_version);
  const bool failed = push_resp_reply(L, reply);
  if (failed && raise_errors) lua_error(L);
  return 1;
}

// redis.acl_check_cmd: whether the script's user may run the command (nothing runs).
int acl_check_cmd(lua_State* L) {
  const std::vector<std::string> args = command_args(L, "redis.acl_check_cmd");
  const std::vector<std::string_view> argv(args.begin(), args.end());
  const std::optional<bool> allowed = state_of(L).host->acl_allows(argv);
  if (!allowed) raise_error(L, "Invalid command passed to redis.acl_check_cmd()");
  lua_pushboolean(L, *allowed ? 1 : 0);
  return 1;
}

int call_raising(lua_State* L) { return call(L, true); }
int call_protected(lua_State* L) { return call(L, false); }

// error_reply and status_reply return (not raise) the error for bad arguments, as Redis does.
int error_reply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) {
    push_error_table(L, "wrong number or type of arguments");
    return 1;
  }
  const std::string_view message = lua_tostring(L, 1);
  push_error_table(L,
                   message.starts_with('-') ? std::string(message) : fmt::format("-{}", message));
  return 1;
}

int status_reply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) {
    push_error_table(L, "wrong number or type of arguments");
    return 1;
  }
  lua_newtable(L);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "ok");
  return 1;
}

int sha1hex(lua_State* L) {
  if (lua_gettop(L) != 1) raise_error(L, "wrong number of arguments");
  size_t size = 0;
  const char* text = lua_tolstring(L, 1, &size);
  const std::string hex = sha1_hex(text != nullptr ? std::string_view(text, size) : "");
  lua_pushlstring(L, hex.data(), hex.size());
  return 1;
}

int log(lua_State* L) {
  const int argc = lua_gettop(L);
  if (argc < 2) raise_error(L, "redis.log() requires two arguments or more.");
  if (lua_type(L, 1) != LUA_TNUMBER) raise_error(L, "First argument must be a number");
  const auto level = static_cast<int>(lua_tonumber(L, 1));
  if (level < 0 || level > 3) raise_error(L, "Invalid debug level.");
  std::string message;
  for (int i = 2; i <= argc; ++i) {
    size_t size = 0;
    const char* text = lua_tolstring(L, i, &size);
    if (text == nullptr) continue;
    if (!message.empty()) message.push_back(' ');
    message.append(text, size);
  }
  ApiState& state = state_of(L);
  if (state.host != nullptr) state.host->log(level, message);
  return 0;
}

int setresp(lua_State* L) {
  if (lua_gettop(L) != 1) raise_error(L, "redis.setresp() requires one argument.");
  const auto version = static_cast<int>(lua_tonumber(L, 1));
  if (version != 2 && version != 3) raise_error(L, "RESP version must be 2 or 3.");
  state_of(L).resp_version = version;
  return 0;
}

int set_repl(lua_State* L) {
  if (lua_gettop(L) != 1) raise_error(L, "redis.set_repl() requires one argument.");
  const auto flags = static_cast<int>(lua_tonumber(L, 1));
  if (flags < 0 || flags > 3) {
    raise_error(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
  }
  // A script's effects always reach the AOF and the replicas as one unit: the choice is accepted
  // and not acted on (docs/scripting.md).
  return 0;
}

int replicate_commands(lua_State* L) {
  lua_pushboolean(L, 1);
  return 1;
}

int breakpoint(lua_State* L) {
  lua_pushboolean(L, 0);
  return 1;
}

int debug(lua_State*) { return 0; }

void set_function(lua_State* L, ApiState& state, const char* name, lua_CFunction function) {
  lua_pushlightuserdata(L, &state);
  lua_pushcclosure(L, function, 1);
  lua_setfield(L, -2, name);
}

void set_number(lua_State* L, const char* name, double value) {
  lua_pushnumber(L, value);
  lua_setfield(L, -2, name);
}

}  // namespace

void install_redis_api(lua_State* L, ApiState& state) {
  lua_newtable(L);
  set_function(L, state, "call", call_raising);
  set_function(L, state, "pcall", call_protected);
  set_function(L, state, "error_reply", error_reply);
  set_function(L, state, "status_reply", status_reply);
  set_function(L, state, "acl_check_cmd", acl_check_cmd);
  set_function(L, state, "sha1hex", sha1hex);
  set_function(L, state, "log", log);
  set_function(L, state, "setresp", setresp);
  set_function(L, state, "set_repl", set_repl);
  set_function(L, state, "replicate_commands", replicate_commands);
  set_function(L, state, "breakpoint", breakpoint);
  set_function(L, state, "debug", debug);
  set_number(L, "LOG_DEBUG", 0);
  set_number(L, "LOG_VERBOSE", 1);
  set_number(L, "LOG_NOTICE", 2);
  set_number(L, "LOG_WARNING", 3);
  set_number(L, "REPL_NONE", 0);
  set_number(L, "REPL_AOF", 1);
  set_number(L, "REPL_SLAVE", 2);
  set_number(L, "REPL_REPLICA", 2);
  set_number(L, "REPL_ALL", 3);
  lua_pushstring(L, constants::redis_compat_version);
  lua_setfield(L, -2, "REDIS_VERSION");
  set_number(L, "REDIS_VERSION_NUM", constants::redis_compat_version_num);
  lua_setglobal(L, "redis");
}

}  // namespace ringcache::scripting
