#include "core/scripting/lua_to_resp.h"

#include <cmath>
#include <limits>
#include <string>
#include <string_view>

#include "core/constants.h"
#include "core/scripting/lua_errors.h"

namespace ringcache::scripting {
namespace {

std::string_view view_at(lua_State* L, int index) {
  size_t size = 0;
  const char* text = lua_tolstring(L, index, &size);
  return {text, size};
}

// (long long) of a Lua number as Redis casts it, without the undefined cases.
int64_t integer_of(double number) {
  if (std::isnan(number)) return 0;
  if (number >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
  if (number <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(number);
}

// Pushes t[field] (raw) and says whether it has type `type`; pops it when not.
bool field_of_type(lua_State* L, const char* field, int type) {
  lua_pushstring(L, field);
  lua_rawget(L, -2);
  if (lua_type(L, -1) == type) return true;
  lua_pop(L, 1);
  return false;
}

std::string one_line(std::string_view text) {
  std::string line(text);
  for (char& c : line) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return line;
}

void write_value(lua_State* L, int script_resp, protocol::ReplyWriter& reply, int depth);

void write_map(lua_State* L, int script_resp, protocol::ReplyWriter& reply, int depth) {
  size_t pairs = 0;
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    ++pairs;
    lua_pop(L, 1);
  }
  reply.map(pairs);
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    lua_pushvalue(L, -2);  // the key, converted from a copy so lua_next keeps its own
    write_value(L, script_resp, reply, depth + 1);
    write_value(L, script_resp, reply, depth + 1);
  }
}

void write_set(lua_State* L, int script_resp, protocol::ReplyWriter& reply, int depth) {
  size_t count = 0;
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    ++count;
    lua_pop(L, 1);
  }
  reply.set(count);
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    write_value(L, script_resp, reply, depth + 1);
  }
}

void write_array(lua_State* L, int script_resp, protocol::ReplyWriter& reply, int depth) {
  size_t count = 0;
  while (true) {
    lua_rawgeti(L, -1, static_cast<int>(count + 1));
    const bool end = lua_isnil(L, -1);
    lua_pop(L, 1);
    if (end) break;
    ++count;
  }
  reply.array(count);
  for (size_t i = 1; i <= count; ++i) {
    lua_rawgeti(L, -1, static_cast<int>(i));
    write_value(L, script_resp, reply, depth + 1);
  }
}

// The table on top (left in place).
void write_table(lua_State* L, int script_resp, protocol::ReplyWriter& reply, int depth) {
  if (field_of_type(L, "err", LUA_TSTRING)) {
    write_error_reply(L, -2, one_line(view_at(L, -1)), reply);  // the table, under its field
  } else if (field_of_type(L, "ok", LUA_TSTRING)) {
    reply.simple(one_line(view_at(L, -1)));
  } else if (field_of_type(L, "double", LUA_TNUMBER)) {
    reply.dbl(lua_tonumber(L, -1));
  } else if (field_of_type(L, "big_number", LUA_TSTRING)) {
    reply.bulk(view_at(L, -1));
  } else if (field_of_type(L, "map", LUA_TTABLE)) {
    write_map(L, script_resp, reply, depth);
  } else if (field_of_type(L, "set", LUA_TTABLE)) {
    write_set(L, script_resp, reply, depth);
  } else {
    write_array(L, script_resp, reply, depth);
    return;
  }
  lua_pop(L, 1);  // the field
}

void write_value(lua_State* L, int script_resp, protocol::ReplyWriter& reply, int depth) {
  if (depth > constants::lua_reply_depth_max || lua_checkstack(L, 4) == 0) {
    lua_pop(L, 1);
    return reply.error("ERR reached lua stack limit");
  }
  switch (lua_type(L, -1)) {
    case LUA_TSTRING:
      reply.bulk(view_at(L, -1));
      break;
    case LUA_TBOOLEAN:
      if (script_resp == 2) {
        lua_toboolean(L, -1) != 0 ? reply.integer(1) : reply.null();
      } else {
        reply.boolean(lua_toboolean(L, -1) != 0);
      }
      break;
    case LUA_TNUMBER:
      reply.integer(integer_of(lua_tonumber(L, -1)));
      break;
    case LUA_TTABLE:
      write_table(L, script_resp, reply, depth);
      break;
    default:
      reply.null();
  }
  lua_pop(L, 1);
}

}  // namespace

void write_lua_reply(lua_State* L, int script_resp, protocol::ReplyWriter& reply) {
  write_value(L, script_resp, reply, 0);
}

}  // namespace ringcache::scripting
