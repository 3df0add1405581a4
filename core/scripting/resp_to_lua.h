#pragma once
// A command's reply, as redis.call hands it to the script (Redis 7.0's conversions):
//   integer -> number        bulk -> string          null bulk, null array -> false
//   status -> {ok = "..."}   error -> {err = "..."}  array -> table
// and, after redis.setresp(3), the RESP3 types:
//   null -> nil              boolean -> boolean      double -> {double = number}
//   map -> {map = {k = v}}   set -> {set = {k = true}}
//   big number -> {big_number = "..."}   verbatim -> {verbatim_string = {format =, string =}}

#include <string_view>

#include "core/scripting/lua.h"

namespace ringcache::scripting {

// Pushes the reply at the start of `resp` (bytes our own ReplyWriter wrote). Returns whether it
// was an error reply.
bool push_resp_reply(lua_State* L, std::string_view resp);

}  // namespace ringcache::scripting
