// The eviction lab's policies inside the keyspace (through CoreEviction): they evict in their own
// order, learn the existing keys when a running node switches to them, follow keys that move or
// change expiry, and volatile-* variants never touch persistent keys.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/store/core_eviction.h"
#include "core/store/keyspace.h"
#include "tests/unit/store_test_peer.h"

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

TEST(StoreCoreEviction, IdleTimeIsKeptAndHandedBackOnSwitch) {
  LabKeyspace f(MaxmemoryPolicy::allkeys_s3fifo);
  const int64_t start = f.keyspace.now_ms();
  f.keyspace.set_string("old", "v", no_expiry);
  f.keyspace.set_string("new", "v", no_expiry);
  f.keyspace.set_now_ms(start + 7'000);
  f.keyspace.find_read("new");
  f.keyspace.set_now_ms(start + 10'000);
  EXPECT_EQ(f.keyspace.idle_seconds(*f.keyspace.peek("old")), 10);
  EXPECT_EQ(f.keyspace.idle_seconds(*f.keyspace.peek("new")), 3);
  // Back to Redis' sampled LRU: the field is the access clock again, with the same idle times.
  EvictionConfig config = f.keyspace.eviction_config();
  config.policy = MaxmemoryPolicy::allkeys_lru;
  f.keyspace.set_eviction_config(config);
  EXPECT_EQ(f.keyspace.idle_seconds(*f.keyspace.peek("old")), 10);
  EXPECT_EQ(f.keyspace.idle_seconds(*f.keyspace.peek("new")), 3);
}

TEST(StoreCoreEviction, VolatileVariantsKeepIdleTimesOfPersistentKeys) {
  LabKeyspace f(MaxmemoryPolicy::volatile_sieve);
  const int64_t start = f.keyspace.now_ms();
  f.keyspace.set_string("persistent", "v", no_expiry);
  f.keyspace.set_string("volatile", "v", start + 600'000);
  f.keyspace.set_now_ms(start + 4'000);
  EXPECT_EQ(f.keyspace.idle_seconds(*f.keyspace.peek("persistent")), 4);
  EXPECT_EQ(f.keyspace.idle_seconds(*f.keyspace.peek("volatile")), 4);
  f.keyspace.find_read("persistent");
  EXPECT_EQ(f.keyspace.idle_seconds(*f.keyspace.peek("persistent")), 0);
}

// The adapter alone, with so few direct slots that most keys spill into the side map: it must
// behave exactly as with all slots in the entries.
struct AdapterRun {
  explicit AdapterRun(uint32_t direct_slots)
      : policy(MaxmemoryPolicy::allkeys_lru_exact, policies::PolicyKind::lru, direct_slots),
        context{table, expires, rng, 0, config} {}
  ~AdapterRun() {
    for (Entry* e : table.take_all()) EntryTestPeer::destroy(e);
  }
  // Inserts, reads, reallocations and deletions; returns the keys in eviction order.
  std::vector<std::string> run() {
    for (int i = 0; i < 40; ++i) {
      Entry* e = EntryTestPeer::make(key_of(i), "v");
      table.insert(e);
      policy.on_insert(*e);
    }
    for (int i = 0; i < 40; i += 3) policy.on_access(*table.find(key_of(i)));
    for (int i = 1; i < 40; i += 5) {  // reallocated, as a grown value is
      Entry* old = table.find(key_of(i));
      Entry* moved = EntryTestPeer::make(key_of(i), "longer value");
      table.replace(old, moved);
      policy.on_move(*old, *moved);
      EntryTestPeer::destroy(old);
    }
    for (int i = 2; i < 40; i += 7) {
      Entry* gone = table.remove(key_of(i));
      policy.on_remove(*gone);
      EntryTestPeer::destroy(gone);
    }
    spilled_before_evicting = policy.spilled();
    std::vector<std::string> order;
    while (Entry* victim = policy.pick_victim(context)) {
      order.emplace_back(victim->key());
      policy.on_remove(*victim);  // as the keyspace does after evicting: must be a no-op
      EntryTestPeer::destroy(table.remove(victim->key()));
    }
    return order;
  }
  CoreEviction policy;
  HashTable table{3};
  ExpireSet expires;
  Rng rng{5};
  EvictionConfig config;
  EvictionContext context;
  size_t spilled_before_evicting = 0;
};

TEST(StoreCoreEviction, SpilledSlotsBehaveAsDirectOnes) {
  AdapterRun direct(constants::eviction_direct_slots_max);
  AdapterRun spilling(4);
  const std::vector<std::string> expected = direct.run();
  EXPECT_EQ(spilling.run(), expected);
  EXPECT_EQ(direct.spilled_before_evicting, 0u);
  EXPECT_GT(spilling.spilled_before_evicting, 20u);
  EXPECT_EQ(spilling.policy.spilled(), 0u);
  EXPECT_EQ(spilling.policy.tracked(), 0u);
  // 40 keys, 6 deleted: the rest come out least recently used first (read keys last).
  ASSERT_EQ(expected.size(), 34u);
  EXPECT_EQ(expected.front(), key_of(1));  // moved, never read, the oldest insert left
  EXPECT_EQ(expected.back(), key_of(39));
}

}  // namespace
}  // namespace ringcache::store
