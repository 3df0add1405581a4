// The eviction lab's policy cores on hand-worked request sequences, and properties that hold for
// every policy on random ones: the cache never holds more than its capacity, a hit is only ever
// for a resident key, an evicted key was resident, and exact LRU agrees with a naive model.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <list>
#include <string>
#include <vector>

#include "core/store/policies/arc.h"
#include "core/store/policies/list_policies.h"
#include "core/store/policies/policy_core.h"
#include "core/store/policies/redis_sampled.h"
#include "core/store/policies/s3fifo.h"
#include "lab/replay.h"

namespace ringcache::store::policies {
namespace {

// Replay options for an object-count cache.
lab::ReplayOptions objects(uint64_t capacity, uint64_t seed = 1) {
  lab::ReplayOptions options;
  options.capacity = capacity;
  options.ignore_size = true;
  options.seed = seed;
  return options;
}

// Replays one letter per request (keys 'A'..'Z', size 1) and spells hits 'h' and misses 'm'.
std::string hits(PolicyKind kind, const lab::ReplayOptions& options, std::string_view keys) {
  lab::TraceBuilder builder;
  for (char c : keys) builder.add(static_cast<uint64_t>(c), 1);
  const lab::Trace t = builder.finish();
  std::string out;
  // One request at a time through the same loop the replayer runs: prefix lengths 1..n.
  uint64_t misses_before = 0;
  for (size_t n = 1; n <= t.requests.size(); ++n) {
    lab::Trace prefix = t;
    prefix.requests.resize(n);
    const uint64_t misses = lab::replay(kind, prefix, options).misses;
    out += misses > misses_before ? 'm' : 'h';
    misses_before = misses;
  }
  return out;
}

std::string hits(PolicyKind kind, uint64_t capacity, std::string_view keys) {
  return hits(kind, objects(capacity), keys);
}

// Redis' sampled policies with every resident sampled on each eviction (64 samples of at most a
// handful of keys) and one request per second, so each request gets its own LRU clock tick:
// what is left of the approximation is the policy itself. `log_factor` 0 makes every access add
// one to the LFU counter; `decay_minutes` 0 turns decay off.
SampledParams exhaustive(int log_factor = 0, int decay_minutes = 0) {
  SampledParams p;
  p.samples = constants::maxmemory_samples_max;
  p.requests_per_second = 1;
  p.lfu_log_factor = log_factor;
  p.lfu_decay_minutes = decay_minutes;
  return p;
}

TEST(EvictionPolicies, RedisLruSamplingEveryKeyIsExactLru) {
  lab::ReplayOptions options = objects(3);
  options.sampled = exhaustive();
  // As exact LRU below: D evicts B (A was read), B evicts C, C evicts A.
  EXPECT_EQ(hits(PolicyKind::redis_lru, options, "ABCADBC"), "mmmhmmm");
  EXPECT_EQ(hits(PolicyKind::redis_lru, options, "ABCADABA"),
            hits(PolicyKind::lru, 3, "ABCADABA"));
}

TEST(EvictionPolicies, RedisLfuEvictsTheLeastFrequent) {
  lab::ReplayOptions options = objects(2);
  options.sampled = exhaustive();
  // A is read three times (counter 5 -> 8), B once (5): C evicts B, not the older A; then B
  // evicts C (5 < 8). LRU would have kept B.
  EXPECT_EQ(hits(PolicyKind::redis_lfu, options, "AAABCB"), "mhhmmm");
  EXPECT_EQ(hits(PolicyKind::lru, 2, "AAABCB"), "mhhmmh");
}

TEST(EvictionPolicies, RedisLfuCountersDecayWithTime) {
  // A reaches 8, then six minutes pass (requests for keys not cached move the replay's clock):
  // with a decay of one per minute A is down to 2 and loses to a new key (5); without decay
  // it keeps its 8 and the new key goes.
  for (const int decay : {1, 0}) {
    RedisSampledPolicy core(2, true, exhaustive(0, decay), 1);
    core.reserve(2);
    core.miss({});
    ASSERT_TRUE(core.insert(0, {}));
    for (int i = 0; i < 3; ++i) core.access(0, {});
    for (int i = 0; i < 6 * 60; ++i) core.miss({});
    ASSERT_TRUE(core.insert(1, {}));
    EXPECT_EQ(core.evict(), decay == 1 ? 0u : 1u) << "decay " << decay;
  }
}

TEST(EvictionPolicies, LruEvictsTheLeastRecentlyUsed) {
  // A is read again, so the fourth key pushes out B, then C, then A.
  EXPECT_EQ(hits(PolicyKind::lru, 3, "ABCADBC"), "mmmhmmm");
}

TEST(EvictionPolicies, FifoIgnoresHits) {
  // A goes first although it was just read; B and C are still there.
  EXPECT_EQ(hits(PolicyKind::fifo, 3, "ABCADBC"), "mmmhmhh");
}

TEST(EvictionPolicies, ClockGivesReadKeysASecondChance) {
  // D: A's bit saves it, B goes. B: C (never read) goes; A survives.
  EXPECT_EQ(hits(PolicyKind::clock, 3, "ABCADABA"), "mmmhmhmh");
  EXPECT_EQ(hits(PolicyKind::fifo, 3, "ABCADABA"), "mmmhmmmh");
}

TEST(EvictionPolicies, SieveHandStaysWhereItEvicted) {
  // D: the hand clears A and evicts B; B then evicts C (the hand moved on), E evicts D; A, read
  // once long ago, is still cached.
  EXPECT_EQ(hits(PolicyKind::sieve, 3, "ABCADBEA"), "mmmhmmmh");
  EXPECT_EQ(hits(PolicyKind::lru, 3, "ABCADBEA"), "mmmhmmmm");
}

TEST(EvictionPolicies, S3FifoKeepsMainAgainstOneHitWonders) {
  // Capacity 20: small 2, main 18. A..T fill small and are read twice, so the first one-hit
  // wonder moves them all to main, which then sheds its two oldest (A, B); the other wonders
  // a..j only pass through small.
  const std::string hot = "ABCDEFGHIJKLMNOPQRST";
  const std::string keys = hot + hot + hot + "abcdefghij" + hot.substr(2);
  EXPECT_EQ(hits(PolicyKind::s3fifo, 20, keys),
            std::string(20, 'm') + std::string(40, 'h') + std::string(10, 'm') +
                std::string(18, 'h'));
  // FIFO loses A..J to the wonders, and each later miss pushes out the next hot key.
  EXPECT_EQ(hits(PolicyKind::fifo, 20, keys),
            std::string(20, 'm') + std::string(40, 'h') + std::string(28, 'm'));
}

TEST(EvictionPolicies, S3FifoRefusesKeysAsLargeAsTheSmallQueue) {
  // Capacity 10 makes the small queue 1: a key of size 1 would flush it whole (libCacheSim's rule).
  EXPECT_EQ(hits(PolicyKind::s3fifo, 10, "AA"), "mm");
}

TEST(EvictionPolicies, S3FifoGhostHitGoesToMain) {
  S3FifoPolicy p(20);
  p.reserve(32);
  const auto key = [](Handle h) { return KeyInfo{h, 1, -1}; };
  // Fill: before the first eviction every new key goes to small, whatever its share.
  for (Handle h = 0; h < 20; ++h) {
    p.miss(key(h));
    ASSERT_TRUE(p.insert(h, key(h)));
  }
  EXPECT_TRUE(p.in_small(0));
  EXPECT_TRUE(p.in_small(19));
  // 20 arrives: small's tail 0 (never read) is evicted into the ghost; 20 enters small.
  p.miss(key(20));
  EXPECT_EQ(p.evict(), 0u);
  ASSERT_TRUE(p.insert(20, key(20)));
  EXPECT_TRUE(p.in_small(20));
  // 0 comes back: a ghost hit, so it enters main (1, small's next tail, makes room).
  p.miss(key(0));
  EXPECT_EQ(p.evict(), 1u);
  ASSERT_TRUE(p.insert(0, key(0)));
  EXPECT_FALSE(p.in_small(0));
}

TEST(EvictionPolicies, ArcKeepsFrequentKeysThroughAScan) {
  // A and B are read twice (T2); the scan C..H only churns T1 and B1.
  EXPECT_EQ(hits(PolicyKind::arc, 4, "ABABCDEFGHAB"), "mmhhmmmmmmhh");
  EXPECT_EQ(hits(PolicyKind::lru, 4, "ABABCDEFGHAB"), "mmhhmmmmmmmm");
}

TEST(EvictionPolicies, ArcGhostHitGrowsT1Target) {
  ArcPolicy p(2);
  p.reserve(8);
  const auto key = [](Handle h) { return KeyInfo{h, 1, -1}; };
  p.miss(key(0));
  p.insert(0, key(0));
  p.access(0, key(0));  // 0 in T2
  p.miss(key(1));
  p.insert(1, key(1));  // 1 in T1
  p.miss(key(2));
  EXPECT_EQ(p.evict(), 1u);  // T1 (1 key) is over its target 0: its LRU key goes to B1
  p.insert(2, key(2));
  EXPECT_EQ(p.target_t1(), 0u);
  p.miss(key(1));  // a B1 hit: p grows by max(|B2| / |B1|, 1) = 1
  EXPECT_EQ(p.target_t1(), 1u);
  EXPECT_EQ(p.evict(), 0u);  // T1 is at its target now, so T2's LRU key goes
  p.insert(1, key(1));
  EXPECT_TRUE(p.in_t2(1));  // a ghost hit comes back into T2
}

TEST(EvictionPolicies, BeladyEvictsTheFurthestNextUse) {
  // At C, A is needed next (index 3) and B after it (4): B goes.
  EXPECT_EQ(hits(PolicyKind::belady, 2, "ABCAB"), "mmmhm");
  EXPECT_EQ(hits(PolicyKind::lru, 2, "ABCAB"), "mmmmm");
}

TEST(EvictionPolicies, TinyLfuAdmitsOnlyMorePopularKeys) {
  // 50 hot keys read 5 times each, then 500 keys seen once, then the hot keys again: the sketch
  // keeps the scan out of the main cache.
  lab::TraceBuilder builder;
  for (int round = 0; round < 5; ++round) {
    for (uint64_t k = 0; k < 50; ++k) builder.add(k, 1);
  }
  for (uint64_t k = 1000; k < 1500; ++k) builder.add(k, 1);
  for (uint64_t k = 0; k < 50; ++k) builder.add(k, 1);
  const lab::Trace t = builder.finish();
  for (PolicyKind kind : {PolicyKind::wtinylfu, PolicyKind::wtinylfu_adaptive}) {
    const auto result = lab::replay(kind, t, objects(100));
    // 50 cold misses in round 1, the 500 scan keys, and at most a few hot keys lost.
    EXPECT_LE(result.misses, 550u + 5u) << policy_kind_name(kind);
  }
  EXPECT_EQ(lab::replay(PolicyKind::lru, t, objects(100)).misses,
            600u);
}

TEST(EvictionPolicies, RandomIsDeterministicPerSeed) {
  lab::TraceBuilder builder;
  for (uint64_t i = 0; i < 2000; ++i) builder.add((i * 7919) % 300, 1);
  const lab::Trace t = builder.finish();
  const auto a = lab::replay(PolicyKind::random, t, objects(50, 3));
  const auto b = lab::replay(PolicyKind::random, t, objects(50, 3));
  EXPECT_EQ(a.misses, b.misses);
  EXPECT_GT(a.misses, 300u);  // at least the cold misses
}

TEST(EvictionPolicies, NamesRoundTrip) {
  for (PolicyKind kind : all_policy_kinds) {
    EXPECT_EQ(parse_policy_kind(policy_kind_name(kind)), kind);
    EXPECT_EQ(make_policy_core(kind, {.capacity = 4, .sampled = {}})->kind(), kind);
    EXPECT_GT(policy_state_bytes_per_key(kind), 0u);
  }
  EXPECT_EQ(parse_policy_kind("LRU"), std::nullopt);
}

// One operation of a random workload on a core: a request for a key (with a size), or a delete.
struct Op {
  uint32_t key;
  uint32_t size;
  bool del;
};

// Drives `core` with the replayer's protocol and checks every step; returns the hit/miss string.
std::string drive(PolicyCore& core, uint64_t capacity, const std::vector<Op>& ops) {
  core.reserve(64);
  std::vector<uint32_t> charged(64, 0);
  std::vector<bool> resident(64, false);
  uint64_t occupied = 0;
  std::string out;
  for (size_t i = 0; i < ops.size(); ++i) {
    const Op& op = ops[i];
    // Next access for Belady: the index of the key's next request.
    int64_t next = -1;
    for (size_t j = i + 1; j < ops.size(); ++j) {
      if (ops[j].key == op.key) {
        next = ops[j].del ? -1 : static_cast<int64_t>(j);
        break;
      }
    }
    const KeyInfo key{op.key, op.size, next};
    if (op.del) {
      if (resident[op.key]) {
        core.remove(op.key);
        resident[op.key] = false;
        occupied -= charged[op.key];
      }
      continue;
    }
    if (resident[op.key]) {
      core.access(op.key, key);
      out += 'h';
      continue;
    }
    out += 'm';
    if (op.size > capacity) continue;
    core.miss(key);
    while (occupied + op.size > capacity) {
      const Handle victim = core.evict();
      RC_ASSERT(victim != no_handle);  // something is resident while over capacity
      RC_ASSERT(victim < 64u);
      RC_ASSERT(resident[victim]);     // only resident keys are evicted
      resident[victim] = false;
      occupied -= charged[victim];
    }
    if (core.insert(op.key, key)) {
      resident[op.key] = true;
      charged[op.key] = op.size;
      occupied += op.size;
    }
    RC_ASSERT(occupied <= capacity);
  }
  // Everything left can be evicted, each key once.
  size_t left = std::count(resident.begin(), resident.end(), true);
  for (Handle v; (v = core.evict()) != no_handle; --left) {
    RC_ASSERT(resident[v]);
    resident[v] = false;
  }
  RC_ASSERT(left == 0u);
  return out;
}

rc::Gen<std::vector<Op>> gen_ops(bool sized) {
  return rc::gen::container<std::vector<Op>>(rc::gen::build<Op>(
      rc::gen::set(&Op::key, rc::gen::inRange<uint32_t>(0, 40)),
      rc::gen::set(&Op::size, sized ? rc::gen::inRange<uint32_t>(1, 9) : rc::gen::just<uint32_t>(1)),
      rc::gen::set(&Op::del, rc::gen::map(rc::gen::inRange(0, 20), [](int x) { return x == 0; }))));
}

RC_GTEST_PROP(EvictionPolicies, CapacityHeldAndOnlyResidentsHitOrGo, ()) {
  const PolicyKind kind = *rc::gen::elementOf(std::vector<PolicyKind>(
      std::begin(all_policy_kinds), std::end(all_policy_kinds)));
  const bool sized = *rc::gen::arbitrary<bool>();
  const uint64_t capacity = *rc::gen::inRange<uint64_t>(1, 30);
  const auto ops = *gen_ops(sized);
  auto core = make_policy_core(kind, {.capacity = capacity, .seed = 7, .sampled = {}});
  drive(*core, capacity, ops);
}

// The obvious LRU: a list of keys, most recent first, searched linearly.
std::string naive_lru(uint64_t capacity, const std::vector<Op>& ops) {
  std::list<uint32_t> order;
  std::string out;
  for (const Op& op : ops) {
    const auto at = std::find(order.begin(), order.end(), op.key);
    if (op.del) {
      if (at != order.end()) order.erase(at);
      continue;
    }
    out += at != order.end() ? 'h' : 'm';
    if (at != order.end()) order.erase(at);
    order.push_front(op.key);
    if (order.size() > capacity) order.pop_back();
  }
  return out;
}

RC_GTEST_PROP(EvictionPolicies, ExactLruMatchesNaiveModel, ()) {
  const uint64_t capacity = *rc::gen::inRange<uint64_t>(1, 30);
  const auto ops = *gen_ops(false);
  LruPolicy lru(capacity);
  RC_ASSERT(drive(lru, capacity, ops) == naive_lru(capacity, ops));
}

// With 64 samples per eviction from at most 3 keys (missing one: probability ~1e-11) and a clock
// tick per request, Redis' sampled LRU is exact LRU.
RC_GTEST_PROP(EvictionPolicies, RedisLruSamplingEveryKeyMatchesNaiveModel, ()) {
  const uint64_t capacity = *rc::gen::inRange<uint64_t>(1, 4);
  const auto ops = *gen_ops(false);
  RedisSampledPolicy redis_lru(capacity, false, exhaustive(), 7);
  RC_ASSERT(drive(redis_lru, capacity, ops) == naive_lru(capacity, ops));
}

}  // namespace
}  // namespace ringcache::store::policies
