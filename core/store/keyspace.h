#pragma once
// The keyspace of one database: keys, values, expiry times, eviction metadata and the memory they
// take. Pure data structure: no I/O, no clock reads — the caller sets the time (set_now_ms) before
// each command, as Redis fixes the time for the duration of one command.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/store/collection.h"
#include "core/store/entry.h"
#include "core/store/eviction_policy.h"
#include "core/store/expire_set.h"
#include "core/store/hash_table.h"
#include "core/util/rng.h"

namespace ringcache::store {

// Why a key left the keyspace without a DEL (for notifications, tracking and the AOF later).
enum class RemovalReason { expired, evicted };

// Who decides that a key is gone. A primary deletes keys whose TTL passed (lazily and in the
// active cycle) and evicts; a replica deletes nothing on its own: its primary's DELs are the only
// removals, so both hold the same keys whatever their clocks say (Redis' rule, and
// replica-ignore-maxmemory yes).
enum class ExpiryMode {
  delete_expired,  // a primary
  hide_expired,    // a replica serving its clients: an expired key reads as absent and stays
  keep_expired,    // a replica applying its primary's stream: keys are as the primary sees them
};

class Keyspace;

// Holds `mode` for the life of a scope and puts back the mode it found, however the scope ends
// (return or exception): a replica runs each of its primary's commands under keep_expired.
class ScopedExpiryMode {
 public:
  ScopedExpiryMode(Keyspace& keyspace, ExpiryMode mode);
  ~ScopedExpiryMode();
  ScopedExpiryMode(const ScopedExpiryMode&) = delete;
  ScopedExpiryMode& operator=(const ScopedExpiryMode&) = delete;

 private:
  Keyspace& keyspace_;
  ExpiryMode previous_;
};

struct KeyspaceStats {
  uint64_t expired_keys = 0;
  uint64_t expired_stale_perc_x100 = 0;  // last active-cycle estimate of stale keys, in 1/100 %
  uint64_t expire_cycle_cpu_milliseconds = 0;
  uint64_t evicted_keys = 0;
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
};

class Keyspace {
 public:
  Keyspace(Rng& rng, EvictionConfig eviction);
  ~Keyspace();
  Keyspace(const Keyspace&) = delete;
  Keyspace& operator=(const Keyspace&) = delete;

  // --- time ------------------------------------------------------------------------------------
  // The one clock of the keyspace and its eviction policy (EvictionPolicy::set_clock).
  void set_now_ms(int64_t now_ms) { now_ms_ = now_ms; }
  int64_t now_ms() const { return now_ms_; }
  // See ExpiryMode. Reads (find_read, peek, scan, for_each, random_entry) hide an expired key
  // under hide_expired; writes (find_write and the mutations) still see it, so a write replaces
  // the entry rather than adding a second one. The node's role sets it; a narrower context (the
  // primary's commands on a replica) holds another with ScopedExpiryMode.
  void set_expiry_mode(ExpiryMode mode) { expiry_mode_ = mode; }
  ExpiryMode expiry_mode() const { return expiry_mode_; }

  // --- lookup ------------------------------------------------------------------------------------
  // An expired key is deleted on the way (lazy expiry) and reported as absent. The returned
  // pointer is valid until the next call that changes the keyspace.
  // For reads: updates LRU/LFU and counts a hit or a miss.
  Entry* find_read(std::string_view key);
  // For writes: updates LRU/LFU, counts nothing.
  Entry* find_write(std::string_view key);
  // Neither touches nor counts (TYPE-like introspection, OBJECT, SCAN filters); still expires.
  Entry* peek(std::string_view key);
  // Hints that these keys are about to be looked up (see HashTable::prefetch).
  void prefetch(std::span<const std::string_view> keys) const { table_.prefetch(keys); }

