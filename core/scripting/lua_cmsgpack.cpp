#include "core/scripting/lua_cmsgpack.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

namespace ringcache::scripting {
namespace {

constexpr int nesting_max = 16;         // deeper tables encode as nil
constexpr int decode_depth_max = 1000;  // deeper input is refused, not recursed into

void put_big_endian(std::string& out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

void encode_integer(std::string& out, int64_t v) {
  if (v >= 0) {
    const auto u = static_cast<uint64_t>(v);
    if (u < 128) return out.push_back(static_cast<char>(u));
    if (u <= 0xff) return out.push_back('\xcc'), put_big_endian(out, u, 1);
    if (u <= 0xffff) return out.push_back('\xcd'), put_big_endian(out, u, 2);
    if (u <= 0xffffffffULL) return out.push_back('\xce'), put_big_endian(out, u, 4);
    return out.push_back('\xcf'), put_big_endian(out, u, 8);
  }
  const auto bits = static_cast<uint64_t>(v);
  if (v >= -32) return out.push_back(static_cast<char>(bits & 0xff));
  if (v >= -128) return out.push_back('\xd0'), put_big_endian(out, bits, 1);
  if (v >= -32768) return out.push_back('\xd1'), put_big_endian(out, bits, 2);
  if (v >= -2147483648LL) return out.push_back('\xd2'), put_big_endian(out, bits, 4);
  out.push_back('\xd3');
  put_big_endian(out, bits, 8);
}

void encode_number(std::string& out, double n) {
  const bool integral = std::isfinite(n) && std::floor(n) == n && n >= -9.2233720368547758e18 &&
                        n < 9.2233720368547758e18;
  if (integral) return encode_integer(out, static_cast<int64_t>(n));
  const auto f = static_cast<float>(n);
  if (static_cast<double>(f) == n || std::isnan(n)) {
    uint32_t bits = 0;
    std::memcpy(&bits, &f, sizeof bits);
    out.push_back('\xca');
    return put_big_endian(out, bits, 4);
  }
  uint64_t bits = 0;
  std::memcpy(&bits, &n, sizeof bits);
  out.push_back('\xcb');
  put_big_endian(out, bits, 8);
}

void encode_string(std::string& out, std::string_view s) {
  const size_t n = s.size();
  if (n < 32) {
    out.push_back(static_cast<char>(0xa0 | n));
  } else if (n <= 0xff) {
    out.push_back('\xd9');
    put_big_endian(out, n, 1);
  } else if (n <= 0xffff) {
    out.push_back('\xda');
    put_big_endian(out, n, 2);
  } else {
    out.push_back('\xdb');
    put_big_endian(out, n, 4);
  }
  out.append(s);
}

void encode_header(std::string& out, size_t n, bool array) {
  if (n < 16) return out.push_back(static_cast<char>((array ? 0x90 : 0x80) | n));
  if (n <= 0xffff) {
    out.push_back(array ? '\xdc' : '\xde');
    return put_big_endian(out, n, 2);
  }
  out.push_back(array ? '\xdd' : '\xdf');
  put_big_endian(out, n, 4);
}

// The length of the table on top when its keys are exactly 1..n, else -1.
int64_t array_length(lua_State* L) {
  int64_t count = 0;
  double max = 0;
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TNUMBER) {
      lua_pop(L, 1);
      return -1;
    }
    const double key = lua_tonumber(L, -1);
    if (key <= 0 || std::floor(key) != key) {
      lua_pop(L, 1);
      return -1;
    }
    max = std::max(max, key);
    ++count;
  }
  return max == static_cast<double>(count) ? count : -1;
}

void encode(lua_State* L, std::string& out, int level);

void encode_table(lua_State* L, std::string& out, int level) {
  luaL_checkstack(L, 4, "cmsgpack: table nested too deep");
  const int64_t length = array_length(L);
  if (length >= 0) {
    encode_header(out, static_cast<size_t>(length), true);
    for (int64_t i = 1; i <= length; ++i) {
      lua_rawgeti(L, -1, static_cast<int>(i));
      encode(L, out, level + 1);
    }
    return;
  }
  size_t pairs = 0;
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    lua_pop(L, 1);
    ++pairs;
  }
  encode_header(out, pairs, false);
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    lua_pushvalue(L, -2);
    encode(L, out, level + 1);  // the key (a copy)
    encode(L, out, level + 1);  // the value
  }
}

