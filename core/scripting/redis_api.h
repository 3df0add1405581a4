#pragma once
// The `redis` table a script sees, as Redis 7.0 gives it: call, pcall, error_reply,
// status_reply, sha1hex, log (and its LOG_* levels), setresp, set_repl (and its REPL_* flags),
// replicate_commands, breakpoint, debug, REDIS_VERSION and REDIS_VERSION_NUM.

#include "core/scripting/host.h"
#include "core/scripting/lua.h"

namespace ringcache::scripting {

// What the redis.* functions act on; owned by the engine, its host set while a script runs.
struct ApiState {
  Host* host = nullptr;  // null outside a run: redis.call then refuses
  int resp_version = 2;  // redis.setresp, back to 2 at every run
};

// Puts the `redis` table on the globals; `state` outlives the interpreter.
void install_redis_api(lua_State* L, ApiState& state);

}  // namespace ringcache::scripting
