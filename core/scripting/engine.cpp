#include "core/scripting/engine.h"

#include "core/protocol/ascii.h"
#include "core/scripting/sandbox.h"
#include "core/scripting/shebang.h"
#include "core/util/assert.h"
#include "core/util/sha1.h"

namespace ringcache::scripting {
namespace {

std::string function_name(std::string_view sha) { return "f_" + std::string(sha); }

}  // namespace

std::string normalized_sha(std::string_view sha) { return protocol::lowered(sha); }

void push_string_array(lua_State* L, std::span<const std::string_view> strings) {
  lua_createtable(L, static_cast<int>(strings.size()), 0);
  for (size_t i = 0; i < strings.size(); ++i) {
    lua_pushlstring(L, strings[i].data(), strings[i].size());
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
}

void Engine::flush() {
  interpreter_.reset();
  scripts_.clear();
}

Result<std::string> Engine::load(std::string_view body) {
  std::string sha = sha1_hex(body);
  if (scripts_.contains(sha)) return sha;
  Result<Shebang> shebang = parse_shebang(body, false);
  if (!shebang) return shebang.status();
  std::string source(body);
  // The shebang line becomes a comment, so the lines keep their numbers in error messages.
  if (shebang->present) source.replace(0, 2, "--");
  if (!is_source(source)) {
    return Status(Errc::invalid_argument,
                  "Error compiling script (new function): precompiled chunks are not allowed");
  }
  lua_State* L = interpreter_.state();
  if (luaL_loadbuffer(L, source.data(), source.size(), "@user_script") != 0) {
    const char* message = lua_tostring(L, -1);
    std::string error = "Error compiling script (new function): ";
    error += message != nullptr ? message : "unknown error";
    lua_pop(L, 1);
    return Status(Errc::invalid_argument, std::move(error));
  }
  lua_setfield(L, LUA_REGISTRYINDEX, function_name(sha).c_str());
  scripts_.emplace(sha, Script{shebang->flags, shebang->present});
  return sha;
}

uint32_t Engine::flags(std::string_view sha) const {
  const auto it = scripts_.find(sha);
  return it == scripts_.end() ? 0 : it->second.flags;
}

bool Engine::has_shebang(std::string_view sha) const {
  const auto it = scripts_.find(sha);
  return it != scripts_.end() && it->second.shebang;
}

void Engine::run(std::string_view sha, std::span<const std::string_view> keys,
                 std::span<const std::string_view> args, Host& host, protocol::ReplyWriter& reply) {
  const std::string name = function_name(sha);
  lua_State* L = interpreter_.state();
  lua_getfield(L, LUA_REGISTRYINDEX, name.c_str());
  RING_ASSERT_MSG(lua_isfunction(L, -1), "run() is given a loaded script");
  push_string_array(L, keys);
  set_protected_global(L, "KEYS");
  push_string_array(L, args);
  set_protected_global(L, "ARGV");
  interpreter_.call(0, sha, host, reply);  // errors name the script by its SHA-1, as Redis
}

}  // namespace ringcache::scripting
