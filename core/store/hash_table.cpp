// Hash table with incremental rehash; see hash_table.h for what it guarantees.

#include "core/store/hash_table.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "core/constants.h"
#include "core/store/alloc_size.h"
#include "core/util/assert.h"

namespace ringcache::store {

namespace {

uint64_t load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// 64x64 -> 128 multiply folded to 64 bits: the mixing step (as in wyhash-style hashes).
uint64_t fold_multiply(uint64_t a, uint64_t b) {
  const __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

constexpr uint64_t k0 = 0xa0761d6478bd642fULL;
constexpr uint64_t k1 = 0xe7037ed1a0b428dbULL;
constexpr uint64_t k2 = 0x8ebc6af09c88c6e3ULL;
constexpr uint64_t k3 = 0x589965cc75374cc3ULL;

size_t next_power_of_two(size_t n) { return n <= 1 ? 1 : std::bit_ceil(n); }

}  // namespace

uint64_t hash_bytes(std::string_view bytes, uint64_t seed) {
  const char* p = bytes.data();
  size_t n = bytes.size();
  uint64_t h = seed ^ fold_multiply(n ^ k0, k1);
  while (n >= 16) {
    h = fold_multiply(load64(p) ^ k1, load64(p + 8) ^ h);
    p += 16;
    n -= 16;
  }
  uint64_t a = 0;
  uint64_t b = 0;
  if (n >= 8) {
    a = load64(p);
    b = load64(p + n - 8);  // overlapping read covers 8..15 tail bytes
  } else if (n > 0) {
    std::memcpy(&a, p, n);
  }
  h = fold_multiply(a ^ k2 ^ h, b ^ k3);
  return fold_multiply(h ^ k0, h ^ k1);
}

HashTable::HashTable(uint64_t seed) : seed_(seed) {
  tables_[0].buckets.assign(constants::table_initial_buckets, nullptr);
}

HashTable::~HashTable() {
  for (Entry* entry : take_all()) Entry::destroy(entry);
}

HashTable::Link HashTable::find_link(std::string_view key, uint64_t h) {
  for (int i = 0; i < 2; ++i) {
    Table& t = tables_[i];
    if (t.buckets.empty()) continue;
    const size_t index = h & t.mask();
    // Buckets of table 0 below the rehash index have already moved to table 1.
    if (i == 0 && rehashing() && index < static_cast<size_t>(rehash_index_)) continue;
    for (Entry** link = &t.buckets[index]; *link != nullptr; link = &(*link)->next_) {
      if ((*link)->key() == key) return {link, i};
    }
  }
  return {};
}

Entry* HashTable::find(std::string_view key) {
  if (rehashing()) rehash_some(constants::rehash_steps_per_op);
  const Link found = find_link(key, hash(key));
  return found.link == nullptr ? nullptr : *found.link;
}

void HashTable::prefetch(std::span<const std::string_view> keys) const {
  // A table being resized is short-lived; its lookups simply go without the hint.
  if (rehashing()) return;
  const Table& t = tables_[0];
  Entry* const* slots[constants::prefetch_keys_max];
  const size_t count = std::min(keys.size(), constants::prefetch_keys_max);
  for (size_t i = 0; i < count; ++i) {
    slots[i] = &t.buckets[hash(keys[i]) & t.mask()];
    __builtin_prefetch(slots[i]);
  }
  // By now the first slots have arrived; the loads of the later ones overlap.
  for (size_t i = 0; i < count; ++i) {
    if (const Entry* head = *slots[i]) {
      // Header, key and a short value: up to two cache lines from a 16-byte aligned start.
      __builtin_prefetch(head);
      __builtin_prefetch(reinterpret_cast<const char*>(head) + 63);
    }
  }
}

void HashTable::insert(Entry* entry) {
  if (rehashing()) rehash_some(constants::rehash_steps_per_op);
  const std::string_view key = entry->key();
  const uint64_t h = hash(key);
  RING_ASSERT_MSG(find_link(key, h).link == nullptr, "duplicate key");
  // While rehashing, new entries go straight to the target table.
  Table& t = rehashing() ? tables_[1] : tables_[0];
  Entry*& head = t.buckets[h & t.mask()];
  entry->next_ = head;
  head = entry;
  ++t.used;
  maybe_grow();
}

Entry* HashTable::remove(std::string_view key) {
  if (rehashing()) rehash_some(constants::rehash_steps_per_op);
  const Link found = find_link(key, hash(key));
  if (found.link == nullptr) return nullptr;
  Entry* entry = *found.link;
  *found.link = entry->next_;
  entry->next_ = nullptr;
  RING_ASSERT(tables_[found.table].used > 0);
  --tables_[found.table].used;
  maybe_shrink();
  return entry;
}

void HashTable::replace(Entry* old, Entry* replacement) {
  RING_ASSERT(old->key() == replacement->key());
  const Link found = find_link(old->key(), hash(old->key()));
  RING_ASSERT(found.link != nullptr && *found.link == old);
  replacement->next_ = old->next_;
  old->next_ = nullptr;
  *found.link = replacement;
}

std::vector<Entry*> HashTable::take_all() {
  std::vector<Entry*> all;
  all.reserve(size());
  for (Table& t : tables_) {
    for (Entry*& head : t.buckets) {
      for (Entry* e = head; e != nullptr;) {
        Entry* next = e->next_;
        e->next_ = nullptr;
        all.push_back(e);
        e = next;
      }
      head = nullptr;
    }
    t.used = 0;
  }
  tables_[1].buckets = {};
  tables_[0].buckets.assign(constants::table_initial_buckets, nullptr);
  tables_[0].buckets.shrink_to_fit();
  rehash_index_ = -1;
  return all;
}

// --- resizing ----------------------------------------------------------------------------------

void HashTable::start_resize(size_t buckets) {
  RING_ASSERT(!rehashing());
  RING_ASSERT(std::has_single_bit(buckets));
  if (buckets == tables_[0].buckets.size()) return;
  tables_[1].buckets.assign(buckets, nullptr);
  tables_[1].used = 0;
  rehash_index_ = 0;
}

void HashTable::maybe_grow() {
  if (rehashing()) return;
  const Table& t = tables_[0];
  if (t.used < t.buckets.size() * constants::table_load_factor_max) return;
  start_resize(next_power_of_two(t.used * 2 / constants::table_load_factor_max));
}

void HashTable::maybe_shrink() {
  if (rehashing()) return;
  const Table& t = tables_[0];
  if (t.buckets.size() <= constants::table_initial_buckets) return;
  if (t.used * constants::table_shrink_fill_ratio >= t.buckets.size()) return;
  // Room for one more than we hold, so the grow check does not fire right after the shrink.
  size_t target = next_power_of_two(t.used / constants::table_load_factor_max + 1);
  if (target < constants::table_initial_buckets) target = constants::table_initial_buckets;
  start_resize(target);
}

void HashTable::rehash_step() {
  Table& from = tables_[0];
  Table& to = tables_[1];
  // Skip a bounded number of empty buckets so one step's work stays small.
  size_t empty_visits = 0;
  while (static_cast<size_t>(rehash_index_) < from.buckets.size() &&
         from.buckets[rehash_index_] == nullptr) {
    ++rehash_index_;
    if (++empty_visits >= constants::rehash_empty_visits_max) return;
  }
  if (static_cast<size_t>(rehash_index_) == from.buckets.size()) return;
  for (Entry* e = from.buckets[rehash_index_]; e != nullptr;) {
    Entry* next = e->next_;
    Entry*& head = to.buckets[hash(e->key()) & to.mask()];
    e->next_ = head;
    head = e;
    --from.used;
    ++to.used;
    e = next;
  }
  from.buckets[rehash_index_] = nullptr;
  ++rehash_index_;
}

void HashTable::finish_rehash_if_done() {
  if (static_cast<size_t>(rehash_index_) < tables_[0].buckets.size()) return;
  RING_ASSERT(tables_[0].used == 0);
  tables_[0].buckets = std::move(tables_[1].buckets);
  tables_[0].used = tables_[1].used;
  tables_[1].buckets = {};
  tables_[1].used = 0;
  rehash_index_ = -1;
  // A table that shrank far below need (or grew past it) while rehashing resizes again now.
  maybe_grow();
  maybe_shrink();
}

bool HashTable::rehash_some(size_t steps) {
  for (size_t i = 0; i < steps && rehashing(); ++i) {
    rehash_step();
    finish_rehash_if_done();
  }
  return rehashing();
}

// --- sampling ----------------------------------------------------------------------------------

Entry* HashTable::random_entry(Rng& rng) {
  if (size() == 0) return nullptr;
  if (rehashing()) rehash_some(constants::rehash_steps_per_op);
  Entry* head = nullptr;
  if (rehashing()) {
    // Buckets below the rehash index of table 0 are empty: draw among the others of table 0 and
    // all of table 1.
    const size_t live0 = tables_[0].buckets.size() - static_cast<size_t>(rehash_index_);
    const size_t span = live0 + tables_[1].buckets.size();
    while (head == nullptr) {
      const size_t i = rng.below(span);
      head = i < live0 ? tables_[0].buckets[rehash_index_ + i] : tables_[1].buckets[i - live0];
    }
  } else {
    while (head == nullptr) head = tables_[0].buckets[rng.below(tables_[0].buckets.size())];
  }
  size_t length = 0;
  for (Entry* e = head; e != nullptr; e = e->next_) ++length;
  Entry* e = head;
  for (size_t skip = rng.below(length); skip > 0; --skip) e = e->next_;
  return e;
}

void HashTable::sample(Rng& rng, size_t count, std::vector<Entry*>& out) {
  if (count > size()) count = size();
  if (count == 0) return;
  // Walk consecutive buckets (of both tables while rehashing) from a random index; stop after a
  // bounded number of buckets so a sparse table cannot make this slow.
  const size_t max_mask = std::max(tables_[0].mask(), rehashing() ? tables_[1].mask() : 0);
  size_t index = rng.below(max_mask + 1);
  size_t steps = count * 10;
  size_t found = 0;
  while (found < count && steps-- > 0) {
    for (int ti = 0; ti < (rehashing() ? 2 : 1); ++ti) {
      const Table& t = tables_[ti];
      if (index > t.mask()) continue;
      if (ti == 0 && rehashing() && index < static_cast<size_t>(rehash_index_)) continue;
      for (Entry* e = t.buckets[index]; e != nullptr && found < count; e = e->next_) {
        out.push_back(e);
        ++found;
      }
    }
    index = (index + 1) & max_mask;
  }
  // A sparse table can leave the walk empty-handed; callers (eviction) need at least one.
  if (found == 0) out.push_back(random_entry(rng));
}

size_t HashTable::table_bytes() const {
  size_t bytes = 0;
  for (const Table& t : tables_) {
    if (t.buckets.capacity() > 0) {
      bytes += malloc_chunk_bytes(t.buckets.capacity() * sizeof(Entry*));
    }
  }
  return bytes;
}

}  // namespace ringcache::store
