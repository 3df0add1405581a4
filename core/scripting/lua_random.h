#pragma once
// math.random and math.randomseed on the node's own generator instead of the C library's generator:
// the C one is process-wide state the runtime does not control, so a simulated node would not
// replay. Same arguments and results as Lua 5.1's: random() in [0,1), random(m) in [1,m],
// random(m,n) in [m,n]; randomseed(x) restarts the sequence from x.

#include "core/scripting/lua.h"
#include "core/util/rng.h"

namespace ringcache::scripting {

// Replaces math.random and math.randomseed (the math table must be on the globals); `rng`
// outlives the state.
void install_random(lua_State* L, Rng& rng);

}  // namespace ringcache::scripting