// Encodes the value on top and pops it.
void encode(lua_State* L, std::string& out, int level) {
  int type = lua_type(L, -1);
  if (type == LUA_TTABLE && level == nesting_max) type = LUA_TNIL;
  switch (type) {
    case LUA_TSTRING: {
      size_t size = 0;
      const char* text = lua_tolstring(L, -1, &size);
      encode_string(out, {text, size});
      break;
    }
    case LUA_TBOOLEAN:
      out.push_back(lua_toboolean(L, -1) != 0 ? '\xc3' : '\xc2');
      break;
    case LUA_TNUMBER:
      encode_number(out, lua_tonumber(L, -1));
      break;
    case LUA_TTABLE:
      encode_table(L, out, level);
      break;
    default:
      out.push_back('\xc0');
  }
  lua_pop(L, 1);
}

int pack(lua_State* L) {
  const int argc = lua_gettop(L);
  if (argc == 0) return luaL_argerror(L, 0, "MessagePack pack needs input.");
  std::string out;
  for (int i = 1; i <= argc; ++i) {
    lua_pushvalue(L, i);
    encode(L, out, 0);
  }
  lua_pushlstring(L, out.data(), out.size());
  return 1;
}

class Decoder {
 public:
  Decoder(lua_State* L, std::string_view in) : L_(L), in_(in) {}

  size_t left() const { return in_.size(); }

  // Pushes the next value.
  void decode(int depth = 0) {
    if (depth > decode_depth_max) luaL_error(L_, "Bad data format in input.");
    luaL_checkstack(L_, 4, "cmsgpack: input nested too deep");
    const auto type = static_cast<uint8_t>(take(1)[0]);
    if (type < 0x80) return lua_pushnumber(L_, type);
    if (type >= 0xe0) return lua_pushnumber(L_, static_cast<int8_t>(type));
    if ((type & 0xe0) == 0xa0) return push_string(type & 0x1f);
    if ((type & 0xf0) == 0x90) return push_array(type & 0x0f, depth);
    if ((type & 0xf0) == 0x80) return push_map(type & 0x0f, depth);
    switch (type) {
      case 0xc0:
        return lua_pushnil(L_);
      case 0xc2:
        return lua_pushboolean(L_, 0);
      case 0xc3:
        return lua_pushboolean(L_, 1);
      case 0xca: {
        const auto bits = static_cast<uint32_t>(big_endian(4));
        float f = 0;
        std::memcpy(&f, &bits, sizeof f);
        return lua_pushnumber(L_, f);
      }
      case 0xcb: {
        const uint64_t bits = big_endian(8);
        double d = 0;
        std::memcpy(&d, &bits, sizeof d);
        return lua_pushnumber(L_, d);
      }
      case 0xcc:
        return lua_pushnumber(L_, static_cast<double>(big_endian(1)));
      case 0xcd:
        return lua_pushnumber(L_, static_cast<double>(big_endian(2)));
      case 0xce:
        return lua_pushnumber(L_, static_cast<double>(big_endian(4)));
      case 0xcf:
        return lua_pushnumber(L_, static_cast<double>(big_endian(8)));
      case 0xd0:
        return lua_pushnumber(L_, static_cast<int8_t>(big_endian(1)));
      case 0xd1:
        return lua_pushnumber(L_, static_cast<int16_t>(big_endian(2)));
      case 0xd2:
        return lua_pushnumber(L_, static_cast<int32_t>(big_endian(4)));
      case 0xd3:
        return lua_pushnumber(L_, static_cast<double>(static_cast<int64_t>(big_endian(8))));
      case 0xc4:
      case 0xd9:
        return push_string(big_endian(1));
      case 0xc5:
      case 0xda:
        return push_string(big_endian(2));
      case 0xc6:
      case 0xdb:
        return push_string(big_endian(4));
      case 0xdc:
        return push_array(big_endian(2), depth);
      case 0xdd:
        return push_array(big_endian(4), depth);
      case 0xde:
        return push_map(big_endian(2), depth);
      case 0xdf:
        return push_map(big_endian(4), depth);
      default:
        luaL_error(L_, "Bad data format in input.");
    }
  }

