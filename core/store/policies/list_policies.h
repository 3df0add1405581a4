#pragma once
// The single-queue policies: exact LRU, FIFO, CLOCK and SIEVE. Each keeps one list of its resident
// handles (8 bytes per key) and CLOCK and SIEVE one more byte for their bit. Sizes do not matter
// to them: the caller evicts until the new key fits.

#include <vector>

#include "core/store/policies/policy_core.h"

namespace ringcache::store::policies {

// The queue the four share; evict_tail() is FIFO's and LRU's whole eviction.
class SingleQueuePolicy : public PolicyCore {
 public:
  using PolicyCore::PolicyCore;
  void reserve(size_t handles) override { links_.reserve(handles); }
  void remove(Handle h) override { links_.unlink(queue_, h, 0); }
  void clear() override { queue_ = ListEnds{}; }

 protected:
  Handle evict_tail() {
    const Handle victim = queue_.tail;
    if (victim != no_handle) links_.unlink(queue_, victim, 0);
    return victim;
  }

  LinkArena links_;
  ListEnds queue_;
};

class LruPolicy final : public SingleQueuePolicy {
 public:
  using SingleQueuePolicy::SingleQueuePolicy;
  PolicyKind kind() const override { return PolicyKind::lru; }
  void access(Handle h, const KeyInfo&) override { links_.move_to_head(queue_, h, 0); }
  bool insert(Handle h, const KeyInfo&) override {
    links_.push_head(queue_, h, 0);
    return true;
  }
  Handle evict() override { return evict_tail(); }
};

class FifoPolicy final : public SingleQueuePolicy {
 public:
  using SingleQueuePolicy::SingleQueuePolicy;
  PolicyKind kind() const override { return PolicyKind::fifo; }
  void access(Handle, const KeyInfo&) override {}
  bool insert(Handle h, const KeyInfo&) override {
    links_.push_head(queue_, h, 0);
    return true;
  }
  Handle evict() override { return evict_tail(); }
};

// CLOCK as FIFO-reinsertion: the tail key, if referenced since it was last passed, loses its bit
// and goes back to the head; the first unreferenced tail key is the victim.
class ClockPolicy final : public SingleQueuePolicy {
 public:
  using SingleQueuePolicy::SingleQueuePolicy;
  PolicyKind kind() const override { return PolicyKind::clock; }
  void reserve(size_t handles) override;
  void access(Handle h, const KeyInfo&) override { referenced_[h] = 1; }
  bool insert(Handle h, const KeyInfo&) override;
  Handle evict() override;

 private:
  std::vector<uint8_t> referenced_;
};

// SIEVE: new keys at the head, a hit only sets the visited bit; the hand walks from the tail toward
// the head clearing bits and evicts the first unvisited key in place, then stays there.
class SievePolicy final : public SingleQueuePolicy {
 public:
  using SingleQueuePolicy::SingleQueuePolicy;
  PolicyKind kind() const override { return PolicyKind::sieve; }
  void reserve(size_t handles) override;
  void access(Handle h, const KeyInfo&) override { visited_[h] = 1; }
  bool insert(Handle h, const KeyInfo&) override;
  void remove(Handle h) override;
  Handle evict() override;
  void clear() override;

 private:
  std::vector<uint8_t> visited_;
  Handle hand_ = no_handle;  // next key to look at; no_handle: start from the tail
};

}  // namespace ringcache::store::policies
