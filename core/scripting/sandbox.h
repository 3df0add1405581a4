#pragma once
// The interpreter a script runs in: only the libraries a script needs, nothing that reaches the OS,
// and globals and libraries that cannot be changed, as Redis 7.0 gives them.
//
// open_libraries(): base (without dofile, loadfile, load, print, getfenv, setfenv), table,
// string, math (random from the node's generator), cjson, bit, cmsgpack (lua_cmsgpack.h) and
// struct (lua_struct.h).
// loadstring refuses precompiled chunks: bytecode is not verified by Lua 5.1 and could break out of
// the sandbox. protect_globals(): once every library is in place, the globals and the library
// tables become read-only ("Attempt to modify a readonly table"), and reading a global that does
// not exist is an error ("Script attempted to access nonexistent global variable 'x'").

#include <string_view>

#include "core/scripting/lua.h"
#include "core/util/rng.h"

namespace ringcache::scripting {

// Both run inside a protected call (lua_cpcall): they allocate.
void open_libraries(lua_State* L, Rng& rng);
void protect_globals(lua_State* L);

// Replaces the table on top of the stack by a read-only view of it. With `error_on_missing`,
// reading a field it lacks is the nonexistent-global error rather than nil.
void make_readonly_view(lua_State* L, bool error_on_missing);
// Makes the globals read from the table at registry[registry_key] (the function engine swaps in
// its load-time globals while a library loads). real_globals_key names the usual ones.
void use_globals(lua_State* L, const char* registry_key);
inline constexpr const char* real_globals_key = "ringcache.globals";

// Sets a global the protection would refuse (KEYS and ARGV before each EVAL).
void set_protected_global(lua_State* L, const char* name);

// Whether `chunk` is Lua source (not a precompiled binary chunk).
inline bool is_source(std::string_view chunk) { return chunk.empty() || chunk[0] != '\x1b'; }

}  // namespace ringcache::scripting