 private:
  std::string_view take(uint64_t n) {
    if (n > in_.size()) luaL_error(L_, "Missing bytes in input.");
    const std::string_view bytes = in_.substr(0, n);
    in_.remove_prefix(n);
    return bytes;
  }

  uint64_t big_endian(int bytes) {
    uint64_t value = 0;
    for (const char c : take(static_cast<uint64_t>(bytes)))
      value = value << 8 | static_cast<uint8_t>(c);
    return value;
  }

  void push_string(uint64_t n) {
    const std::string_view bytes = take(n);
    lua_pushlstring(L_, bytes.data(), bytes.size());
  }

  void push_array(uint64_t n, int depth) {
    if (n > in_.size()) luaL_error(L_, "Missing bytes in input.");  // each element takes a byte
    lua_createtable(L_, static_cast<int>(n), 0);
    for (uint64_t i = 1; i <= n; ++i) {
      decode(depth + 1);
      lua_rawseti(L_, -2, static_cast<int>(i));
    }
  }

  void push_map(uint64_t n, int depth) {
    if (n > in_.size()) luaL_error(L_, "Missing bytes in input.");
    lua_createtable(L_, 0, static_cast<int>(n));
    for (uint64_t i = 0; i < n; ++i) {
      decode(depth + 1);
      decode(depth + 1);
      if (lua_isnil(L_, -2) || (lua_isnumber(L_, -2) && std::isnan(lua_tonumber(L_, -2)))) {
        lua_pop(L_, 2);  // a key Lua tables cannot hold
      } else {
        lua_rawset(L_, -3);
      }
    }
  }

  lua_State* L_;
  std::string_view in_;
};

// unpack, unpack_one, unpack_limit: `limit` 0 decodes everything and returns no offset.
int unpack_full(lua_State* L, int limit, int offset) {
  size_t size = 0;
  const char* data = luaL_checklstring(L, 1, &size);
  const auto length = static_cast<int64_t>(size);
  if (offset < 0 || limit < 0) {
    return luaL_error(L, "Invalid request to unpack with offset of %d and limit of %d.", offset,
                      limit);
  }
  if (offset > length) {
    return luaL_error(L, "Start offset %d greater than input length %d.", offset,
                      static_cast<int>(length));
  }
  const bool all = limit == 0;
  const int most = all ? std::numeric_limits<int>::max() : limit;
  lua_settop(L, 1);
  Decoder decoder(L, std::string_view(data + offset, size - static_cast<size_t>(offset)));
  int count = 0;
  for (; decoder.left() > 0 && count < most; ++count) decoder.decode();
  if (all) return count;
  const int64_t next = decoder.left() == 0 ? -1 : length - static_cast<int64_t>(decoder.left());
  lua_pushnumber(L, static_cast<double>(next));
  lua_insert(L, 2);
  return count + 1;
}

int unpack(lua_State* L) { return unpack_full(L, 0, 0); }

int unpack_one(lua_State* L) {
  return unpack_full(L, 1, static_cast<int>(luaL_optinteger(L, 2, 0)));
}

int unpack_limit(lua_State* L) {
  return unpack_full(L, static_cast<int>(luaL_checkinteger(L, 2)),
                     static_cast<int>(luaL_optinteger(L, 3, 0)));
}

}  // namespace

int luaopen_cmsgpack(lua_State* L) {
  static constexpr luaL_Reg functions[] = {{"pack", pack},
                                           {"unpack", unpack},
                                           {"unpack_one", unpack_one},
                                           {"unpack_limit", unpack_limit},
                                           {nullptr, nullptr}};
  lua_newtable(L);
  luaL_register(L, nullptr, functions);
  lua_pushstring(L, "lua-cmsgpack");
  lua_setfield(L, -2, "_NAME");
  return 1;
}

}  // namespace ringcache::scripting
