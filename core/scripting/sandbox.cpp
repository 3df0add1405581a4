#include "core/scripting/sandbox.h"

#include "core/scripting/lua_cmsgpack.h"
#include "core/scripting/lua_random.h"
#include "core/scripting/lua_struct.h"

namespace ringcache::scripting {
namespace {

// Registry keys: the table of globals behind the read-only view, and the set of read-only tables.
constexpr const char* readonly_set_key = "ringcache.readonly";
constexpr const char* marker_key = "ringcache.marker";

void open(lua_State* L, lua_CFunction opener, const char* name) {
  lua_pushcfunction(L, opener);
  lua_pushstring(L, name);
  lua_call(L, 1, 1);
  // base returns _G; the others their library table, which goes on the globals by that name.
  if (name[0] != '\0')
    lua_setglobal(L, name);
  else
    lua_pop(L, 1);
}

void remove_global(lua_State* L, const char* name) {
  lua_pushnil(L);
  lua_setglobal(L, name);
}

int loadstring_source_only(lua_State* L) {
  size_t size = 0;
  const char* chunk = luaL_checklstring(L, 1, &size);
  if (!is_source({chunk, size})) {
    lua_pushnil(L);
    lua_pushstring(L, "precompiled chunks are not allowed");
    return 2;
  }
  const char* name = luaL_optstring(L, 2, chunk);
  if (luaL_loadbuffer(L, chunk, size, name) == 0) return 1;
  lua_pushnil(L);
  lua_insert(L, -2);
  return 2;  // nil, message
}

bool is_readonly(lua_State* L, int index) {
  if (!lua_istable(L, index)) return false;
  lua_getfield(L, LUA_REGISTRYINDEX, readonly_set_key);
  lua_pushvalue(L, index);
  lua_rawget(L, -2);
  const bool readonly = lua_toboolean(L, -1) != 0;
  lua_pop(L, 2);
  return readonly;
}

int readonly_error(lua_State* L) { return luaL_error(L, "Attempt to modify a readonly table"); }

int missing_global_error(lua_State* L) {
  const char* name = lua_tostring(L, 2);
  return luaL_error(L, "Script attempted to access nonexistent global variable '%s'",
                    name != nullptr ? name : "?");
}

// setmetatable and rawset, refusing the read-only tables; the originals are upvalue 1.
int guarded(lua_State* L) {
  if (is_readonly(L, 1)) return readonly_error(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

void guard_base_function(lua_State* L, const char* name) {
  lua_getglobal(L, name);
  lua_pushcclosure(L, guarded, 1);
  lua_setglobal(L, name);
}

int absolute(lua_State* L, int index) {
  return index > 0 || index <= LUA_REGISTRYINDEX ? index : lua_gettop(L) + index + 1;
}

void mark_readonly(lua_State* L, int index) {
  index = absolute(L, index);
  lua_getfield(L, LUA_REGISTRYINDEX, readonly_set_key);
  lua_pushvalue(L, index);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

// Replaces the table on top of the stack by a read-only view of it: an empty table whose reads go
// to the original and whose writes fail. getmetatable() on the view answers `marker`, itself
// read-only, so the view's metatable cannot be reached and changed either.
void replace_with_readonly_view(lua_State* L, int marker) {
  lua_newtable(L);
  lua_newtable(L);
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, readonly_error);
  lua_setfield(L, -2, "__newindex");
  lua_pushvalue(L, marker);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_remove(L, -2);
  mark_readonly(L, -1);
}

// An empty read-only table, what getmetatable() answers for every protected table.
void push_marker(lua_State* L) {
  lua_newtable(L);
  lua_newtable(L);
  lua_pushcfunction(L, readonly_error);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  mark_readonly(L, -1);
}

}  // namespace

void open_libraries(lua_State* L, Rng& rng) {
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, readonly_set_key);
  push_marker(L);
  lua_setfield(L, LUA_REGISTRYINDEX, marker_key);
  open(L, luaopen_base, "");
  open(L, luaopen_table, LUA_TABLIBNAME);
  open(L, luaopen_string, LUA_STRLIBNAME);
  open(L, luaopen_math, LUA_MATHLIBNAME);
  open(L, luaopen_cjson, "cjson");
  open(L, luaopen_bit, "bit");
  open(L, luaopen_cmsgpack, "cmsgpack");
  open(L, luaopen_struct, "struct");
  for (const char* name : {"dofile", "loadfile", "load", "print", "getfenv", "setfenv"}) {
    remove_global(L, name);
  }
  lua_pushcfunction(L, loadstring_source_only);
  lua_setglobal(L, "loadstring");
  guard_base_function(L, "setmetatable");
  guard_base_function(L, "rawset");
  install_random(L, rng);
}

void protect_globals(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, marker_key);
  const int marker = lua_gettop(L);
  lua_pushvalue(L, LUA_GLOBALSINDEX);
  const int real = lua_gettop(L);
  for (const char* name :
       {"redis", "cjson", "bit", "cmsgpack", "struct", "string", "math", "table", "coroutine"}) {
    lua_getfield(L, real, name);
    if (lua_istable(L, -1)) {
      replace_with_readonly_view(L, marker);
      lua_setfield(L, real, name);
    } else {
      lua_pop(L, 1);
    }
  }
  // The string metatable leads to the real string library: hide it too.
  lua_pushstring(L, "");
  if (lua_getmetatable(L, -1) != 0) {
    lua_pushvalue(L, marker);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  lua_newtable(L);
  lua_pushcfunction(L, missing_global_error);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, real);
  lua_pushvalue(L, real);
  lua_setfield(L, LUA_REGISTRYINDEX, real_globals_key);
  lua_pushvalue(L, real);
  replace_with_readonly_view(L, marker);
  lua_pushvalue(L, -1);
  lua_setfield(L, real, "_G");
  lua_replace(L, LUA_GLOBALSINDEX);
  lua_settop(L, marker - 1);
}

void make_readonly_view(lua_State* L, bool error_on_missing) {
  if (error_on_missing) {
    lua_newtable(L);
    lua_pushcfunction(L, missing_global_error);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
  }
  lua_getfield(L, LUA_REGISTRYINDEX, marker_key);
  lua_insert(L, -2);
  replace_with_readonly_view(L, absolute(L, -2));
  lua_remove(L, -2);
}

void use_globals(lua_State* L, const char* registry_key) {
  lua_getmetatable(L, LUA_GLOBALSINDEX);
  lua_getfield(L, LUA_REGISTRYINDEX, registry_key);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}

void set_protected_global(lua_State* L, const char* name) {
  lua_getfield(L, LUA_REGISTRYINDEX, real_globals_key);
  lua_insert(L, -2);
  lua_setfield(L, -2, name);  // the real globals have only an __index metamethod
  lua_pop(L, 1);
}
}  // namespace ringcache::scripting
