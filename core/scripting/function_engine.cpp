#include "core/scripting/function_engine.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/constants.h"
#include "core/scripting/engine.h"
#include "core/scripting/library_metadata.h"
#include "core/scripting/lua_errors.h"
#include "core/scripting/sandbox.h"
#include "core/scripting/shebang.h"
#include "core/util/assert.h"

namespace ringcache::scripting {

namespace {

constexpr const char* load_globals_key = "ringcache.load_globals";
constexpr const char* functions_key = "ringcache.functions";  // lower-case name -> function
constexpr const char* pending_key = "ringcache.pending";      // what the loading library registers

Status invalid(std::string message) { return Status(Errc::invalid_argument, std::move(message)); }

// Redis 7.0 words a bad function name as it words a bad library name.
Status invalid_name() {
  return invalid(
      "Library names can only contain letters, numbers, or underscores(_) and must be at least "
      "one character long");
}

// The whole string (NUL bytes included: a name with one is invalid, not cut short).
std::string string_at(lua_State* L, int index) {
  size_t size = 0;
  const char* text = lua_tolstring(L, index, &size);
  return {text, size};
}

// The flags table of register_function{...}: names as Redis spells them.
uint32_t parse_flags(lua_State* L, int table) {
  if (!lua_istable(L, table)) {
    raise_error(L,
                "flags argument to redis.register_function must be a table representing "
                "function flags");
  }
  uint32_t flags = 0;
  for (int i = 1;; ++i) {
    lua_rawgeti(L, table, i);
    if (lua_isnil(L, -1)) break;
    const uint32_t flag =
        lua_type(L, -1) == LUA_TSTRING ? script_flag_named(lua_tostring(L, -1)) : 0;
    if (flag == 0) raise_error(L, "unknown flag given");
    flags |= flag;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return flags;
}

// register_function{function_name=, callback=, flags=, description=}: leaves the callback on top.
FunctionInfo named_arguments(lua_State* L) {
  FunctionInfo info;
  bool has_name = false;
  bool has_callback = false;
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    const char* key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
    const std::string_view field = key;
    if (field == "function_name") {
      if (lua_type(L, -1) != LUA_TSTRING) {
        raise_error(L, "function_name argument given to redis.register_function must be a string");
      }
      info.name = string_at(L, -1);
      has_name = true;
    } else if (field == "callback") {
      if (!lua_isfunction(L, -1)) {
        raise_error(L, "callback argument given to redis.register_function must be a function");
      }
      lua_pushvalue(L, -1);
      lua_replace(L, 2);  // kept at index 2
      has_callback = true;
    } else if (field == "description") {
      if (lua_type(L, -1) != LUA_TSTRING) {
        raise_error(L, "description argument given to redis.register_function must be a string");
      }
      info.description = string_at(L, -1);
    } else if (field == "flags") {
      info.flags = parse_flags(L, lua_gettop(L));
    } else {
      raise_error(L, "unknown argument given to redis.register_function");
    }
    lua_pop(L, 1);
  }
  if (!has_name) raise_error(L, "redis.register_function must get a function name argument");
  if (!has_callback) raise_error(L, "redis.register_function must get a callback argument");
  return info;
}

}  // namespace

// redis.register_function, while a library loads (upvalue 1: the engine).
int register_function(lua_State* L) {
  auto* engine = static_cast<FunctionEngine*>(lua_touserdata(L, lua_upvalueindex(1)));
  if (engine->pending_ == nullptr) {
    raise_error(L, "redis.register_function can only be called on FUNCTION LOAD command");
  }
  const int argc = lua_gettop(L);
  FunctionInfo info;
  if (argc == 1) {
    if (!lua_istable(L, 1)) {
      raise_error(L,
                  "calling redis.register_function with a single argument is only applicable "
                  "to Lua table (representing named arguments).");
    }
    lua_settop(L, 2);
    info = named_arguments(L);
  } else if (argc == 2) {
    if (lua_type(L, 1) != LUA_TSTRING) {
      raise_error(L, "first argument to redis.register_function must be a string");
    }
    if (!lua_isfunction(L, 2)) {
      raise_error(L, "second argument to redis.register_function must be a function");
    }
    info.name = string_at(L, 1);
  } else {
    raise_error(L, "wrong number of arguments to redis.register_function");
  }
  if (!valid_function_name(info.name)) raise_error(L, invalid_name().message());
  std::vector<FunctionInfo>& pending = engine->pending_->functions;
  const bool duplicate = std::any_of(pending.begin(), pending.end(), [&](const FunctionInfo& f) {
    return protocol::iequals(f.name, info.name);
  });
  if (duplicate) raise_error(L, "Function already exists in the library");
  lua_getfield(L, LUA_REGISTRYINDEX, pending_key);
  const std::string key = protocol::lowered(info.name);
  lua_pushvalue(L, 2);
  lua_setfield(L, -2, key.c_str());
  pending.push_back(std::move(info));
  return 0;
}

namespace {

// What a library's code sees while it loads: a `redis` table of register_function, log and
// the version fields, and no other global.
void install_load_globals(lua_State* L, FunctionEngine* engine) {
  lua_newtable(L);  // the load-time globals
  lua_newtable(L);  // their `redis`
  lua_pushlightuserdata(L, engine);
  lua_pushcclosure(L, register_function, 1);
  lua_setfield(L, -2, "register_function");
  lua_getglobal(L, "redis");
  for (const char* field : {"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING",
                            "REDIS_VERSION", "REDIS_VERSION_NUM"}) {
    lua_getfield(L, -1, field);
    lua_setfield(L, -3, field);
  }
  lua_pop(L, 1);
  make_readonly_view(L, true);
  lua_setfield(L, -2, "redis");
  lua_newtable(L);
  lua_pushcfunction(L, [](lua_State* state) -> int {
    const char* name = lua_tostring(state, 2);
    return luaL_error(state, "Script attempted to access nonexistent global variable '%s'",
                      name != nullptr ? name : "?");
  });
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, load_globals_key);
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, functions_key);
}

}  // namespace

