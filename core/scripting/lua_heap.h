#pragma once
// The Lua heap's allocator: counts the interpreter's bytes and refuses to grow past a limit while a
// script runs, so a script that builds a huge table ends in "not enough memory" rather than taking
// the node's memory. Outside a script (loading the libraries, compiling) nothing is refused: a
// refusal there would be an error the interpreter cannot report.

#include <cstddef>

namespace ringcache::scripting {

struct LuaHeap {
  size_t used_bytes = 0;
  size_t limit_bytes = 0;  // 0: no limit
  bool enforced = false;   // set while a script runs

  // The lua_Alloc function; `heap` is the LuaHeap.
  static void* allocate(void* heap, void* block, size_t old_bytes, size_t new_bytes);
};

}  // namespace ringcache::scripting
