#include "core/scripting/resp_to_lua.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>

#include "core/protocol/integer.h"
#include "core/scripting/lua_errors.h"
#include "core/util/assert.h"

namespace ringcache::scripting {
namespace {

class ReplyReader {
 public:
  ReplyReader(lua_State* L, std::string_view resp) : L_(L), resp_(resp) {}

  // Pushes one value; returns its type byte.
  char push_value() {
    RING_ASSERT_MSG(pos_ < resp_.size(), "a reply is complete");
    luaL_checkstack(L_, 4, "reply nested too deep");
    const char type = resp_[pos_++];
    const std::string_view line = read_line();
    switch (type) {
      case ':':
        lua_pushnumber(L_, static_cast<double>(number(line)));
        break;
      case '$':
      case '=':
      case '(':
        push_text(type, line);
        break;
      case '+':
        push_tagged("ok", line);
        break;
      case '-':
        push_tagged("err", line);
        lua_pushboolean(L_, 1);
        lua_setfield(L_, -2, counted_error_field);
        break;
      case '*':
      case '>':
        push_array(number(line));
        break;
      case '%':
        push_pairs("map", number(line), false);
        break;
      case '~':
        push_pairs("set", number(line), true);
        break;
      case '_':
        lua_pushnil(L_);
        break;
      case '#':
        lua_pushboolean(L_, line == "t");
        break;
      case ',':
        push_double(line);
        break;
      default:
        RING_ASSERT_MSG(false, "a RESP type our writer produces");
    }
    return type;
  }

 private:
  std::string_view read_line() {
    const size_t end = resp_.find("\r\n", pos_);
    RING_ASSERT_MSG(end != std::string_view::npos, "reply lines end in CRLF");
    const std::string_view line = resp_.substr(pos_, end - pos_);
    pos_ = end + 2;
    return line;
  }

  static int64_t number(std::string_view line) {
    const std::optional<int64_t> value = protocol::parse_int64(line);
    RING_ASSERT_MSG(value.has_value(), "RESP lengths and integers are integers");
    return *value;
  }

  std::string_view read_bulk(int64_t size) {
    const std::string_view bytes = resp_.substr(pos_, static_cast<size_t>(size));
    pos_ += static_cast<size_t>(size) + 2;
    return bytes;
  }

  void push_text(char type, std::string_view line) {
    const int64_t size = number(line);
    if (size < 0) return lua_pushboolean(L_, 0);
    const std::string_view bytes = read_bulk(size);
    if (type == '$') return lua_pushlstring(L_, bytes.data(), bytes.size());
    if (type == '(') return push_tagged("big_number", bytes);
    // Verbatim: "txt:" then the text.
    lua_newtable(L_);
    lua_newtable(L_);
    lua_pushlstring(L_, bytes.data(), std::min<size_t>(3, bytes.size()));
    lua_setfield(L_, -2, "format");
    const std::string_view text = bytes.size() > 4 ? bytes.substr(4) : std::string_view{};
    lua_pushlstring(L_, text.data(), text.size());
    lua_setfield(L_, -2, "string");
    lua_setfield(L_, -2, "verbatim_string");
  }

  void push_tagged(const char* field, std::string_view text) {
    lua_newtable(L_);
    lua_pushlstring(L_, text.data(), text.size());
    lua_setfield(L_, -2, field);
  }

  void push_double(std::string_view line) {
    const std::string text(line);
    lua_newtable(L_);
    lua_pushnumber(L_, std::strtod(text.c_str(), nullptr));
    lua_setfield(L_, -2, "double");
  }

  void push_array(int64_t count) {
    if (count < 0) return lua_pushboolean(L_, 0);
    lua_createtable(L_, static_cast<int>(count), 0);
    for (int64_t i = 1; i <= count; ++i) {
      push_value();
      lua_rawseti(L_, -2, static_cast<int>(i));
    }
  }

  void push_pairs(const char* field, int64_t count, bool keys_only) {
    lua_newtable(L_);
    lua_newtable(L_);
    for (int64_t i = 0; i < count; ++i) {
      push_value();
      if (keys_only) {
        lua_pushboolean(L_, 1);
      } else {
        push_value();
      }
      lua_rawset(L_, -3);
    }
    lua_setfield(L_, -2, field);
  }

  lua_State* L_;
  std::string_view resp_;
  size_t pos_ = 0;
};

}  // namespace

bool push_resp_reply(lua_State* L, std::string_view resp) {
  return ReplyReader(L, resp).push_value() == '-';
}

}  // namespace ringcache::scripting
