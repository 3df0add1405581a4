#pragma once
// One sandboxed Lua interpreter (sandbox.h) with the `redis` table (redis_api.h), a heap limit
// (lua_heap.h) and the instruction hook that lets a Host stop a running script. The EVAL engine
// and the function engine each own one, as Redis keeps the two apart.

#include <cstdint>
#include <functional>
#include <string_view>

#include "core/protocol/reply_writer.h"
#include "core/scripting/host.h"
#include "core/scripting/lua.h"
#include "core/scripting/lua_heap.h"
#include "core/scripting/redis_api.h"
#include "core/util/rng.h"

namespace ringcache::scripting {

class Interpreter {
 public:
  // `extend` runs (inside a protected call) after the libraries and the redis table are in
  // place and before the globals are protected: what one engine adds to its interpreter.
  using Extension = std::function<void(lua_State*)>;
  Interpreter(uint64_t seed, size_t heap_limit_bytes, Extension extend = {});
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  lua_State* state() { return L_; }
  // A fresh interpreter: everything loaded before is gone.
  void reset();
  size_t heap_bytes() const { return heap_.used_bytes; }

  // Calls the function below `nargs` arguments on top of the stack (both popped) for `host`, and
  // writes its return value, or its error as the script `name` raised it. The heap limit and the
  // hook hold during the call.
  void call(int nargs, std::string_view name, Host& host, protocol::ReplyWriter& reply);
  // The same for code that sets things up rather than answering a client (loading a library):
  // true on success, else false with the error text (without a leading '-') in `error`.
  bool call_quietly(int nargs, Host& host, std::string& error);

 private:
  void open();
  void close();
  // lua_pcall under the limits; leaves the result or the error value on top.
  int protected_call(int nargs, Host& host);

  Rng rng_;
  LuaHeap heap_;
  ApiState api_;
  Extension extend_;
  lua_State* L_ = nullptr;
  uint64_t calls_ = 0;
};

}  // namespace ringcache::scripting
