#include "core/scripting/interpreter.h"

#include <string>

#include "core/constants.h"
#include "core/scripting/lua_errors.h"
#include "core/scripting/lua_to_resp.h"
#include "core/scripting/sandbox.h"
#include "core/util/assert.h"

namespace ringcache::scripting {
namespace {

constexpr const char* api_key = "ringcache.api";

struct OpenContext {
  Rng* rng;
  ApiState* api;
  const Interpreter::Extension* extend;
};

int open_protected(lua_State* L) {
  auto* context = static_cast<OpenContext*>(lua_touserdata(L, 1));
  open_libraries(L, *context->rng);
  install_redis_api(L, *context->api);
  if (*context->extend) (*context->extend)(L);
  protect_globals(L);
  lua_pushlightuserdata(L, context->api);
  lua_setfield(L, LUA_REGISTRYINDEX, api_key);
  return 0;
}

int panic(lua_State* L) {
  const char* message = lua_tostring(L, -1);
  RING_ASSERT_MSG(false, message != nullptr ? message : "Lua error outside a protected call");
  return 0;
}

void hook(lua_State* L, lua_Debug*) {
  lua_getfield(L, LUA_REGISTRYINDEX, api_key);
  auto* api = static_cast<ApiState*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  if (api == nullptr || api->host == nullptr || !api->host->interrupted()) return;
  // From now on every line raises again, so a pcall in the script cannot swallow the kill.
  lua_sethook(L, hook, LUA_MASKLINE | LUA_MASKCOUNT, 1);
  raise_error(L, api->host->interruption());
}

}  // namespace

Interpreter::Interpreter(uint64_t seed, size_t heap_limit_bytes, Extension extend)
    : rng_(seed), extend_(std::move(extend)) {
  heap_.limit_bytes = heap_limit_bytes;
  open();
}

Interpreter::~Interpreter() { close(); }

void Interpreter::open() {
  L_ = lua_newstate(LuaHeap::allocate, &heap_);
  RING_ASSERT_MSG(L_ != nullptr, "the Lua state fits in memory");
  lua_atpanic(L_, panic);
  OpenContext context{&rng_, &api_, &extend_};
  const int status = lua_cpcall(L_, open_protected, &context);
  RING_ASSERT_MSG(status == 0, "the Lua libraries open");
}

void Interpreter::close() {
  if (L_ != nullptr) lua_close(L_);
  L_ = nullptr;
}

void Interpreter::reset() {
  close();
  open();
}

int Interpreter::protected_call(int nargs, Host& host) {
  RING_ASSERT_MSG(api_.host == nullptr, "one script at a time");
  const int function = lua_gettop(L_) - nargs;
  lua_pushcfunction(L_, error_handler);
  lua_insert(L_, function);
  api_.host = &host;
  api_.resp_version = 2;
  heap_.enforced = true;
  lua_sethook(L_, hook, LUA_MASKCOUNT, constants::lua_hook_instructions);
  const int status = lua_pcall(L_, nargs, 1, function);
  lua_sethook(L_, nullptr, 0, 0);
  heap_.enforced = false;
  api_.host = nullptr;
  lua_remove(L_, function);  // the handler; the result or error stays on top
  return status;
}

void Interpreter::call(int nargs, std::string_view name, Host& host, protocol::ReplyWriter& reply) {
  const int base = lua_gettop(L_) - nargs - 1;
  if (protected_call(nargs, host) != 0) {
    write_error_reply(L_, -1, error_reply_text(L_, -1, name), reply);
    lua_pop(L_, 1);
  } else {
    write_lua_reply(L_, api_.resp_version, reply);
  }
  lua_settop(L_, base);
  // Garbage is collected in full now and then, and at once when the heap nears its limit.
  ++calls_;
  if (calls_ % constants::lua_gc_period_runs == 0 ||
      (heap_.limit_bytes != 0 && heap_.used_bytes > heap_.limit_bytes / 2)) {
    lua_gc(L_, LUA_GCCOLLECT, 0);
  }
}

bool Interpreter::call_quietly(int nargs, Host& host, std::string& error) {
  const int base = lua_gettop(L_) - nargs - 1;
  const bool ok = protected_call(nargs, host) == 0;
  if (!ok) {
    if (lua_istable(L_, -1)) {
      lua_getfield(L_, -1, "err");
      const char* text = lua_tostring(L_, -1);
      error = text != nullptr ? text : "ERR unknown error";
    } else {
      const char* text = lua_tostring(L_, -1);
      error = text != nullptr ? text : "unknown error";
    }
  }
  lua_settop(L_, base);
  return ok;
}

}  // namespace ringcache::scripting
