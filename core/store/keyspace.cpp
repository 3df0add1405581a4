// The keyspace of one database: lookups with lazy expiry, mutations, SCAN, the active expiry
// cycle and eviction. See keyspace.h for the contract of each call.

#include "core/store/keyspace.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/constants.h"
#include "core/store/access_clock.h"
#include "core/util/assert.h"

namespace ringcache::store {

Keyspace::Keyspace(Rng& rng, EvictionConfig eviction)
    : rng_(rng),
      eviction_(eviction),
      // The table's hash seed comes from the node's generator: bucket order (SCAN, KEYS) is a
      // function of the seed, and crafted keys cannot target a fixed hash.
      table_(rng.next_u64()) {
  install_policy(make_eviction_policy(eviction.policy));
  policy_->configure(eviction_);
}

Keyspace::~Keyspace() { clear(); }

// --- internal bookkeeping ----------------------------------------------------------------------

EvictionContext Keyspace::eviction_context() {
  return EvictionContext{table_, expires_, rng_, now_ms_, eviction_};
}

void Keyspace::install_policy(std::unique_ptr<EvictionPolicy> policy) {
  policy->set_clock(&now_ms_);
  // Cached: touch() runs on every key access and need not ask the policy each time.
  policy_owns_access_field_ = policy->owns_access_field();
  policy_ = std::move(policy);
}

void Keyspace::touch(Entry* entry, bool is_new) {
  // The field means LFU data under an LFU policy and the LRU clock otherwise, as in Redis (it is
  // kept up to date under every policy so OBJECT IDLETIME works without maxmemory). The lab's
  // policies keep their own data there and stamp accesses themselves (on_access).
  if (policy_owns_access_field_) return;
  const bool lfu = policy_uses_lfu(eviction_.policy);
  entry->set_lru_field(is_new ? access_clock::field_for_new_key(lfu, now_ms_)
                              : access_clock::field_after_access(
                                    lfu, entry->lru_field(), now_ms_,
                                    eviction_.lfu_decay_time_minutes, eviction_.lfu_log_factor,
                                    rng_));
}

size_t Keyspace::accounted_bytes(const Entry* entry) {
  const size_t bytes = entry->allocated_bytes();
  if (entry->type() == ValueType::string) return bytes;
  return bytes + entry->collection()->accounted_bytes_;
}

void Keyspace::adopt(Entry* entry, int64_t expire_at_ms) {
  entry->set_snapshot_parity(snapshot_parity_);
  table_.insert(entry);
  if (expire_at_ms != no_expiry) expires_.set(entry, expire_at_ms);
  if (entry->type() != ValueType::string) {
    Collection* value = entry->collection();
    value->accounted_bytes_ = value->allocated_bytes();
  }
  entry_bytes_ += accounted_bytes(entry);
  policy_->on_insert(*entry);
}

void Keyspace::drop(Entry* entry) {
  policy_->on_remove(*entry);
  expires_.remove(entry);
  Entry* removed = table_.remove(entry->key());
  RING_ASSERT(removed == entry);
  const size_t bytes = accounted_bytes(entry);
  RING_ASSERT(entry_bytes_ >= bytes);
  entry_bytes_ -= bytes;
  Entry::destroy(entry);
}

void Keyspace::swap_in(Entry* old, Entry* replacement) {
  replacement->set_snapshot_parity(snapshot_parity_);
  table_.replace(old, replacement);
  expires_.transfer(old, replacement);
  policy_->on_move(*old, *replacement);
  const size_t old_bytes = accounted_bytes(old);
  RING_ASSERT(entry_bytes_ >= old_bytes);
  entry_bytes_ = entry_bytes_ - old_bytes + accounted_bytes(replacement);
  Entry::destroy(old);
}

void Keyspace::remove_entry(Entry* entry, RemovalReason reason) {
  if (removal_listener_) removal_listener_(entry->key(), reason);
  if (reason == RemovalReason::expired) ++stats_.expired_keys;
  if (reason == RemovalReason::evicted) ++stats_.evicted_keys;
  drop(entry);
}

bool Keyspace::expire_if_needed(Entry* entry, Use use) {
  if (expiry_mode_ == ExpiryMode::keep_expired || !expired(*entry)) return false;
  if (expiry_mode_ == ExpiryMode::hide_expired) return use == Use::read;
  remove_entry(entry, RemovalReason::expired);
  return true;
}

// --- lookup ------------------------------------------------------------------------------------

Entry* Keyspace::find(std::string_view key, bool touch_it, Use use) {
  Entry* entry = table_.find(key);
  if (entry == nullptr || expire_if_needed(entry, use)) return nullptr;
  if (touch_it) {
    touch(entry, false);
    policy_->on_access(*entry);
  }
  return entry;
}

Entry* Keyspace::find_read(std::string_view key) {
  Entry* entry = find(key, true, Use::read);
  ++(entry != nullptr ? stats_.keyspace_hits : stats_.keyspace_misses);
  return entry;
}

Entry* Keyspace::find_write(std::string_view key) { return find(key, true, Use::write); }

Entry* Keyspace::peek(std::string_view key) { return find(key, false, Use::read); }

// --- mutation ----------------------------------------------------------------------------------

Entry* Keyspace::set_string(std::string_view key, std::string_view value, int64_t expire_at_ms,
                            bool keep_ttl) {
  return set_string_found(find(key, false, Use::write), key, value, expire_at_ms, keep_ttl);
}

Entry* Keyspace::set_string_found(Entry* old, std::string_view key, std::string_view value,
                                  int64_t expire_at_ms, bool keep_ttl) {
  RING_ASSERT(old == nullptr || old->key() == key);
  if (old == nullptr) {
    Entry* entry = Entry::create(key, value);
    touch(entry, true);
    adopt(entry, keep_ttl ? no_expiry : expire_at_ms);
    announce_created(entry);
    return entry;
  }
  // Overwrite. Under LFU the key keeps its counter (counted as an access), as Redis keeps the
  // frequency of an overwritten key; under LRU it is simply accessed now.
  Entry* entry = old;
  if (old->type() == ValueType::string && !old->has_slack() &&
      old->value_fits_in_place(value.size())) {
    old->replace_value_in_place(value);
    old->set_string_form(StringForm::parsed);
  } else {
    entry = Entry::create(key, value);
    entry->set_lru_field(old->lru_field());
    swap_in(old, entry);
  }
  touch(entry, false);
  policy_->on_access(*entry);
  if (!keep_ttl) set_expire(entry, expire_at_ms);
  return entry;
}

Entry* Keyspace::update_string(Entry* entry, std::string_view value, StringForm form) {
  RING_ASSERT(entry != nullptr && entry->type() == ValueType::string);
  const bool raw = form == StringForm::raw;
  // A slack entry whose value shrank to under a quarter of its room, or is now set whole, goes
  // back to a compact entry; other updates that fit happen in place.
  const bool wasteful =
      entry->has_slack() && (!raw || value.size() * 4 < entry->value_capacity());
  if (entry->value_fits_in_place(value.size()) && !wasteful) {
    entry->replace_value_in_place(value);
    entry->set_string_form(form);
    return entry;
  }
  // A value modified in place (APPEND, SETRANGE) that outgrew its allocation gets room to grow
  // again: doubled, or 1 MiB more for large values, as Redis' sds does.
  Entry* replacement;
  if (raw && !wasteful) {
    const size_t room = value.size() < constants::string_grow_doubling_bytes_max
                            ? value.size() * 2
                            : value.size() + constants::string_grow_doubling_bytes_max;
    const size_t capped = std::min<size_t>(room, constants::string_bytes_max);
    // `value` may view the old entry's bytes: the copy is made before the old entry is freed.
    replacement = Entry::create_with_slack(entry->key(), value, std::max(capped, value.size()));
  } else {
    replacement = Entry::create(entry->key(), value);
  }
  replacement->set_lru_field(entry->lru_field());
  replacement->set_string_form(form);
  swap_in(entry, replacement);
  return replacement;
}

Entry* Keyspace::insert_collection(std::string_view key, std::unique_ptr<Collection> value) {
  RING_ASSERT(table_.find(key) == nullptr);
  Entry* entry = Entry::create_collection(key, std::move(*value));
  touch(entry, true);
  adopt(entry, no_expiry);
  return entry;
}

Entry* Keyspace::add_collection(std::string_view key, std::unique_ptr<Collection> value) {
  Entry* entry = insert_collection(key, std::move(value));
  announce_created(entry);
  return entry;
}

bool Keyspace::collection_written(Entry* entry) {
  Collection* value = entry->collection();
  if (value->size() == 0 && !value->kept_when_empty()) {
    drop(entry);
    return true;
  }
  if (entry->collection_repack_wanted()) {
    // The value moves into an entry made to measure (its compact bytes inline with the room
    // Entry::collection_repack_room gives, or no room left over); it keeps the key's metadata
    // and its snapshot state (the same value, not a new one).
    const bool parity = entry->snapshot_parity();
    Entry* repacked = Entry::create_collection(entry->key(), std::move(*value),
                                               entry->collection_repack_room());
    repacked->set_lru_field(entry->lru_field());
    swap_in(entry, repacked);  // accounts the value at what it last counted; corrected below
    repacked->set_snapshot_parity(parity);
    value = repacked->collection();
  }
  const size_t now_bytes = value->allocated_bytes();
  RING_ASSERT(entry_bytes_ >= value->accounted_bytes_);
  entry_bytes_ = entry_bytes_ - value->accounted_bytes_ + now_bytes;
  value->accounted_bytes_ = now_bytes;
  return false;
}

Entry* Keyspace::store_collection(std::string_view key, std::unique_ptr<Collection> value) {
  Entry* old = table_.find(key);
  // An expired key counts as absent (Redis' setKey looks the key up first), yet goes quietly:
  // the command's own events follow.
  const bool replaces = old != nullptr && !expired(*old);
  if (old != nullptr) drop(old);
  if (value->size() == 0 && !value->kept_when_empty()) return nullptr;
  Entry* entry = insert_collection(key, std::move(value));
  if (!replaces) announce_created(entry);
  return entry;
}

bool Keyspace::erase(std::string_view key) {
  Entry* entry = find(key, false, Use::write);
  if (entry == nullptr) return false;
  drop(entry);
  return true;
}

void Keyspace::set_expire(Entry* entry, int64_t expire_at_ms) {
  RING_ASSERT(entry != nullptr);
  const bool had_expiry = entry->has_expiry();
  if (expire_at_ms == no_expiry) {
    expires_.remove(entry);
  } else {
    expires_.set(entry, expire_at_ms);
  }
  if (had_expiry != entry->has_expiry()) policy_->on_expire_change(*entry);
}

Entry* Keyspace::rename(Entry* from, std::string_view to_key) {
  RING_ASSERT(from != nullptr);
  if (from->key() == to_key) return from;
  if (Entry* target = table_.find(to_key)) drop(target);
  Entry* renamed;
  if (from->type() == ValueType::string) {
    renamed = Entry::create(to_key, from->string_value());
  } else {
    // The collection object moves into the new entry; drop(from) below takes the old entry's
    // share out of the accounting (the moved-from object keeps its accounted bytes for that)
    // and adopt() counts the new one.
    renamed = Entry::create_collection(to_key, std::move(*from->collection()));
  }
  // The value keeps its access data and encoding, as Redis moves the same object (under the lab's
  // policies, which hold the field, the renamed key starts afresh in the policy).
  renamed->set_lru_field(from->lru_field());
  renamed->set_string_form(from->string_form());
  expires_.transfer(from, renamed);
  drop(from);
  // adopt() with no_expiry: the record transferred above already belongs to `renamed`.
  adopt(renamed, no_expiry);
  announce_created(renamed);  // Redis' RENAME adds the destination anew, as its "new" event says
  return renamed;
}

void Keyspace::clear() {
  policy_->clear();
  expires_.clear();
  for (Entry* entry : table_.take_all()) Entry::destroy(entry);
  entry_bytes_ = 0;
  expire_cursor_ = 0;
}

// --- iteration ---------------------------------------------------------------------------------

uint64_t Keyspace::scan(uint64_t cursor, size_t count,
                        const std::function<void(const Entry&)>& visit) {
  // Collect first and act after: visiting or expiring must not change the table mid-bucket.
  std::vector<Entry*> found;
  const auto collect = [&found](Entry& entry) { found.push_back(&entry); };
  if (count == 0) count = 1;
  size_t buckets_left = count * 10;  // as Redis: bounded work even over empty buckets
  do {
    cursor = table_.scan(cursor, collect);
  } while (cursor != 0 && --buckets_left > 0 && found.size() < count);
  for (Entry* entry : found) {
    if (!expire_if_needed(entry)) visit(*entry);
  }
  return cursor;
}

void Keyspace::for_each(const std::function<void(const Entry&)>& visit) {
  std::vector<Entry*> stale;
  table_.for_each([&](Entry& entry) {
    if (expiry_mode_ == ExpiryMode::keep_expired || !expired(entry)) {
      visit(entry);
    } else if (expiry_mode_ == ExpiryMode::delete_expired) {
      stale.push_back(&entry);
    }  // hide_expired: skipped, kept
  });
  for (Entry* entry : stale) remove_entry(entry, RemovalReason::expired);
}

const Entry* Keyspace::random_entry() {
  // A primary deletes every expired key it draws, so its loop ends. A replica hides them without
  // deleting, so its draws are bounded: after that many hidden ones it answers as if empty
  // rather than loop over a table of stale keys.
  const bool deletes = expiry_mode_ == ExpiryMode::delete_expired;
  for (size_t hidden = 0; deletes || hidden < constants::random_key_hidden_draws_max; ++hidden) {
    Entry* entry = table_.random_entry(rng_);
    if (entry == nullptr || !expire_if_needed(entry)) return entry;
  }
  return nullptr;
}

// --- expiry ------------------------------------------------------------------------------------

void Keyspace::active_expire_cycle(const std::function<bool()>& out_of_time) {
  // Sweep the volatile keys in the order of the side array, 20 per loop, expiring the stale
  // ones; go on while a loop finds more than 10% stale. The sweep resumes where the last cycle
  // stopped, so over successive cycles every volatile key is looked at.
  // A replica deletes nothing on its own (ExpiryMode).
  if (expiry_mode_ != ExpiryMode::delete_expired) return;
  uint64_t total_sampled = 0;
  uint64_t total_expired = 0;
  while (expires_.size() > 0) {
    const size_t batch = std::min<size_t>(expires_.size(), constants::expire_keys_per_loop);
    size_t sampled = 0;
    size_t expired_now = 0;
    for (size_t i = 0; i < batch && expires_.size() > 0; ++i) {
      if (expire_cursor_ >= expires_.size()) expire_cursor_ = 0;
      ExpireRecord& record = expires_.at(expire_cursor_);
      ++sampled;
      if (expire_time_passed(record.expire_at_ms)) {
        // The last record moves into this slot: the cursor stays to look at it next.
        remove_entry(record.entry, RemovalReason::expired);
        ++expired_now;
      } else {
        ++expire_cursor_;
      }
    }
    total_sampled += sampled;
    total_expired += expired_now;
    if (expired_now * 100 <= sampled * constants::expire_acceptable_stale_percent) break;
    if (out_of_time()) break;
  }
  if (total_sampled > 0) {
    // Moving average of the stale share, as Redis' expired_stale_perc (in 1/100 %).
    const uint64_t current = total_expired * 10000 / total_sampled;
    stats_.expired_stale_perc_x100 = (current * 5 + stats_.expired_stale_perc_x100 * 95) / 100;
  }
}

// --- memory and eviction -----------------------------------------------------------------------

size_t Keyspace::used_memory() const {
  return entry_bytes_ + table_.table_bytes() + expires_.allocated_bytes();
}

bool Keyspace::make_room(size_t extra_bytes_used_elsewhere) {
  // A replica evicts nothing: its primary decides (ExpiryMode).
  if (eviction_.maxmemory_bytes == 0 || expiry_mode_ != ExpiryMode::delete_expired) return true;
  int evicted = 0;
  while (used_memory() + extra_bytes_used_elsewhere > eviction_.maxmemory_bytes) {
    // Bounded work per command: like Redis' eviction that runs out of its time slice, the write
    // goes ahead and later commands carry on evicting.
    if (evicted == constants::evictions_per_command_max) return true;
    EvictionContext context = eviction_context();
    Entry* victim = policy_->pick_victim(context);
    if (victim == nullptr) return false;
    remove_entry(victim, RemovalReason::evicted);
    ++evicted;
  }
  return true;
}

void Keyspace::set_eviction_config(const EvictionConfig& config) {
  const bool policy_changed = config.policy != eviction_.policy;
  eviction_ = config;
  // Sampled policies keep no per-key state, so a fresh policy object is all a switch needs; the
  // lab's policies learn the existing keys (in table order, a function of the seed).
  if (policy_changed) {
    std::unique_ptr<EvictionPolicy> next = make_eviction_policy(config.policy);
    // A policy that kept its data in the access field hands the field back as Redis reads it:
    // the last access under LRU, a new key's counter under LFU.
    if (policy_owns_access_field_ && !next->owns_access_field()) {
      const bool lfu = policy_uses_lfu(config.policy);
      table_.for_each([&](Entry& entry) {
        entry.set_lru_field(lfu ? access_clock::field_for_new_key(true, now_ms_)
                                : policy_->access_clock(entry));
      });
    }
    install_policy(std::move(next));
    policy_->configure(eviction_);
    if (policy_->tracks_keys()) table_.for_each([&](Entry& entry) { policy_->on_insert(entry); });
  } else {
    policy_->configure(eviction_);
  }
}

// --- introspection -----------------------------------------------------------------------------

size_t Keyspace::size() const { return table_.size(); }

size_t Keyspace::expires_count() const { return expires_.size(); }

uint8_t Keyspace::lfu_frequency(Entry& entry) {
  return access_clock::lfu_decayed_counter(entry.lru_field(), now_ms_,
                                           eviction_.lfu_decay_time_minutes);
}

int64_t Keyspace::idle_seconds(const Entry& entry) const {
  return access_clock::lru_idle_ms(policy_->access_clock(entry), now_ms_) / 1000;
}

void Keyspace::restore_access(Entry* entry, int64_t idle_seconds, int freq) {
  if (policy_owns_access_field_) return;
  if (policy_uses_lfu(eviction_.policy)) {
    if (freq >= 0) entry->set_lru_field(access_clock::lfu_minutes(now_ms_) << 8 | (freq & 0xff));
    return;
  }
  if (idle_seconds < 0) return;
  const int64_t clock = access_clock::lru_clock(now_ms_);
  // Capped first so the product cannot overflow: anything past the clock's range wraps anyway.
  const int64_t idle_ticks =
      std::min<int64_t>(idle_seconds, int64_t{1} << 40) * 1000 / access_clock::lru_clock_resolution_ms;
  const int64_t at = idle_ticks > clock
                         ? (clock + access_clock::lru_clock_max / 2) % access_clock::lru_clock_max
                         : clock - idle_ticks;
  entry->set_lru_field(static_cast<uint32_t>(at));
}

}  // namespace ringcache::store

namespace ringcache::store {

// --- snapshots -----------------------------------------------------------------------------------

bool Keyspace::take_for_snapshot(const Entry& entry) {
  if (entry.snapshot_parity() == snapshot_parity_) return false;
  // The parity bit is snapshot bookkeeping, not the entry's value: the keyspace owns the entry.
  const_cast<Entry&>(entry).set_snapshot_parity(snapshot_parity_);
  return true;
}

void Keyspace::abandon_snapshot() {
  for_each([this](const Entry& entry) { take_for_snapshot(entry); });
}

ScopedExpiryMode::ScopedExpiryMode(Keyspace& keyspace, ExpiryMode mode)
    : keyspace_(keyspace), previous_(keyspace.expiry_mode()) {
  keyspace.set_expiry_mode(mode);
}

ScopedExpiryMode::~ScopedExpiryMode() { keyspace_.set_expiry_mode(previous_); }

}  // namespace ringcache::store
