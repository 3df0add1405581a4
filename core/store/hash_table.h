#pragma once
// The keyspace's hash table: chained buckets of intrusive Entry nodes (Entry::next_), built for a
// cache that must never pause:
//   * incremental rehash: growing or shrinking allocates a second table and moves a few buckets
//     per operation (and on rehash_some), so no single call walks the whole table;
//   * SCAN with a reverse-binary cursor, so a key present for a whole scan is returned at least
//     once even when the table grows or shrinks between calls;
//   * random sampling of entries for RANDOMKEY and eviction;
//   * shrinking when sparse.
// Bucket order follows a seeded hash of our own, so iteration order is a function of the seed.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/store/entry.h"
#include "core/util/rng.h"

namespace ringcache::store {

// Seeded 64-bit hash of a byte string (multiply-mix; seeded per table against crafted keys).
uint64_t hash_bytes(std::string_view bytes, uint64_t seed);

class HashTable {
 public:
  explicit HashTable(uint64_t seed);
  // Frees the entries still linked (their expiry records must be gone: see Entry::destroy).
  ~HashTable();
  HashTable(const HashTable&) = delete;
  HashTable& operator=(const HashTable&) = delete;

  size_t size() const { return tables_[0].used + tables_[1].used; }
  bool rehashing() const { return rehash_index_ >= 0; }
  // Buckets of the main table (a rehash's target table not counted).
  size_t bucket_count() const { return tables_[0].buckets.size(); }

  Entry* find(std::string_view key);
  // Asks the CPU to fetch the bucket slots of these keys, then the first entry of each chain, so
  // the lookups of a batch of pipelined commands overlap their cache misses instead of taking
  // them one after another. A hint only: it changes nothing; at most prefetch_keys_max keys.
  void prefetch(std::span<const std::string_view> keys) const;
  // Inserts an entry whose key is not present (asserted). May grow the table.
  void insert(Entry* entry);
  // Unlinks the entry with this key and returns it (nullptr if absent). May shrink the table.
  // The caller owns the returned entry.
  Entry* remove(std::string_view key);
  // Puts `replacement` where `old` is (same key), without rehash steps: used when an entry is
  // reallocated. `old` must be in the table (asserted).
  void replace(Entry* old, Entry* replacement);
  // Unlinks and returns every entry; the table is empty and back to its initial size.
  std::vector<Entry*> take_all();

  // Moves up to `steps` buckets of an ongoing rehash; returns whether rehashing continues.
  bool rehash_some(size_t steps);

  // SCAN step: calls visit for every entry of the bucket(s) at `cursor` and returns the next
  // cursor (0 when the scan is complete). visit must not change the table.
  template <typename Visit>
  uint64_t scan(uint64_t cursor, Visit&& visit);

  // Every entry, bucket by bucket. visit must not change the table.
  template <typename Visit>
  void for_each(Visit&& visit);

  // One entry chosen at random (close to uniform for short chains); nullptr when empty.
  Entry* random_entry(Rng& rng);
  // Up to `count` entries from consecutive buckets starting at a random one (Redis'
  // dictGetSomeKeys): cheap and good enough for eviction sampling. Appends to `out`.
  void sample(Rng& rng, size_t count, std::vector<Entry*>& out);

  // Bytes of the bucket arrays, rounded as the allocator does.
  size_t table_bytes() const;

 private:
  struct Table {
    std::vector<Entry*> buckets;  // size: 0 or a power of two
    size_t used = 0;
    size_t mask() const { return buckets.size() - 1; }
  };

  template <typename Visit>
  static void visit_chain(Entry* head, Visit& visit);
  uint64_t hash(std::string_view key) const { return hash_bytes(key, seed_); }
  void rehash_step();
  void start_resize(size_t buckets);
  void maybe_grow();
  void maybe_shrink();
  void finish_rehash_if_done();
  // Where the entry with this key is linked from, and which table holds it.
  struct Link {
    Entry** link = nullptr;
    int table = 0;
  };
  Link find_link(std::string_view key, uint64_t hash);

  Table tables_[2];
  // Next bucket of tables_[0] to move into tables_[1]; -1 when not rehashing.
  int64_t rehash_index_ = -1;
  uint64_t seed_;
};

// --- templates ---------------------------------------------------------------------------------

namespace detail {
inline uint64_t reverse_bits(uint64_t v) {
  v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
  v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
  v = ((v >> 4) & 0x0f0f0f0f0f0f0f0fULL) | ((v & 0x0f0f0f0f0f0f0f0fULL) << 4);
  v = ((v >> 8) & 0x00ff00ff00ff00ffULL) | ((v & 0x00ff00ff00ff00ffULL) << 8);
  v = ((v >> 16) & 0x0000ffff0000ffffULL) | ((v & 0x0000ffff0000ffffULL) << 16);
  return (v >> 32) | (v << 32);
}

// Increments the bits of `cursor` covered by `mask` from the most significant end: the order in
// which the buckets of a smaller table are prefixes of those of a larger one, which is what lets
// a scan survive resizing.
inline uint64_t next_cursor(uint64_t cursor, uint64_t mask) {
  cursor |= ~mask;
  cursor = reverse_bits(cursor);
  ++cursor;
  return reverse_bits(cursor);
}
}  // namespace detail

template <typename Visit>
void HashTable::visit_chain(Entry* head, Visit& visit) {
  for (Entry* e = head; e != nullptr;) {
    Entry* next = e->next_;
    visit(*e);
    e = next;
  }
}

template <typename Visit>
uint64_t HashTable::scan(uint64_t cursor, Visit&& visit) {
  if (size() == 0) return 0;
  if (!rehashing()) {
    const Table& t = tables_[0];
    visit_chain(t.buckets[cursor & t.mask()], visit);
    return detail::next_cursor(cursor, t.mask());
  }
  // Rehashing: visit the bucket of the smaller table, then every bucket of the larger table that
  // its entries may have moved to (the ones sharing its low bits).
  const Table* small = &tables_[0];
  const Table* large = &tables_[1];
  if (small->buckets.size() > large->buckets.size()) std::swap(small, large);
  const uint64_t small_mask = small->mask();
  const uint64_t large_mask = large->mask();
  visit_chain(small->buckets[cursor & small_mask], visit);
  do {
    visit_chain(large->buckets[cursor & large_mask], visit);
    cursor = detail::next_cursor(cursor, large_mask);
  } while ((cursor & (small_mask ^ large_mask)) != 0);
  return cursor;
}

template <typename Visit>
void HashTable::for_each(Visit&& visit) {
  for (Table& t : tables_) {
    for (Entry* head : t.buckets) visit_chain(head, visit);
  }
}

}  // namespace ringcache::store