FunctionEngine::FunctionEngine(uint64_t seed, size_t heap_limit_bytes)
    : interpreter_(seed, heap_limit_bytes,
                   [this](lua_State* L) { install_load_globals(L, this); }) {}

Result<std::vector<FunctionInfo>> FunctionEngine::run_library_code(std::string_view code,
                                                                   std::string_view name,
                                                                   Host& loading) {
  lua_State* L = interpreter_.state();
  std::string source(code);
  source.replace(0, 2, "--");  // the metadata line stays, as a comment
  if (!is_source(source)) return invalid("Error compiling function: precompiled chunk");
  if (luaL_loadbuffer(L, source.data(), source.size(), "@user_function") != 0) {
    std::string error = fmt::format("Error compiling function: {}", lua_tostring(L, -1));
    lua_pop(L, 1);
    return invalid(std::move(error));
  }
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, pending_key);
  Pending pending;
  pending_ = &pending;
  use_globals(L, load_globals_key);
  std::string error;
  const bool ok = interpreter_.call_quietly(0, loading, error);
  use_globals(L, real_globals_key);
  pending_ = nullptr;
  if (!ok) return invalid(fmt::format("Error registering functions: {}", error));
  if (pending.functions.empty()) return invalid("No functions registered");
  for (FunctionInfo& function : pending.functions) {
    const auto existing = functions_.find(function.name);
    if (existing != functions_.end() && !protocol::iequals(existing->second.library, name)) {
      return invalid(fmt::format("Function {} already exists", function.name));
    }
    function.library = name;
  }
  return std::move(pending.functions);
}

Result<std::string> FunctionEngine::load(std::string_view code, bool replace, Host& loading) {
  Result<LibraryMetadata> metadata = parse_library_metadata(code);
  if (!metadata) return metadata.status();
  const std::string& name = metadata->name;
  if (!replace && libraries_.contains(name)) {
    return invalid(fmt::format("Library '{}' already exists", name));
  }
  Result<std::vector<FunctionInfo>> functions = run_library_code(code, name, loading);
  if (!functions) return functions.status();
  drop_library(name);
  lua_State* L = interpreter_.state();
  lua_getfield(L, LUA_REGISTRYINDEX, functions_key);
  lua_getfield(L, LUA_REGISTRYINDEX, pending_key);
  Library library{name, std::string(code), {}};
  for (FunctionInfo& function : *functions) {
    const std::string key = protocol::lowered(function.name);
    lua_getfield(L, -1, key.c_str());
    lua_setfield(L, -3, key.c_str());
    library.functions.push_back(function.name);
    functions_.emplace(function.name, std::move(function));
  }
  lua_pop(L, 2);
  lua_pushnil(L);
  lua_setfield(L, LUA_REGISTRYINDEX, pending_key);
  std::sort(library.functions.begin(), library.functions.end());
  libraries_.emplace(name, std::move(library));
  return name;
}

void FunctionEngine::drop_library(const std::string& name) {
  const auto it = libraries_.find(name);
  if (it == libraries_.end()) return;
  lua_State* L = interpreter_.state();
  lua_getfield(L, LUA_REGISTRYINDEX, functions_key);
  for (const std::string& function : it->second.functions) {
    lua_pushnil(L);
    lua_setfield(L, -2, protocol::lowered(function).c_str());
    functions_.erase(function);
  }
  lua_pop(L, 1);
  libraries_.erase(it);
}

bool FunctionEngine::remove(std::string_view library) {
  const auto it = libraries_.find(library);
  if (it == libraries_.end()) return false;
  drop_library(it->first);
  return true;
}

void FunctionEngine::flush() {
  libraries_.clear();
  functions_.clear();
  interpreter_.reset();
}

const FunctionInfo* FunctionEngine::function(std::string_view name) const {
  const auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : &it->second;
}

const Library* FunctionEngine::library(std::string_view name) const {
  const auto it = libraries_.find(name);
  return it == libraries_.end() ? nullptr : &it->second;
}

std::vector<const Library*> FunctionEngine::libraries() const {
  std::vector<const Library*> all;
  for (const auto& [name, library] : libraries_) all.push_back(&library);
  return all;
}

void FunctionEngine::call(const FunctionInfo& function, std::span<const std::string_view> keys,
                          std::span<const std::string_view> args, Host& host,
                          protocol::ReplyWriter& reply) {
  lua_State* L = interpreter_.state();
  lua_getfield(L, LUA_REGISTRYINDEX, functions_key);
  lua_getfield(L, -1, protocol::lowered(function.name).c_str());
  lua_remove(L, -2);
  RING_ASSERT_MSG(lua_isfunction(L, -1), "a listed function is in the interpreter");
  push_string_array(L, keys);
  push_string_array(L, args);
  interpreter_.call(2, function.name, host, reply);
}

}  // namespace ringcache::scripting
