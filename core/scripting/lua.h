#pragma once
// The Lua 5.1 C API, for core/scripting/ only. The library is Debian's C++ build: a Lua error is
// a C++ exception, so C++ objects in a C function called from a script are destroyed properly
// when it raises one. Nothing may throw a C++ exception of our own through the interpreter: its
// catch-all would turn it into an unnamed Lua error.

#include <lua.hpp>

// Debian's headers for the two modules lack C linkage declarations.
extern "C" {
int luaopen_cjson(lua_State* L);
int luaopen_bit(lua_State* L);
}
