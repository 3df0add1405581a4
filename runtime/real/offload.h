#pragma once
// Runs blocking system calls (fsync) off the event-loop thread (private to runtime/real).
//
// fsync takes milliseconds on a real disk; on the loop thread it would stop every connection for
// that long. Run through an Offload, it parks only the calling fiber: the loop keeps serving, and
// with appendfsync always the records appended meanwhile ride on the next fsync (group commit).

#include <functional>

namespace ringcache::real {

class Offload {
 public:
  virtual ~Offload() = default;
  // Runs `call` on a helper thread and returns once it has returned; the calling fiber is
  // parked meanwhile. On the loop's main fiber, which must never park, it runs in place.
  // `call` must touch nothing the loop thread may touch meanwhile (only the descriptor it syncs).
  virtual void run_blocking(const std::function<void()>& call) = 0;
};

}  // namespace ringcache::real
