#pragma once
// The one clock behind the production runtime's monotonic time and its timer queue.

#include <chrono>
#include <cstdint>

namespace ringcache::real {

inline int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

inline int64_t ms_to_ns(int64_t ms) { return ms * 1'000'000; }

}  // namespace ringcache::real
