// Node adapter of the policy cores: slot bookkeeping and the keyspace hooks.

#include "core/store/core_eviction.h"

#include <algorithm>

#include "core/store/access_clock.h"
#include "core/store/entry.h"
#include "core/store/hash_table.h"

namespace ringcache::store {

namespace {
// Fingerprints name keys in ghost queues and sketches across their removal and return; a fixed
// seed is enough (a collision only blurs a statistic).
constexpr uint64_t fingerprint_seed = 0x5eed0f0e71c7ULL;
constexpr uint32_t untracked = 0;
}  // namespace

CoreEviction::CoreEviction(MaxmemoryPolicy policy, policies::PolicyKind core_kind,
                           uint32_t direct_slots)
    : policy_(policy),
      volatile_only_(policy_is_volatile(policy)),
      direct_slots_(std::min(direct_slots, constants::eviction_direct_slots_max)),
      core_(policies::make_policy_core(core_kind, policies::PolicyParams{})) {}

void CoreEviction::configure(const EvictionConfig& config) {
  // Without maxmemory nothing is evicted; a huge capacity keeps the segment shares meaningful.
  core_->set_capacity(config.maxmemory_bytes == 0 ? (UINT64_MAX >> 2) : config.maxmemory_bytes);
}

policies::Handle CoreEviction::slot_of(const Entry& entry) const {
  const uint32_t field = entry.lru_field();
  if (field == untracked) return policies::no_handle;
  if (field != constants::eviction_slot_spilled) return field - 1;
  return spill_.find(address(entry));
}

void CoreEviction::bind(Entry& entry, policies::Handle slot) {
  if (slot < direct_slots_) {
    entry.set_lru_field(slot + 1);
    return;
  }
  entry.set_lru_field(constants::eviction_slot_spilled);
  spill_.set(address(entry), slot);
}

void CoreEviction::unbind(Entry& entry) {
  if (entry.lru_field() == constants::eviction_slot_spilled) spill_.erase(address(entry));
  entry.set_lru_field(untracked);
}

uint32_t CoreEviction::clock_now() const { return access_clock::lru_clock(now_ms()); }

uint32_t CoreEviction::access_clock(const Entry& entry) const {
  const policies::Handle slot = slot_of(entry);
  return slot == policies::no_handle ? clock_now() : slots_[slot].clock;
}

void CoreEviction::track(Entry& entry) {
  policies::Handle slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<policies::Handle>(slots_.size());
    slots_.push_back(Slot{nullptr, 0, false});
    core_->reserve(slots_.size());
  }
  slots_[slot] = Slot{&entry, clock_now(), false};
  bind(entry, slot);
  if (!volatile_only_ || entry.has_expiry()) enter_core(slot);
}

void CoreEviction::enter_core(policies::Handle slot) {
  const Entry& entry = *slots_[slot].entry;
  const policies::KeyInfo info{hash_bytes(entry.key(), fingerprint_seed),
                               static_cast<uint32_t>(entry.allocated_bytes()), -1};
  core_->miss(info);
  slots_[slot].in_core = core_->insert(slot, info);
}

void CoreEviction::release(policies::Handle slot) {
  slots_[slot] = Slot{nullptr, 0, false};
  free_slots_.push_back(slot);
}

void CoreEviction::on_insert(Entry& entry) {
  // The field may hold whatever the entry was made from (a renamed key's old slot, a sampled
  // policy's clock): it is ours from here on.
  entry.set_lru_field(untracked);
  track(entry);
}

void CoreEviction::on_access(Entry& entry) {
  const policies::Handle slot = slot_of(entry);
  if (slot == policies::no_handle) return;
  slots_[slot].clock = clock_now();
  if (slots_[slot].in_core) core_->access(slot, policies::KeyInfo{});
}

void CoreEviction::on_move(Entry& from, Entry& to) {
  const policies::Handle slot = slot_of(from);
  if (slot == policies::no_handle) {
    to.set_lru_field(untracked);
    return;
  }
  unbind(from);
  bind(to, slot);
  slots_[slot].entry = &to;
}

void CoreEviction::on_remove(Entry& entry) {
  const policies::Handle slot = slot_of(entry);
  if (slot == policies::no_handle) return;
  if (slots_[slot].in_core) core_->remove(slot);
  unbind(entry);
  release(slot);
}

void CoreEviction::on_expire_change(Entry& entry) {
  if (!volatile_only_) return;
  const policies::Handle slot = slot_of(entry);
  if (slot == policies::no_handle) return;
  if (entry.has_expiry() && !slots_[slot].in_core) enter_core(slot);
  if (!entry.has_expiry() && slots_[slot].in_core) {
    core_->remove(slot);
    slots_[slot].in_core = false;
  }
}

void CoreEviction::clear() {
  // The entries are about to go too: their fields need no reset.
  core_->clear();
  spill_.clear();
  slots_.clear();
  free_slots_.clear();
}

Entry* CoreEviction::pick_victim(EvictionContext&) {
  const policies::Handle slot = core_->evict();
  if (slot == policies::no_handle) return nullptr;
  Entry* victim = slots_[slot].entry;
  slots_[slot].in_core = false;
  unbind(*victim);
  release(slot);
  return victim;
}

}  // namespace ringcache::store
