// The eviction lab's policies inside the keyspace (through CoreEviction): they evict in their own
// order, learn the existing keys when a running node switches to them, follow keys that move or
// change expiry, and volatile-* variants never touch persistent keys.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/store/keyspace.h"

namespace ringcache::store {
namespace {

std::string key_of(int i) { return "key:" + std::to_string(i); }

struct LabKeyspace {
  explicit LabKeyspace(MaxmemoryPolicy policy) : rng(5), keyspace(rng, {}) {
    EvictionConfig config;
    config.policy = policy;
    keyspace.set_eviction_config(config);
    keyspace.set_now_ms(1'700'000'000'000);
    keyspace.set_removal_listener(
        [this](std::string_view key, RemovalReason) { evicted.insert(std::string(key)); });
  }
  void limit_to_fraction(double fraction) {
    EvictionConfig config = keyspace.eviction_config();
    config.maxmemory_bytes = static_cast<uint64_t>(keyspace.used_memory() * fraction);
    keyspace.set_eviction_config(config);
  }
  Rng rng;
  Keyspace keyspace;
  std::set<std::string> evicted;
};

TEST(StoreCoreEviction, ExactLruEvictsInLeastRecentOrder) {
  LabKeyspace f(MaxmemoryPolicy::allkeys_lru_exact);
  for (int i = 0; i < 100; ++i) f.keyspace.set_string(key_of(i), "value", no_expiry);
  for (int i = 0; i < 10; ++i) f.keyspace.find_read(key_of(i));  // 0..9 are now the newest
  f.limit_to_fraction(0.8);
  ASSERT_TRUE(f.keyspace.make_room(0));
  ASSERT_FALSE(f.evicted.empty());
  // Evicted: a prefix of 10, 11, 12, ... (oldest writes first, never a key just read).
  for (int i = 0; i < static_cast<int>(f.evicted.size()); ++i) {
    EXPECT_EQ(f.evicted.count(key_of(10 + i)), 1u) << i;
  }
}

TEST(StoreCoreEviction, SwitchingPolicyLearnsExistingKeys) {
  LabKeyspace f(MaxmemoryPolicy::allkeys_lru);
  for (int i = 0; i < 200; ++i) f.keyspace.set_string(key_of(i), "value", no_expiry);
  EvictionConfig config = f.keyspace.eviction_config();
  config.policy = MaxmemoryPolicy::allkeys_s3fifo;
  f.keyspace.set_eviction_config(config);
  f.limit_to_fraction(0.5);
  ASSERT_TRUE(f.keyspace.make_room(0));
  EXPECT_LE(f.keyspace.used_memory(), f.keyspace.eviction_config().maxmemory_bytes);
  EXPECT_EQ(f.keyspace.size() + f.evicted.size(), 200u);
}

TEST(StoreCoreEviction, FollowsKeysThatMoveOrGo) {
  LabKeyspace f(MaxmemoryPolicy::allkeys_sieve);
  for (int i = 0; i < 50; ++i) f.keyspace.set_string(key_of(i), "v", no_expiry);
  // Growing values reallocate entries (on_move); deleting and renaming remove and re-add.
  for (int i = 0; i < 50; i += 2) {
    Entry* e = f.keyspace.find_write(key_of(i));
    f.keyspace.update_string(e, std::string(200, 'x'), StringForm::raw);
  }
  for (int i = 1; i < 50; i += 4) f.keyspace.erase(key_of(i));
  f.keyspace.rename(f.keyspace.find_write(key_of(3)), "renamed");
  EvictionConfig config = f.keyspace.eviction_config();
  config.maxmemory_bytes = 1;
  f.keyspace.set_eviction_config(config);
  EXPECT_FALSE(f.keyspace.make_room(0));  // every key could be found and evicted
  EXPECT_EQ(f.keyspace.size(), 0u);
}

TEST(StoreCoreEviction, VolatileVariantsFollowExpiryChanges) {
  LabKeyspace f(MaxmemoryPolicy::volatile_wtinylfu);
  const int64_t later = f.keyspace.now_ms() + 600'000;
  // Large values, so the entries outweigh the table.
  for (int i = 0; i < 100; ++i) f.keyspace.set_string(key_of(i), std::string(1000, 'v'), no_expiry);
  // 0..9 gain an expiry, then 0..4 lose it again.
  for (int i = 0; i < 10; ++i) f.keyspace.set_expire(f.keyspace.find_write(key_of(i)), later);
  for (int i = 0; i < 5; ++i) f.keyspace.set_expire(f.keyspace.find_write(key_of(i)), no_expiry);
  f.limit_to_fraction(0.5);
  EXPECT_FALSE(f.keyspace.make_room(0));  // only 5 candidates: not enough
  EXPECT_EQ(f.evicted, (std::set<std::string>{key_of(5), key_of(6), key_of(7), key_of(8),
                                               key_of(9)}));
}

}  // namespace
}  // namespace ringcache::store
