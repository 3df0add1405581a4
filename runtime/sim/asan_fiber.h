#pragma once
// AddressSanitizer and exceptions thrown on fiber stacks.
//
// When an exception leaves frames, ASan clears their stale redzone poison by unpoisoning the
// thread's stack from the throw point up (__asan_handle_no_return). It does not know our fiber
// stacks (Boost is not built with BOOST_USE_ASAN) and skips that, so after NodeCrashed unwinds
// a fiber the popped frames' poison stays and later calls on that stack report false errors.
// We do it ourselves: simulated fibers get stacks whose bounds we record; before throwing (and
// when a fiber's body is done) we tell ASan which stack it is on — so the unwinding's own
// __asan_handle_no_return calls work — and unpoison from the current frame to the stack's top.
// Without ASan all of this is the default stack allocator and empty functions.

#include <boost/context/fixedsize_stack.hpp>
#include <boost/context/stack_context.hpp>

#if defined(__SANITIZE_ADDRESS__)
#define RINGCACHE_SIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RINGCACHE_SIM_ASAN 1
#endif
#endif

namespace ringcache::sim::asan {

#ifdef RINGCACHE_SIM_ASAN
// A fixed-size stack allocator that records each stack's bounds.
class RecordingStack {
 public:
  boost::context::stack_context allocate();
  void deallocate(boost::context::stack_context& stack) noexcept;

 private:
  boost::context::fixedsize_stack inner_;
};
// Unpoisons the current fiber stack from the caller's frame to its top.
void unpoison_above_here();
#else
using RecordingStack = boost::context::fixedsize_stack;
inline void unpoison_above_here() {}
#endif

}  // namespace ringcache::sim::asan
