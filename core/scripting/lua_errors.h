#pragma once
// Errors as Redis 7.0 shapes them in scripts. A script error is a table {err = "CODE message"},
// plus `source` and `line` once it has left the script (the message handler adds them); a Lua
// runtime error (a string) becomes {err = "ERR <string>"}. The client finally reads
//   -CODE message script: <name>, on <source>:<line>.

#include <string>
#include <string_view>

#include "core/protocol/reply_writer.h"
#include "core/scripting/lua.h"

namespace ringcache::scripting {

// Pushes {err = ...} for `error`: "-CODE message" (an error reply, its code kept) or a bare
// message (given the code ERR); a trailing newline is dropped.
void push_error_table(lua_State* L, std::string_view error);
// push_error_table(), then raises it. Never returns.
[[noreturn]] void raise_error(lua_State* L, std::string_view error);

// Error tables made from a command's error reply carry this field (true): that reply was
// counted in INFO errorstats already, so the script passing it on is not counted again.
inline constexpr const char* counted_error_field = "ignore_error_stats_update";
// Whether the error value at `index` is such a table.
bool error_already_counted(lua_State* L, int index);
// Writes `text` as the error reply for the error value at `index`, counted in the stats unless
// error_already_counted.
void write_error_reply(lua_State* L, int index, std::string_view text,
                       protocol::ReplyWriter& reply);

// The message handler for lua_pcall: the error value on top becomes an error table carrying
// where in the script it happened.
int error_handler(lua_State* L);

// The error reply (without the leading '-') for the error value at `index`, as the caller of
// the script `name` reads it.
std::string error_reply_text(lua_State* L, int index, std::string_view name);

}  // namespace ringcache::scripting
