#include "core/scripting/lua_heap.h"

#include <cstdlib>

namespace ringcache::scripting {

void* LuaHeap::allocate(void* opaque, void* block, size_t old_bytes, size_t new_bytes) {
  auto& heap = *static_cast<LuaHeap*>(opaque);
  // Lua passes the old size of a block it frees or resizes, and garbage when block is null.
  const size_t old_size = block == nullptr ? 0 : old_bytes;
  if (new_bytes == 0) {
    std::free(block);
    heap.used_bytes -= old_size;
    return nullptr;
  }
  const bool grows = new_bytes > old_size;
  if (grows && heap.enforced && heap.limit_bytes != 0 &&
      heap.used_bytes - old_size + new_bytes > heap.limit_bytes) {
    return nullptr;  // Lua raises "not enough memory" (and collects garbage first)
  }
  void* moved = std::realloc(block, new_bytes);
  if (moved != nullptr) heap.used_bytes = heap.used_bytes - old_size + new_bytes;
  return moved;
}

}  // namespace ringcache::scripting
