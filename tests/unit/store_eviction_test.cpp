// Eviction: each maxmemory policy under a memory limit picks sensible victims, refuses when it
// must, and reports evictions; policy names parse as Redis spells them.

#include "tests/unit/store_test_peer.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/store/sampled_eviction.h"

namespace ringcache::store {
namespace {

std::string key_of(int i) { return "key:" + std::to_string(i); }

struct EvictionFixture {
  explicit EvictionFixture(MaxmemoryPolicy policy, uint64_t seed = 1) : rng(seed), keyspace(rng, {}) {
    EvictionConfig config;
    config.policy = policy;
    keyspace.set_eviction_config(config);
    keyspace.set_now_ms(1'700'000'000'000);
    keyspace.set_removal_listener([this](std::string_view key, RemovalReason reason) {
      EXPECT_EQ(reason, RemovalReason::evicted);
      evicted.insert(std::string(key));
    });
  }
  void limit_to_fraction(double fraction) {
    EvictionConfig config = keyspace.eviction_config();
    // At least 1: a limit of 0 means "no limit".
    config.maxmemory_bytes =
        std::max<uint64_t>(1, static_cast<uint64_t>(keyspace.used_memory() * fraction));
    keyspace.set_eviction_config(config);
  }
  void advance_ms(int64_t ms) { keyspace.set_now_ms(keyspace.now_ms() + ms); }
  Rng rng;
  Keyspace keyspace;
  std::set<std::string> evicted;
};

TEST(StoreEviction, PolicyNamesRoundTrip) {
  for (auto policy : {MaxmemoryPolicy::noeviction, MaxmemoryPolicy::allkeys_lru,
                      MaxmemoryPolicy::allkeys_lfu, MaxmemoryPolicy::allkeys_random,
                      MaxmemoryPolicy::volatile_lru, MaxmemoryPolicy::volatile_lfu,
                      MaxmemoryPolicy::volatile_random, MaxmemoryPolicy::volatile_ttl}) {
    EXPECT_EQ(parse_maxmemory_policy(maxmemory_policy_name(policy)), policy);
    EXPECT_EQ(make_eviction_policy(policy)->kind(), policy);
  }
  for (int i = 0; i <= static_cast<int>(MaxmemoryPolicy::volatile_arc); ++i) {
    const auto policy = static_cast<MaxmemoryPolicy>(i);
    EXPECT_EQ(parse_maxmemory_policy(maxmemory_policy_name(policy)), policy);
    EXPECT_EQ(make_eviction_policy(policy)->kind(), policy);
  }
  EXPECT_EQ(parse_maxmemory_policy("allkeys-s3fifo"), MaxmemoryPolicy::allkeys_s3fifo);
  EXPECT_EQ(parse_maxmemory_policy("volatile-sieve"), MaxmemoryPolicy::volatile_sieve);
  EXPECT_TRUE(policy_is_volatile(MaxmemoryPolicy::volatile_arc));
  EXPECT_FALSE(policy_is_volatile(MaxmemoryPolicy::allkeys_wtinylfu));
  EXPECT_STREQ(maxmemory_policy_name(MaxmemoryPolicy::allkeys_lru), "allkeys-lru");
  EXPECT_EQ(parse_maxmemory_policy("ALLKEYS-LFU"), MaxmemoryPolicy::allkeys_lfu);
  EXPECT_EQ(parse_maxmemory_policy("allkeys_lru"), std::nullopt);
  EXPECT_EQ(parse_maxmemory_policy(""), std::nullopt);
}

TEST(StoreEviction, NoLimitMeansNoEviction) {
  EvictionFixture f(MaxmemoryPolicy::allkeys_lru);
  for (int i = 0; i < 100; ++i) f.keyspace.set_string(key_of(i), "v", no_expiry);
  EXPECT_TRUE(f.keyspace.make_room(1 << 30));
  EXPECT_EQ(f.keyspace.size(), 100u);
}

TEST(StoreEviction, NoevictionRefusesOverTheLimit) {
  EvictionFixture f(MaxmemoryPolicy::noeviction);
  for (int i = 0; i < 100; ++i) f.keyspace.set_string(key_of(i), "v", no_expiry);
  f.limit_to_fraction(1.0);
  EXPECT_TRUE(f.keyspace.make_room(0));
  EXPECT_FALSE(f.keyspace.make_room(1));
  f.limit_to_fraction(0.5);
  EXPECT_FALSE(f.keyspace.make_room(0));
  EXPECT_EQ(f.keyspace.size(), 100u);
  EXPECT_EQ(f.keyspace.stats().evicted_keys, 0u);
}

TEST(StoreEviction, AllkeysRandomEvictsUntilUnderTheLimit) {
  EvictionFixture f(MaxmemoryPolicy::allkeys_random);
  for (int i = 0; i < 1000; ++i) f.keyspace.set_string(key_of(i), std::string(40, 'v'), no_expiry);
  f.limit_to_fraction(0.5);
  EXPECT_TRUE(f.keyspace.make_room(0));
  EXPECT_LE(f.keyspace.used_memory(), f.keyspace.eviction_config().maxmemory_bytes);
  EXPECT_GT(f.keyspace.size(), 300u);
  EXPECT_EQ(f.keyspace.stats().evicted_keys, f.evicted.size());
  EXPECT_EQ(f.keyspace.size() + f.evicted.size(), 1000u);
  for (const auto& key : f.evicted) EXPECT_EQ(f.keyspace.peek(key), nullptr);
}

TEST(StoreEviction, EvictsEverythingIfItMustThenFails) {
  EvictionFixture f(MaxmemoryPolicy::allkeys_lru);
  for (int i = 0; i < 50; ++i) f.keyspace.set_string(key_of(i), "v", no_expiry);
  EvictionConfig config = f.keyspace.eviction_config();
  config.maxmemory_bytes = 1;  // below even the empty table
  f.keyspace.set_eviction_config(config);
  EXPECT_FALSE(f.keyspace.make_room(0));
  EXPECT_EQ(f.keyspace.size(), 0u);
  EXPECT_EQ(f.keyspace.stats().evicted_keys, 50u);
}

TEST(StoreEviction, EvictionPerCallIsBoundedAndResumes) {
  EvictionFixture f(MaxmemoryPolicy::allkeys_random);
  for (int i = 0; i < 5000; ++i) f.keyspace.set_string(key_of(i), "value", no_expiry);
  f.limit_to_fraction(0.1);
  EXPECT_TRUE(f.keyspace.make_room(0));  // still over, but eviction is progressing
  EXPECT_EQ(f.keyspace.stats().evicted_keys,
            static_cast<uint64_t>(constants::evictions_per_command_max));
  int calls = 1;
  while (f.keyspace.used_memory() > f.keyspace.eviction_config().maxmemory_bytes) {
    ASSERT_TRUE(f.keyspace.make_room(0));
    ASSERT_LT(++calls, 10);
  }
  EXPECT_GT(f.keyspace.size(), 0u);
}

// Approximated LRU: over many seeds, keys read recently survive far more often than keys left
// alone, though sampling makes it imperfect (as in Redis).
TEST(StoreEviction, AllkeysLruKeepsRecentlyTouchedKeys) {
  int touched_survivors = 0;
  int untouched_survivors = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    EvictionFixture f(MaxmemoryPolicy::allkeys_lru, seed);
    for (int i = 0; i < 1000; ++i) f.keyspace.set_string(key_of(i), "value", no_expiry);
    f.advance_ms(100'000);
    for (int i = 0; i < 1000; i += 2) ASSERT_NE(f.keyspace.find_read(key_of(i)), nullptr);
    f.advance_ms(10'000);
    f.limit_to_fraction(0.6);
    ASSERT_TRUE(f.keyspace.make_room(0));
    for (int i = 0; i < 1000; ++i) {
      if (f.keyspace.peek(key_of(i)) == nullptr) continue;
      ++(i % 2 == 0 ? touched_survivors : untouched_survivors);
    }
  }
  EXPECT_GT(touched_survivors, 5 * untouched_survivors);
  EXPECT_GT(touched_survivors, 4000);
}

TEST(StoreEviction, AllkeysLfuKeepsFrequentlyReadKeys) {
  int hot_survivors = 0;
  int cold_survivors = 0;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    EvictionFixture f(MaxmemoryPolicy::allkeys_lfu, seed);
    for (int i = 0; i < 1000; ++i) f.keyspace.set_string(key_of(i), "value", no_expiry);
    for (int round = 0; round < 50; ++round) {
      for (int i = 0; i < 200; ++i) ASSERT_NE(f.keyspace.find_read(key_of(i)), nullptr);
    }
    f.limit_to_fraction(0.5);
    ASSERT_TRUE(f.keyspace.make_room(0));
    for (int i = 0; i < 1000; ++i) {
      if (f.keyspace.peek(key_of(i)) == nullptr) continue;
      ++(i < 200 ? hot_survivors : cold_survivors);
    }
  }
  // Hot keys are a fifth of the keys but should nearly all survive.
  EXPECT_GT(hot_survivors, 5 * 200 * 9 / 10);
  EXPECT_LT(cold_survivors, 5 * 800 * 6 / 10);
}

TEST(StoreEviction, VolatileTtlEvictsTheSoonestExpiring) {
  EvictionFixture f(MaxmemoryPolicy::volatile_ttl);
  const int64_t now = f.keyspace.now_ms();
  for (int i = 0; i < 500; ++i) f.keyspace.set_string(key_of(i), "value", now + 1000 * (i + 1));
  for (int i = 500; i < 1000; ++i) f.keyspace.set_string(key_of(i), "value", no_expiry);
  f.limit_to_fraction(0.9);
  ASSERT_TRUE(f.keyspace.make_room(0));
  ASSERT_FALSE(f.evicted.empty());
  double rank_sum = 0;
  for (const auto& key : f.evicted) {
    const int i = std::stoi(key.substr(4));
    EXPECT_LT(i, 500) << "persistent key evicted";
    rank_sum += i;
  }
  // Random choice would average rank 250; sampling with a pool stays near the front.
  EXPECT_LT(rank_sum / f.evicted.size(), 100.0);
  EXPECT_EQ(f.keyspace.peek(key_of(0)), nullptr);
}

class VolatilePolicies : public ::testing::TestWithParam<MaxmemoryPolicy> {};

TEST_P(VolatilePolicies, NeverEvictPersistentKeysAndFailWhenOnlyTheyRemain) {
  EvictionFixture f(GetParam());
  const int64_t now = f.keyspace.now_ms();
  for (int i = 0; i < 1000; ++i) {
    f.keyspace.set_string(key_of(i), "value", i % 4 == 0 ? now + 100'000 : no_expiry);
  }
  f.limit_to_fraction(0.9);
  EXPECT_TRUE(f.keyspace.make_room(0));
  for (const auto& key : f.evicted) EXPECT_EQ(std::stoi(key.substr(4)) % 4, 0) << key;
  f.limit_to_fraction(0.5);
  EXPECT_FALSE(f.keyspace.make_room(0));
  EXPECT_EQ(f.keyspace.expires_count(), 0u);
  EXPECT_EQ(f.keyspace.size(), 750u);
  EXPECT_EQ(f.evicted.size(), 250u);
}

INSTANTIATE_TEST_SUITE_P(StoreEviction, VolatilePolicies,
                         ::testing::Values(MaxmemoryPolicy::volatile_lru,
                                           MaxmemoryPolicy::volatile_lfu,
                                           MaxmemoryPolicy::volatile_random,
                                           MaxmemoryPolicy::volatile_ttl));

TEST(StoreEviction, PoolSkipsKeysDeletedSinceSampling) {
  EvictionFixture f(MaxmemoryPolicy::allkeys_lru);
  for (int i = 0; i < 100; ++i) f.keyspace.set_string(key_of(i), "value", no_expiry);
  SampledEviction policy(MaxmemoryPolicy::allkeys_lru);
  HashTable table(3);
  ExpireSet expires;
  Rng rng(5);
  EvictionConfig config;
  std::vector<Entry*> owned;
  for (int i = 0; i < 40; ++i) {
    owned.push_back(EntryTestPeer::make(key_of(i), "v"));
    table.insert(owned.back());
  }
  EvictionContext context{table, expires, rng, 0, config};
  Entry* first = policy.pick_victim(context);
  ASSERT_NE(first, nullptr);
  EXPECT_FALSE(policy.pool_keys().empty());
  EXPECT_LE(policy.pool_keys().size(), static_cast<size_t>(constants::eviction_pool_size));
  // Delete every pooled key: the next pick must not return any of them.
  for (const auto& key : policy.pool_keys()) EntryTestPeer::destroy(table.remove(key));
  EntryTestPeer::destroy(table.remove(first->key()));
  Entry* second = policy.pick_victim(context);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(table.find(second->key()), second);
  for (Entry* e : table.take_all()) EntryTestPeer::destroy(e);
}

TEST(StoreEviction, LfuFrequencyGrowsLogarithmicallyAndDecays) {
  EvictionFixture f(MaxmemoryPolicy::allkeys_lfu);
  Keyspace& ks = f.keyspace;
  ks.set_string("k", "v", no_expiry);
  EXPECT_EQ(ks.lfu_frequency(*ks.peek("k")), constants::lfu_init_val);
  for (int i = 0; i < 1000; ++i) ks.find_read("k");
  const int freq = ks.lfu_frequency(*ks.peek("k"));
  // Redis' table for lfu-log-factor 10: about 18 after 1k hits.
  EXPECT_GE(freq, 13);
  EXPECT_LE(freq, 23);
  f.advance_ms(3 * 60'000);  // lfu-decay-time 1: one step per minute
  EXPECT_EQ(ks.lfu_frequency(*ks.peek("k")), freq - 3);
  f.advance_ms(300 * 60'000);
  EXPECT_EQ(ks.lfu_frequency(*ks.peek("k")), 0);
}

TEST(StoreEviction, IdleSecondsFollowTheLruClock) {
  EvictionFixture f(MaxmemoryPolicy::noeviction);
  Keyspace& ks = f.keyspace;
  ks.set_string("k", "v", no_expiry);
  f.advance_ms(42'500);
  EXPECT_EQ(ks.idle_seconds(*ks.peek("k")), 42);  // peek does not touch
  ks.find_read("k");
  EXPECT_EQ(ks.idle_seconds(*ks.peek("k")), 0);
}

// Under any policy and any mix of persistent and volatile keys, make_room either gets under the
// limit, or stopped at the per-call bound, or (and only then) reports failure; volatile policies
// never evict a persistent key and noeviction evicts nothing.
RC_GTEST_PROP(StoreEviction, MakeRoomKeepsItsPromises, ()) {
  const auto policy = static_cast<MaxmemoryPolicy>(
      *rc::gen::inRange(0, static_cast<int>(MaxmemoryPolicy::volatile_arc) + 1));
  const int keys = *rc::gen::inRange(1, 600);
  const int volatile_percent = *rc::gen::inRange(0, 101);
  const double fraction = *rc::gen::inRange(0, 101) / 100.0;
  const uint64_t seed = *rc::gen::arbitrary<uint64_t>();
  EvictionFixture f(policy, seed);
  Keyspace& ks = f.keyspace;
  for (int i = 0; i < keys; ++i) {
    const bool is_volatile = static_cast<int>(f.rng.below(100)) < volatile_percent;
    ks.set_string(key_of(i), std::string(f.rng.below(64), 'v'),
                  is_volatile ? ks.now_ms() + 1000 + static_cast<int64_t>(f.rng.below(100000))
                              : no_expiry);
  }
  std::set<std::string> persistent;
  ks.for_each([&](const Entry& e) {
    if (!e.has_expiry()) persistent.insert(std::string(e.key()));
  });
  f.limit_to_fraction(fraction);
  const bool ok = ks.make_room(0);
  const bool under = ks.used_memory() <= ks.eviction_config().maxmemory_bytes;
  const bool bounded = ks.stats().evicted_keys ==
                       static_cast<uint64_t>(constants::evictions_per_command_max);
  if (ok) RC_ASSERT(under || bounded);
  if (!ok) {
    RC_ASSERT(!under);
    if (policy_is_volatile(policy)) RC_ASSERT(ks.expires_count() == 0u);
    if (!policy_is_volatile(policy) && policy != MaxmemoryPolicy::noeviction) RC_ASSERT(ks.size() == 0u);
  }
  if (policy == MaxmemoryPolicy::noeviction) RC_ASSERT(ks.stats().evicted_keys == 0u);
  if (policy_is_volatile(policy)) {
    for (const auto& key : f.evicted) RC_ASSERT(persistent.count(key) == 0u);
  }
  RC_ASSERT(f.evicted.size() == ks.stats().evicted_keys);
}

}  // namespace
}  // namespace ringcache::store
