#pragma once
// The adapter that lets the node run a policy core (core/store/policies/): it gives every tracked
// Entry a handle, keeps the handle <-> Entry maps current through the keyspace's hooks, and turns
// the core's victim back into an Entry. Sizes are the entries' allocated bytes and the capacity is
// maxmemory, so segment shares (S3-FIFO's small queue, the TinyLFU window) are shares of memory.
//
// volatile-* variants track only keys with an expiry (on_expire_change keeps that true).
// Per key, on top of the core's state: 16 bytes of map slot (at most 50% load, so up to 32) and
// 8 of handle -> Entry.

#include <memory>
#include <vector>

#include "core/store/eviction_policy.h"
#include "core/store/policies/fingerprint_map.h"
#include "core/store/policies/policy_core.h"

namespace ringcache::store {

class CoreEviction final : public EvictionPolicy {
 public:
  CoreEviction(MaxmemoryPolicy policy, policies::PolicyKind core_kind);
  MaxmemoryPolicy kind() const override { return policy_; }

  void configure(const EvictionConfig& config) override;
  bool tracks_keys() const override { return true; }
  void on_insert(Entry& entry) override;
  void on_access(Entry& entry) override;
  void on_move(Entry& from, Entry& to) override;
  void on_remove(Entry& entry) override;
  void on_expire_change(Entry& entry) override;
  void clear() override;
  Entry* pick_victim(EvictionContext& context) override;

  size_t tracked() const { return by_entry_.size(); }

 private:
  static uint64_t address(const Entry& entry) { return reinterpret_cast<uintptr_t>(&entry); }
  policies::Handle handle_of(const Entry& entry) const { return by_entry_.find(address(entry)); }
  void track(Entry& entry);
  void forget(policies::Handle h);

  MaxmemoryPolicy policy_;
  bool volatile_only_;
  std::unique_ptr<policies::PolicyCore> core_;
  policies::FingerprintMap by_entry_;  // entry address -> handle
  std::vector<Entry*> entries_;        // handle -> entry
  std::vector<policies::Handle> free_handles_;
};

}  // namespace ringcache::store
