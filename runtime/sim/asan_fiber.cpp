#include "runtime/sim/asan_fiber.h"

#ifdef RINGCACHE_SIM_ASAN

#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>

#include <cstdint>
#include <map>

namespace ringcache::sim::asan {
namespace {
// Stack top -> size, for the stacks of this thread's simulated fibers (lookups by address only).
std::map<uintptr_t, size_t>& stacks() {
  static thread_local std::map<uintptr_t, size_t> stacks;
  return stacks;
}
}  // namespace

boost::context::stack_context RecordingStack::allocate() {
  boost::context::stack_context stack = inner_.allocate();
  stacks()[reinterpret_cast<uintptr_t>(stack.sp)] = stack.size;
  return stack;
}

void RecordingStack::deallocate(boost::context::stack_context& stack) noexcept {
  stacks().erase(reinterpret_cast<uintptr_t>(stack.sp));
  inner_.deallocate(stack);
}

void unpoison_above_here() {
  char here;
  const auto address = reinterpret_cast<uintptr_t>(&here);
  auto above = stacks().upper_bound(address);  // the first stack whose top is above us
  if (above == stacks().end() || address < above->first - above->second) return;
  const uintptr_t bottom = above->first - above->second;
  // Tell ASan we run on this stack (a switch to where we already are), so the unwinding that
  // follows clears the frames it pops instead of being ignored as off-stack.
  __sanitizer_start_switch_fiber(nullptr, reinterpret_cast<const void*>(bottom), above->second);
  __sanitizer_finish_switch_fiber(nullptr, nullptr, nullptr);
  __asan_unpoison_memory_region(&here, above->first - address);
}

}  // namespace ringcache::sim::asan

#endif  // RINGCACHE_SIM_ASAN