  // --- mutation ----------------------------------------------------------------------------------
  // Creates or replaces `key` as a string. The expiry becomes `expire_at_ms` (no_expiry: none),
  // unless keep_ttl, which keeps the old entry's expiry. Returns the new entry.
  Entry* set_string(std::string_view key, std::string_view value, int64_t expire_at_ms,
                    bool keep_ttl = false);
  // As set_string, for a caller that has just looked `key` up (find_write) and changed nothing
  // since: `existing` is what the lookup returned (nullptr: absent), so no second lookup is made.
  Entry* set_string_found(Entry* existing, std::string_view key, std::string_view value,
                          int64_t expire_at_ms, bool keep_ttl = false);
  // Replaces the value of an existing string entry, keeping key, expiry and access metadata. The
  // entry may move: use the returned pointer. `form` says how the new value was made (what OBJECT
  // ENCODING reports; StringForm::raw for APPEND/SETRANGE, which also leaves room to grow).
  Entry* update_string(Entry* entry, std::string_view value,
                       StringForm form = StringForm::parsed);
  // Records how a new entry's value was made (StringForm). The entry does not move.
  void set_string_form(Entry* entry, StringForm form) { entry->set_string_form(form); }
  // --- collections (lists, sets, sorted sets, hashes) ---------------------------------------------
  // Adds `key`, which must be absent (the caller looked it up), holding `value`; no expiry.
  Entry* add_collection(std::string_view key, std::unique_ptr<Collection> value);
  // To be called when a command has changed the collection of `entry` (before the next
  // keyspace call): its memory is accounted anew, and a collection left empty is removed with
  // its key, as Redis keeps no empty collection but a stream (Collection::kept_when_empty).
  // Returns whether the key was removed. The
  // entry may move (re-packed to fit its value, Entry::collection_repack_wanted): `entry` and
  // pointers into its collection are invalid afterwards; look the key up again.
  bool collection_written(Entry* entry);
  // Replaces whatever `key` holds by `value`, with no expiry (the *STORE commands); an empty
  // `value` just deletes `key`. Returns the new entry, or nullptr when `value` was empty.
  Entry* store_collection(std::string_view key, std::unique_ptr<Collection> value);

  // Removes `key`; returns whether it existed (an expired key did not).
  bool erase(std::string_view key);
  // Sets or clears (no_expiry) the absolute expiry of an entry. The entry does not move.
  void set_expire(Entry* entry, int64_t expire_at_ms);
  // Moves `from`'s value and expiry to `to_key`, replacing whatever `to_key` held.
  Entry* rename(Entry* from, std::string_view to_key);
  // Removes every key (FLUSHDB/FLUSHALL).
  void clear();

  // --- iteration ---------------------------------------------------------------------------------
  // SCAN: visits about `count` buckets starting at `cursor` and returns the next cursor (0 = done).
  // Every key present for the whole scan is returned at least once, even across rehashing
  // (reverse-binary cursor, as Redis). Expired keys are skipped, not visited.
  uint64_t scan(uint64_t cursor, size_t count, const std::function<void(const Entry&)>& visit);
  // Every live key, in table order (KEYS).
  void for_each(const std::function<void(const Entry&)>& visit);
  // A random live key (RANDOMKEY), or nullptr when empty.
  const Entry* random_entry();

  // --- expiry ------------------------------------------------------------------------------------
  // One active expiry cycle as Redis' activeExpireCycle: samples keys with an expiry, deletes the
  // expired ones, and repeats while more than ~10% of a sample was stale. `out_of_time` is
  // polled every few samples and ends the cycle when it returns true.
  void active_expire_cycle(const std::function<bool()>& out_of_time);

  // Moves up to `buckets` buckets of an ongoing table resize (Redis' incrementallyRehash, for the
  // cron when the keyspace is idle); returns whether resizing still has work to do.
  bool incremental_rehash(size_t buckets) { return table_.rehash_some(buckets); }

  // --- memory and eviction -----------------------------------------------------------------------
  // Bytes the keyspace accounts for: entries, values and table overhead.
  size_t used_memory() const;
  // What used_memory() counts for one key: its entry and its collection (MEMORY USAGE).
  static size_t key_bytes(const Entry* entry) { return accounted_bytes(entry); }
  // Always true on a replica (ExpiryMode), which evicts nothing.
  // Evicts keys by the configured policy until used_memory() + extra_bytes <= maxmemory (no-op when
  // maxmemory is 0). Returns false if it could not get there (noeviction, or no candidate keys):
  // the caller then refuses the write with OOM. Evicts at most evictions_per_command_max keys per
  // call; if that is not enough it returns true (progress is being made, as Redis' EVICT_RUNNING)
  // and later calls continue.
  bool make_room(size_t extra_bytes_used_elsewhere);
  void set_eviction_config(const EvictionConfig& config);
  const EvictionConfig& eviction_config() const { return eviction_; }

