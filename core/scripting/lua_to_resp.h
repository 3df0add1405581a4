#pragma once
// A script's return value as the client's reply, as Redis 7.0 converts it:
//   number -> integer (truncated)      string -> bulk          nil, function, ... -> null
//   true -> 1 and false -> null while the script speaks RESP2 (redis.setresp), RESP3 booleans
//   after redis.setresp(3)
//   {err = "..."} -> error             {ok = "..."} -> status  {double = n} -> double
//   {map = {...}} -> map               {set = {...}} -> set (of the keys)
//   {big_number = "..."} -> bulk       other table -> array of t[1], t[2], ... up to the first nil
// Fields are read raw: a metatable never runs here. Nesting deeper than
// constants::lua_reply_depth_max (a table that contains itself) ends in an error reply.

#include "core/protocol/reply_writer.h"
#include "core/scripting/lua.h"

namespace ringcache::scripting {

// Writes the value on top of the stack and pops it. `script_resp` is what redis.setresp chose.
void write_lua_reply(lua_State* L, int script_resp, protocol::ReplyWriter& reply);

}  // namespace ringcache::scripting
