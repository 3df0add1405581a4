#pragma once
// The keyspace holds one forkless snapshot at a time (Keyspace::begin_snapshot, and the one
// before-write hook that keeps it consistent), and two parties take it: the AOF rewrite and a
// replica's full sync. Whoever takes it first holds the lease until its snapshot object is gone
// (not merely until its walk ends: the object still owns the hook and removes it when it goes),
// so the other waits instead of starting a snapshot whose hook the first would then remove.

#include <optional>
#include <utility>

namespace ringcache::server {

class SnapshotGate {
 public:
  // Move-only; releases the gate when destroyed (a moved-from lease releases nothing).
  class Lease {
   public:
    Lease(Lease&& other) noexcept : gate_(std::exchange(other.gate_, nullptr)) {}
    Lease& operator=(Lease&& other) noexcept {
      if (this != &other) {
        release();
        gate_ = std::exchange(other.gate_, nullptr);
      }
      return *this;
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { release(); }

   private:
    friend class SnapshotGate;
    explicit Lease(SnapshotGate* gate) : gate_(gate) {}
    void release() {
      if (gate_ != nullptr) gate_->held_ = false;
      gate_ = nullptr;
    }
    SnapshotGate* gate_;
  };

  SnapshotGate() = default;
  SnapshotGate(const SnapshotGate&) = delete;
  SnapshotGate& operator=(const SnapshotGate&) = delete;

  // The lease, or nullopt while someone else holds it. Never suspends: callers poll.
  std::optional<Lease> try_acquire() {
    if (held_) return std::nullopt;
    held_ = true;
    return Lease(this);
  }
  bool held() const { return held_; }

 private:
  bool held_ = false;
};

}  // namespace ringcache::server