  // --- introspection -----------------------------------------------------------------------------
  size_t size() const;
  size_t expires_count() const;
  KeyspaceStats& stats() { return stats_; }
  // OBJECT FREQ / IDLETIME: the LFU counter (after decay) and idle seconds by the LRU clock.
  uint8_t lfu_frequency(Entry& entry);
  int64_t idle_seconds(const Entry& entry) const;
  // RESTORE's IDLETIME / FREQ, as Redis' objectSetLRUOrLFU: under an LFU policy a `freq` >= 0
  // becomes the counter, stamped now; under any other an `idle_seconds` >= 0 dates the last
  // access back that far (a date before the LRU clock's start becomes half its range ahead, as
  // Redis does). Negative: not given. The eviction lab's policies keep their own data there, so
  // under them nothing changes.
  void restore_access(Entry* entry, int64_t idle_seconds, int freq);

  // --- snapshots (the AOF rewrite; docs/aof-format.md) --------------------------------------------
  // A snapshot serialises each key present at begin_snapshot() exactly once, with the value it
  // had then: the walker and a hook that runs before every write both call take_for_snapshot(),
  // and only the first call per key returns true. Keys added after begin_snapshot() (and values
  // replaced by a new entry) count as taken already: what happened to them is in the log written
  // since. One parity bit per entry, flipped per snapshot, holds this.
  void begin_snapshot() { snapshot_parity_ = !snapshot_parity_; }
  bool take_for_snapshot(const Entry& entry);
  // Marks every key taken: after an abandoned snapshot, so the next one starts clean.
  void abandon_snapshot();

  // Called for every key removed by expiry or eviction, before it goes.
  void set_removal_listener(std::function<void(std::string_view key, RemovalReason)> listener) {
    removal_listener_ = std::move(listener);
  }
  // Called for every key created where none was (Redis' dbAdd: the "new" keyspace event),
  // including RENAME's destination; not when a value replaces a present key's.
  void set_creation_listener(std::function<void(std::string_view key)> listener) {
    creation_listener_ = std::move(listener);
  }

 private:
  // Implementation-defined below; see keyspace.cpp.
  enum class Use { read, write };
  Entry* find(std::string_view key, bool touch, Use use);
  // True when `entry` must be treated as absent: expired, and deleted now (a primary) or hidden
  // from a read (a replica).
  bool expire_if_needed(Entry* entry, Use use = Use::read);
  void remove_entry(Entry* entry, RemovalReason reason);
  // Unlinks and frees an entry (no listener, no stats).
  void drop(Entry* entry);
  // What used_memory() counts for an entry: its allocation plus its collection's.
  static size_t accounted_bytes(const Entry* entry);
  // Links a new entry: table, expiry, access field, policy and accounting.
  void adopt(Entry* entry, int64_t expire_at_ms);
  // A new collection entry at `key` (absent), linked; no creation listener call.
  Entry* insert_collection(std::string_view key, std::unique_ptr<Collection> value);
  void announce_created(const Entry* entry) {
    if (creation_listener_) creation_listener_(entry->key());
  }
  // Stamps the access field of an entry being created or touched.
  void touch(Entry* entry, bool is_new);
  // Swaps `old` for the reallocated `replacement` everywhere, then frees `old`.
  void swap_in(Entry* old, Entry* replacement);
  // Redis' rule (keyIsExpired: now > when): a key lives through its expiry millisecond.
  bool expire_time_passed(int64_t expire_at_ms) const { return expire_at_ms < now_ms_; }
  bool expired(const Entry& entry) const {
    return entry.has_expiry() && expire_time_passed(entry.expire_at_ms());
  }
  EvictionContext eviction_context();
  // Makes `policy` the eviction policy, reading this keyspace's clock.
  void install_policy(std::unique_ptr<EvictionPolicy> policy);

  Rng& rng_;
  EvictionConfig eviction_;
  std::unique_ptr<EvictionPolicy> policy_;
  bool policy_owns_access_field_ = false;  // policy_->owns_access_field(), cached for touch()
  HashTable table_;
  ExpireSet expires_;
  KeyspaceStats stats_;
  int64_t now_ms_ = 0;
  size_t entry_bytes_ = 0;     // sum of allocated_bytes() of every entry
  size_t expire_cursor_ = 0;   // where the active expiry cycle resumes in expires_
  std::function<void(std::string_view, RemovalReason)> removal_listener_;
  std::function<void(std::string_view)> creation_listener_;
  bool snapshot_parity_ = false;
  ExpiryMode expiry_mode_ = ExpiryMode::delete_expired;
};

}  // namespace ringcache::store
