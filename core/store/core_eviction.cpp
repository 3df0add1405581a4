// Node adapter of the policy cores: handle bookkeeping and the keyspace hooks.

#include "core/store/core_eviction.h"

#include "core/store/entry.h"
#include "core/store/hash_table.h"

namespace ringcache::store {

namespace {
// Fingerprints name keys in ghost queues and sketches across their removal and return; a fixed
// seed is enough (a collision only blurs a statistic).
constexpr uint64_t fingerprint_seed = 0x5eed0f0e71c7ULL;
}  // namespace

CoreEviction::CoreEviction(MaxmemoryPolicy policy, policies::PolicyKind core_kind)
    : policy_(policy),
      volatile_only_(policy_is_volatile(policy)),
      core_(policies::make_policy_core(core_kind, policies::PolicyParams{})) {}

void CoreEviction::configure(const EvictionConfig& config) {
  // Without maxmemory nothing is evicted; a huge capacity keeps the segment shares meaningful.
  core_->set_capacity(config.maxmemory_bytes == 0 ? (UINT64_MAX >> 2) : config.maxmemory_bytes);
}

void CoreEviction::track(Entry& entry) {
  policies::Handle h;
  if (!free_handles_.empty()) {
    h = free_handles_.back();
    free_handles_.pop_back();
  } else {
    h = static_cast<policies::Handle>(entries_.size());
    entries_.push_back(nullptr);
    core_->reserve(entries_.size());
  }
  entries_[h] = &entry;
  by_entry_.set(address(entry), h);
  const policies::KeyInfo info{hash_bytes(entry.key(), fingerprint_seed),
                               static_cast<uint32_t>(entry.allocated_bytes()), -1};
  core_->miss(info);
  if (!core_->insert(h, info)) forget(h);
}

void CoreEviction::forget(policies::Handle h) {
  by_entry_.erase(address(*entries_[h]));
  entries_[h] = nullptr;
  free_handles_.push_back(h);
}

void CoreEviction::on_insert(Entry& entry) {
  if (volatile_only_ && !entry.has_expiry()) return;
  track(entry);
}

void CoreEviction::on_access(Entry& entry) {
  const policies::Handle h = handle_of(entry);
  if (h != policies::no_handle) core_->access(h, policies::KeyInfo{});
}

void CoreEviction::on_move(Entry& from, Entry& to) {
  const policies::Handle h = handle_of(from);
  if (h == policies::no_handle) return;
  by_entry_.erase(address(from));
  by_entry_.set(address(to), h);
  entries_[h] = &to;
}

void CoreEviction::on_remove(Entry& entry) {
  const policies::Handle h = handle_of(entry);
  if (h == policies::no_handle) return;
  core_->remove(h);
  forget(h);
}

void CoreEviction::on_expire_change(Entry& entry) {
  if (!volatile_only_) return;
  const bool is_tracked = handle_of(entry) != policies::no_handle;
  if (entry.has_expiry() && !is_tracked) track(entry);
  if (!entry.has_expiry() && is_tracked) on_remove(entry);
}

void CoreEviction::clear() {
  core_->clear();
  by_entry_.clear();
  entries_.clear();
  free_handles_.clear();
}

Entry* CoreEviction::pick_victim(EvictionContext&) {
  const policies::Handle h = core_->evict();
  if (h == policies::no_handle) return nullptr;
  Entry* victim = entries_[h];
  forget(h);
  return victim;
}

}  // namespace ringcache::store
