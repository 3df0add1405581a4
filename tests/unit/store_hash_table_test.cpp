// HashTable: lookups stay right while an incremental rehash is under way, SCAN returns every key
// present for the whole scan across grows and shrinks, sampling reaches every entry.

#include "tests/unit/store_test_peer.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace ringcache::store {
namespace {

std::string key_of(int i) { return "key:" + std::to_string(i); }

// Owns the entries it puts in the table.
class TableFixture {
 public:
  explicit TableFixture(uint64_t seed = 42) : table(seed) {}
  ~TableFixture() {
    for (Entry* entry : table.take_all()) EntryTestPeer::destroy(entry);
  }
  void insert(const std::string& key) { table.insert(EntryTestPeer::make(key, "v")); }
  bool remove(const std::string& key) {
    Entry* entry = table.remove(key);
    if (entry == nullptr) return false;
    EntryTestPeer::destroy(entry);
    return true;
  }
  // The keys one full scan returns; `between` runs after each scan step.
  template <typename Between>
  std::multiset<std::string> scan_all(Between&& between) {
    std::multiset<std::string> seen;
    uint64_t cursor = 0;
    do {
      cursor = table.scan(cursor, [&](Entry& e) { seen.insert(std::string(e.key())); });
      between();
    } while (cursor != 0);
    return seen;
  }
  HashTable table;
};

TEST(StoreHashTable, EveryKeyFindableWhileGrowing) {
  TableFixture t;
  bool saw_rehash = false;
  for (int i = 0; i < 5000; ++i) {
    t.insert(key_of(i));
    saw_rehash |= t.table.rehashing();
    if (t.table.rehashing() || i % 512 == 0) {
      for (int j = 0; j <= i; ++j) ASSERT_NE(t.table.find(key_of(j)), nullptr) << j << " at " << i;
    }
    ASSERT_EQ(t.table.find(key_of(i + 1)), nullptr);
  }
  EXPECT_TRUE(saw_rehash);
  EXPECT_EQ(t.table.size(), 5000u);
}

// A hint: any keys, present or not, more than it takes, while resizing or not; nothing changes.
TEST(StoreHashTable, PrefetchChangesNothing) {
  TableFixture f;
  std::vector<std::string> names;
  for (int i = 0; i < 100; ++i) names.push_back("key" + std::to_string(i));
  std::vector<std::string_view> keys(names.begin(), names.end());
  f.table.prefetch(keys);  // empty table, more keys than prefetch_keys_max
  for (int i = 0; i < 50; ++i) {
    f.insert(names[i]);
    f.table.prefetch(keys);  // grows (and rehashes) on the way
  }
  EXPECT_EQ(f.table.size(), 50u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(f.table.find(names[i]) != nullptr, i < 50);
}

TEST(StoreHashTable, ShrinksWhenSparseAndKeepsKeys) {
  TableFixture t;
  for (int i = 0; i < 4096; ++i) t.insert(key_of(i));
  while (t.table.rehash_some(100)) {
  }
  const size_t full_buckets = t.table.bucket_count();
  bool saw_rehash = false;
  for (int i = 0; i < 4000; ++i) {
    ASSERT_TRUE(t.remove(key_of(i)));
    saw_rehash |= t.table.rehashing();
    if (t.table.rehashing()) {
      for (int j = i + 1; j < 4096; ++j) ASSERT_NE(t.table.find(key_of(j)), nullptr);
    }
  }
  while (t.table.rehash_some(100)) {
  }
  EXPECT_TRUE(saw_rehash);
  EXPECT_FALSE(t.table.rehashing());  // a finished shrink does not start a grow right away
  EXPECT_LT(t.table.bucket_count() * 8, full_buckets);
  EXPECT_GE(t.table.bucket_count() * constants::table_load_factor_max, 96u / 8);
  for (int j = 4000; j < 4096; ++j) EXPECT_NE(t.table.find(key_of(j)), nullptr);
  EXPECT_FALSE(t.remove(key_of(0)));
}

TEST(StoreHashTable, RehashMovesFewBucketsPerOperation) {
  TableFixture t;
  for (int i = 0; i < 1023; ++i) t.insert(key_of(i));
  while (t.table.rehash_some(100)) {
  }
  ASSERT_EQ(t.table.bucket_count(), 1024u);
  t.insert(key_of(1023));  // reaches load factor 1: starts a grow to 2048
  ASSERT_TRUE(t.table.rehashing());
  // One lookup moves at most one bucket (after skipping a bounded run of empty ones), so the
  // rehash of 1024 buckets takes hundreds of operations, never one.
  int operations = 0;
  while (t.table.rehashing()) {
    t.table.find("absent");
    ++operations;
  }
  EXPECT_GT(operations, 100);
}

TEST(StoreHashTable, ScanWithoutChangesReturnsEachKeyOnce) {
  TableFixture t;
  for (int i = 0; i < 1000; ++i) t.insert(key_of(i));
  const auto seen = t.scan_all([] {});
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 1000u);
}

TEST(StoreHashTable, RandomEntryReachesEveryKey) {
  TableFixture t;
  for (int i = 0; i < 50; ++i) t.insert(key_of(i));
  Rng rng(7);
  std::set<std::string> seen;
  for (int i = 0; i < 5000; ++i) seen.insert(std::string(t.table.random_entry(rng)->key()));
  EXPECT_EQ(seen.size(), 50u);
}

TEST(StoreHashTable, SampleReturnsDistinctEntriesEvenMidRehash) {
  TableFixture t;
  Rng rng(9);
  for (int i = 0; i < 3000; ++i) {
    t.insert(key_of(i));
    if (i % 97 != 0) continue;
    std::vector<Entry*> out;
    t.table.sample(rng, 5, out);
    ASSERT_LE(out.size(), 5u);
    ASSERT_GE(out.size(), 1u);
    std::set<Entry*> distinct(out.begin(), out.end());
    ASSERT_EQ(distinct.size(), out.size());
    for (Entry* e : out) ASSERT_EQ(t.table.find(e->key()), e);
  }
}

TEST(StoreHashTable, TableBytesFollowBucketCount) {
  TableFixture t;
  const size_t initial = t.table.table_bytes();
  EXPECT_GE(initial, constants::table_initial_buckets * sizeof(void*));
  for (int i = 0; i < 1 << 16; ++i) t.insert(key_of(i));
  while (t.table.rehash_some(1000)) {
  }
  EXPECT_GE(t.table.table_bytes(), t.table.bucket_count() * sizeof(void*));
  EXPECT_LE(t.table.table_bytes(), t.table.bucket_count() * sizeof(void*) + 8192);
}

TEST(StoreHashTable, HashDependsOnSeedAndBytes) {
  EXPECT_NE(hash_bytes("abc", 1), hash_bytes("abc", 2));
  EXPECT_NE(hash_bytes("abc", 1), hash_bytes("abd", 1));
  EXPECT_NE(hash_bytes(std::string(17, 'a'), 1), hash_bytes(std::string(18, 'a'), 1));
  EXPECT_EQ(hash_bytes("same", 5), hash_bytes("same", 5));
}

// The SCAN guarantee: keys present from the first to the last call come back at least once, however
// many keys are added or removed (growing or shrinking the table) between calls.
RC_GTEST_PROP(StoreHashTable, ScanReturnsEveryStableKeyAcrossResizes, ()) {
  const int stable_count = *rc::gen::inRange(0, 300);
  const int churn_per_step = *rc::gen::inRange(0, 64);
  const bool shrink = *rc::gen::arbitrary<bool>();
  const auto seed = *rc::gen::arbitrary<uint64_t>();
  TableFixture t(seed);
  Rng rng(seed);
  std::set<std::string> stable;
  for (int i = 0; i < stable_count; ++i) {
    stable.insert("s" + std::to_string(i));
    t.insert("s" + std::to_string(i));
  }
  // For the shrink case, start with many temporary keys and remove them during the scan.
  std::vector<std::string> temporary;
  if (shrink) {
    for (int i = 0; i < 2000; ++i) {
      temporary.push_back("t" + std::to_string(i));
      t.insert(temporary.back());
    }
  }
  // Growth is capped: a table that grows as fast as the scan advances would never let it end
  // (true of Redis too), and that is not what this property is about.
  int next = 0;
  const auto seen = t.scan_all([&] {
    for (int i = 0; i < churn_per_step && next < 4000; ++i) {
      if (shrink && !temporary.empty()) {
        const size_t pick = rng.below(temporary.size());
        t.remove(temporary[pick]);
        temporary[pick] = temporary.back();
        temporary.pop_back();
      } else if (!shrink) {
        t.insert("n" + std::to_string(next++));
      }
    }
  });
  for (const std::string& key : stable) RC_ASSERT(seen.count(key) >= 1);
}

// Random inserts and removes over enough keys to grow and shrink the table many times, against a
// std::set: membership and size agree after every operation, mid-rehash or not.
RC_GTEST_PROP(StoreHashTable, MatchesASetUnderInsertAndRemove, ()) {
  const auto ops = *rc::gen::container<std::vector<std::pair<bool, int>>>(
      rc::gen::pair(rc::gen::arbitrary<bool>(), rc::gen::inRange(0, 3000)));
  TableFixture t(*rc::gen::arbitrary<uint64_t>());
  std::set<std::string> model;
  int step = 0;
  // Bias towards long runs of inserts then removes so the table really resizes.
  for (int round = 0; round < 3; ++round) {
    for (const auto& [insert, n] : ops) {
      const std::string key = key_of(n);
      const bool want_insert = (round % 2 == 0) ? insert || n % 3 != 0 : insert && n % 3 == 0;
      if (want_insert) {
        if (model.insert(key).second) t.insert(key);
      } else {
        RC_ASSERT(t.remove(key) == (model.erase(key) == 1));
      }
      RC_ASSERT(t.table.size() == model.size());
      RC_ASSERT((t.table.find(key) != nullptr) == (model.count(key) == 1));
      if (++step % 64 == 0) {
        for (const auto& k : model) RC_ASSERT(t.table.find(k) != nullptr);
      }
    }
  }
  size_t visited = 0;
  t.table.for_each([&](Entry& e) {
    ++visited;
    RC_ASSERT(model.count(std::string(e.key())) == 1);
  });
  RC_ASSERT(visited == model.size());
}

}  // namespace
}  // namespace ringcache::store
