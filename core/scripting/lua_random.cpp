#include "core/scripting/lua_random.h"

#include <cmath>

namespace ringcache::scripting {
namespace {

Rng& rng_of(lua_State* L) { return *static_cast<Rng*>(lua_touserdata(L, lua_upvalueindex(1))); }

int random(lua_State* L) {
  constexpr double unit = 1.0 / 9007199254740992.0;  // 2^-53: 53 random bits make a double
  const double r = static_cast<double>(rng_of(L).next_u64() >> 11) * unit;
  switch (lua_gettop(L)) {
    case 0:
      lua_pushnumber(L, r);
      return 1;
    case 1: {
      const double upper = luaL_checknumber(L, 1);
      luaL_argcheck(L, 1 <= upper, 1, "interval is empty");
      lua_pushnumber(L, std::floor(r * upper) + 1);
      return 1;
    }
    case 2: {
      const double lower = luaL_checknumber(L, 1);
      const double upper = luaL_checknumber(L, 2);
      luaL_argcheck(L, lower <= upper, 2, "interval is empty");
      lua_pushnumber(L, std::floor(r * (upper - lower + 1)) + lower);
      return 1;
    }
    default:
      return luaL_error(L, "wrong number of arguments");
  }
}

int randomseed(lua_State* L) {
  const double seed = luaL_checknumber(L, 1);
  // A seed out of int64's range (or NaN) would be undefined to convert: it seeds as 0.
  const bool fits = std::isfinite(seed) && std::fabs(seed) < 9.2e18;
  rng_of(L).reseed(fits ? static_cast<uint64_t>(static_cast<int64_t>(seed)) : 0);
  return 0;
}

}  // namespace

void install_random(lua_State* L, Rng& rng) {
  lua_getglobal(L, "math");
  lua_pushlightuserdata(L, &rng);
  lua_pushcclosure(L, random, 1);
  lua_setfield(L, -2, "random");
  lua_pushlightuserdata(L, &rng);
  lua_pushcclosure(L, randomseed, 1);
  lua_setfield(L, -2, "randomseed");
  lua_pop(L, 1);
}

}  // namespace ringcache::scripting
