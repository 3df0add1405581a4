#pragma once
// The adapter that lets the node run a policy core (core/store/policies/): it gives every tracked
// Entry a slot (the core's handle), keeps slot -> Entry current through the keyspace's hooks, and
// turns the core's victim back into an Entry. Sizes are the entries' allocated bytes and the
// capacity is maxmemory, so segment shares (S3-FIFO's small queue, the TinyLFU window) are shares
// of memory.
//
// Entry -> slot costs no lookup: the entry's 24-bit access field (which sampled LRU/LFU use and
// these policies do not) holds slot + 1, 0 meaning "not tracked". Slots are reused, so they stay
// below the number of tracked keys; only past 2^24 - 2 tracked keys do further slots spill into a
// side hash map, the field then saying "spilled". The access clock OBJECT IDLETIME reports is
// kept here per slot, since the field is taken.
//
// Every key has a slot (for its access clock); volatile-* variants hand only keys with an expiry
// to the core (on_expire_change keeps that true).
// Per key, on top of the core's state: 8 bytes of slot -> Entry and 4 of access clock, nothing in
// the entry (a spilled key adds a map slot: 16 bytes at most 50% load).

#include <memory>
#include <vector>

#include "core/constants.h"
#include "core/store/eviction_policy.h"
#include "core/store/policies/fingerprint_map.h"
#include "core/store/policies/policy_core.h"

namespace ringcache::store {

class CoreEviction final : public EvictionPolicy {
 public:
  // `direct_slots`: slots numbered below it live in the entry; tests lower it to reach the spill.
  CoreEviction(MaxmemoryPolicy policy, policies::PolicyKind core_kind,
               uint32_t direct_slots = constants::eviction_direct_slots_max);
  MaxmemoryPolicy kind() const override { return policy_; }

  void configure(const EvictionConfig& config) override;
  bool tracks_keys() const override { return true; }
  bool owns_access_field() const override { return true; }
  uint32_t access_clock(const Entry& entry) const override;
  void on_insert(Entry& entry) override;
  void on_access(Entry& entry) override;
  void on_move(Entry& from, Entry& to) override;
  void on_remove(Entry& entry) override;
  void on_expire_change(Entry& entry) override;
  void clear() override;
  Entry* pick_victim(EvictionContext& context) override;

  size_t tracked() const { return slots_.size() - free_slots_.size(); }
  size_t spilled() const { return spill_.size(); }

 private:
  struct Slot {
    Entry* entry;
    uint32_t clock;  // LRU clock of the last access
    bool in_core;    // the core holds it (volatile-*: it has an expiry; and was not declined)
  };

  static uint64_t address(const Entry& entry) { return reinterpret_cast<uintptr_t>(&entry); }
  policies::Handle slot_of(const Entry& entry) const;
  // Records in `entry` (or the spill map) that it is in `slot`.
  void bind(Entry& entry, policies::Handle slot);
  // Marks `entry` as not tracked.
  void unbind(Entry& entry);
  uint32_t clock_now() const;
  void track(Entry& entry);
  // Hands the slot's key to the core (a volatile-* key that gained an expiry, or a new key).
  void enter_core(policies::Handle slot);
  void release(policies::Handle slot);

  MaxmemoryPolicy policy_;
  bool volatile_only_;
  uint32_t direct_slots_;
  std::unique_ptr<policies::PolicyCore> core_;
  std::vector<Slot> slots_;                 // slot -> entry (nullptr: free)
  std::vector<policies::Handle> free_slots_;
  policies::FingerprintMap spill_;          // entry address -> slot, for slots >= direct_slots_
};

}  // namespace ringcache::store
