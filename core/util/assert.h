#pragma once
// Assertions for what must never happen. Expected failures are values (see status.h); a failed
// assertion is a bug, so it prints where and stops the process, in every build type.
// (Named RING_* because RapidCheck owns RC_ASSERT, and property tests include both.)

#include <cstdio>
#include <cstdlib>

namespace ringcache::detail {
[[noreturn]] inline void assertion_failed(const char* expr, const char* file, int line,
                                          const char* message) {
  std::fprintf(stderr, "assertion failed: %s (%s) at %s:%d\n", expr, message, file, line);
  std::fflush(stderr);
  std::abort();
}
}  // namespace ringcache::detail

#define RING_ASSERT(expr)                                                              \
  do {                                                                                 \
    if (!(expr)) ::ringcache::detail::assertion_failed(#expr, __FILE__, __LINE__, ""); \
  } while (0)

#define RING_ASSERT_MSG(expr, message)                                                      \
  do {                                                                                      \
    if (!(expr)) ::ringcache::detail::assertion_failed(#expr, __FILE__, __LINE__, message); \
  } while (0)

#define RING_UNREACHABLE() \
  ::ringcache::detail::assertion_failed("unreachable", __FILE__, __LINE__, "")
