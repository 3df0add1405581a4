#include "core/scripting/lua_errors.h"

#include <fmt/format.h>

namespace ringcache::scripting {
namespace {

std::string string_field(lua_State* L, int table, const char* name) {
  lua_pushstring(L, name);
  lua_rawget(L, table);
  std::string value;
  if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER) {
    size_t size = 0;
    const char* text = lua_tolstring(L, -1, &size);
    value.assign(text, size);
  }
  lua_pop(L, 1);
  return value;
}

// Error replies are one line: Redis turns line breaks into spaces.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return text;
}

}  // namespace

void push_error_table(lua_State* L, std::string_view error) {
  std::string message;
  if (!error.empty() && error.front() == '-') {
    error.remove_prefix(1);
    message = error.find(' ') == std::string_view::npos ? fmt::format("ERR {}", error)
                                                        : std::string(error);
  } else {
    message = fmt::format("ERR {}", error);
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
  lua_newtable(L);
  lua_pushlstring(L, message.data(), message.size());
  lua_setfield(L, -2, "err");
}

void raise_error(lua_State* L, std::string_view error) {
  push_error_table(L, error);
  lua_error(L);
  __builtin_unreachable();
}

int error_handler(lua_State* L) {
  if (!lua_istable(L, 1)) {
    const char* text = lua_tostring(L, 1);
    const std::string message = fmt::format("ERR {}", text != nullptr ? text : "execution failure");
    lua_newtable(L);
    lua_pushlstring(L, message.data(), message.size());
    lua_setfield(L, -2, "err");
    lua_replace(L, 1);
  }
  // The innermost Lua function on the stack (level 0 is this handler; C functions such as
  // redis.call or error have no line).
  lua_Debug where;
  for (int level = 1; lua_getstack(L, level, &where) != 0; ++level) {
    if (lua_getinfo(L, "Sl", &where) != 0 && where.currentline >= 0) {
      lua_pushstring(L, where.source);
      lua_setfield(L, 1, "source");
      lua_pushinteger(L, where.currentline);
      lua_setfield(L, 1, "line");
      break;
    }
  }
  lua_settop(L, 1);
  return 1;
}

bool error_already_counted(lua_State* L, int index) {
  if (!lua_istable(L, index)) return false;
  lua_getfield(L, index, counted_error_field);
  const bool counted = lua_toboolean(L, -1) != 0;
  lua_pop(L, 1);
  return counted;
}

void write_error_reply(lua_State* L, int index, std::string_view text,
                       protocol::ReplyWriter& reply) {
  if (error_already_counted(L, index)) return reply.error_already_counted(text);
  reply.error(text);
}

std::string error_reply_text(lua_State* L, int index, std::string_view name) {
  if (!lua_istable(L, index)) {
    const char* text = lua_tostring(L, index);
    return one_line(fmt::format("ERR Error running script {}, {:.100}", name,
                                text != nullptr ? text : "execution failure"));
  }
  if (index < 0) index = lua_gettop(L) + index + 1;
  std::string message = string_field(L, index, "err");
  const std::string source = string_field(L, index, "source");
  const std::string line = string_field(L, index, "line");
  if (!source.empty() && !line.empty()) {
    message += fmt::format(" script: {}, on {}:{}.", name, source, line);
  }
  return one_line(std::move(message));
}

}  // namespace ringcache::scripting
