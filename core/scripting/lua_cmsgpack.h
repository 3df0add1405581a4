#pragma once
// cmsgpack, the MessagePack library Redis gives scripts (no Debian package: our own, written to
// the same interface and encoding choices):
//   cmsgpack.pack(v1, v2, ...)           -> the values' encodings, concatenated
//   cmsgpack.unpack(s)                   -> every value s holds
//   cmsgpack.unpack_one(s, offset)       -> next offset (-1 at the end), one value
//   cmsgpack.unpack_limit(s, n, offset)  -> next offset, up to n values
// Numbers with an exact int64 value encode as the smallest integer form, others as float32 when
// exact, else float64; a table whose keys are exactly 1..n is an array, any other a map; tables
// nested deeper than 16 encode as nil (a table that contains itself stays finite).

#include "core/scripting/lua.h"

namespace ringcache::scripting {

// Returns the cmsgpack table (a luaopen_* function: call it like the standard libraries').
int luaopen_cmsgpack(lua_State* L);

}  // namespace ringcache::scripting
