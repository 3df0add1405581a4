// Keyspace: against a std::map model under random operations and time, lazy and active expiry,
// overwrite/rename/update semantics, encodings and memory accounting.

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

struct KeyspaceFixture {
  explicit KeyspaceFixture(uint64_t seed = 1, EvictionConfig config = {})
      : rng(seed), keyspace(rng, config) {
    keyspace.set_now_ms(1'700'000'000'000);
    keyspace.set_removal_listener([this](std::string_view key, RemovalReason reason) {
      removed.emplace_back(std::string(key), reason);
    });
  }
  std::set<std::string> live_keys() {
    std::set<std::string> keys;
    keyspace.for_each([&](const Entry& e) { keys.insert(std::string(e.key())); });
    return keys;
  }
  Rng rng;
  Keyspace keyspace;
  std::vector<std::pair<std::string, RemovalReason>> removed;
};

TEST(StoreKeyspace, SetFindErase) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  EXPECT_EQ(ks.find_read("a"), nullptr);
  Entry* e = ks.set_string("a", "1", no_expiry);
  EXPECT_EQ(e->key(), "a");
  EXPECT_EQ(e->string_value(), "1");
  EXPECT_EQ(e->type(), ValueType::string);
  EXPECT_STREQ(type_name(e->type()), "string");
  EXPECT_FALSE(e->has_expiry());
  EXPECT_EQ(ks.find_read("a"), e);
  EXPECT_EQ(ks.stats().keyspace_hits, 1u);
  EXPECT_EQ(ks.stats().keyspace_misses, 1u);
  EXPECT_EQ(ks.size(), 1u);
  EXPECT_TRUE(ks.erase("a"));
  EXPECT_FALSE(ks.erase("a"));
  EXPECT_EQ(ks.size(), 0u);
  EXPECT_TRUE(f.removed.empty());  // DEL is not an expiry or eviction
}

TEST(StoreKeyspace, EmptyAndBinaryKeysAndValues) {
  KeyspaceFixture f;
  const std::string binary("a\0b\r\n", 5);
  f.keyspace.set_string("", "", no_expiry);
  f.keyspace.set_string(binary, binary, no_expiry);
  EXPECT_EQ(f.keyspace.peek("")->string_value(), "");
  EXPECT_EQ(f.keyspace.peek(binary)->string_value(), binary);
  EXPECT_EQ(f.keyspace.peek("a"), nullptr);
}

TEST(StoreKeyspace, LargeKeysAndValuesUseTheWideLayout) {
  KeyspaceFixture f;
  const std::string big_key(70'000, 'k');
  const std::string big_value(200'000, 'v');
  Entry* e = f.keyspace.set_string(big_key, "small", no_expiry);
  EXPECT_EQ(e->key(), big_key);
  EXPECT_EQ(e->string_value(), "small");
  e = f.keyspace.set_string("k", big_value, no_expiry);
  EXPECT_EQ(e->string_value(), big_value);
  e = f.keyspace.update_string(e, "tiny");
  EXPECT_EQ(e->string_value(), "tiny");
  EXPECT_EQ(f.keyspace.peek(big_key)->string_value(), "small");
}

TEST(StoreKeyspace, LazyExpiryOnAccess) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  const int64_t now = ks.now_ms();
  ks.set_string("a", "1", now + 100);
  ks.set_string("b", "2", now + 100);
  ks.set_string("c", "3", no_expiry);
  EXPECT_EQ(ks.expires_count(), 2u);
  EXPECT_EQ(ks.peek("a")->expire_at_ms(), now + 100);
  ks.set_now_ms(now + 100);  // a key lives through its expiry millisecond, as in Redis
  EXPECT_NE(ks.find_read("a"), nullptr);
  ks.set_now_ms(now + 101);
  EXPECT_EQ(ks.find_read("a"), nullptr);
  EXPECT_EQ(ks.stats().expired_keys, 1u);
  EXPECT_EQ(ks.stats().keyspace_misses, 1u);
  ASSERT_EQ(f.removed.size(), 1u);
  EXPECT_EQ(f.removed[0].first, "a");
  EXPECT_EQ(f.removed[0].second, RemovalReason::expired);
  EXPECT_FALSE(ks.erase("b"));  // expired: does not count as deleted
  EXPECT_EQ(ks.stats().expired_keys, 2u);
  EXPECT_EQ(ks.size(), 1u);
  EXPECT_EQ(ks.expires_count(), 0u);
  EXPECT_EQ(f.live_keys(), std::set<std::string>{"c"});
}

TEST(StoreKeyspace, ScanAndRandomSkipExpiredKeys) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  const int64_t now = ks.now_ms();
  for (int i = 0; i < 200; ++i) ks.set_string(key_of(i), "v", i % 2 ? now + 10 : no_expiry);
  ks.set_now_ms(now + 11);
  std::set<std::string> seen;
  uint64_t cursor = 0;
  do {
    cursor = ks.scan(cursor, 10, [&](const Entry& e) { seen.insert(std::string(e.key())); });
  } while (cursor != 0);
  EXPECT_EQ(seen.size(), 100u);
  for (const auto& key : seen) EXPECT_EQ(std::stoi(key.substr(4)) % 2, 0);
  for (int i = 0; i < 100; ++i) {
    const Entry* e = ks.random_entry();
    ASSERT_NE(e, nullptr);
    EXPECT_FALSE(e->has_expiry());
  }
  EXPECT_EQ(ks.size(), 100u);
  EXPECT_EQ(ks.stats().expired_keys, 100u);
}

TEST(StoreKeyspace, RandomEntryOfEmptyKeyspaceIsNull) {
  KeyspaceFixture f;
  EXPECT_EQ(f.keyspace.random_entry(), nullptr);
  f.keyspace.set_string("a", "1", f.keyspace.now_ms() + 1);
  f.keyspace.set_now_ms(f.keyspace.now_ms() + 2);
  EXPECT_EQ(f.keyspace.random_entry(), nullptr);
}

TEST(StoreKeyspace, ActiveExpiryRemovesStaleKeysAndLeavesTheRest) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  const int64_t now = ks.now_ms();
  for (int i = 0; i < 3000; ++i) ks.set_string(key_of(i), "v", now + 1000 + (i % 3) * 1000);
  for (int i = 3000; i < 4000; ++i) ks.set_string(key_of(i), "v", no_expiry);
  ks.set_now_ms(now + 2001);  // i % 3 in {0, 1} are stale: 2000 keys, two thirds of volatile
  ks.active_expire_cycle([] { return false; });
  // The cycle stops once a sample is at most 10% stale; with 2/3 stale it keeps going until the
  // stale keys are nearly all gone.
  EXPECT_GE(ks.stats().expired_keys, 1900u);
  EXPECT_EQ(ks.size(), 4000u - ks.stats().expired_keys);
  EXPECT_EQ(f.removed.size(), ks.stats().expired_keys);
  EXPECT_GT(ks.stats().expired_stale_perc_x100, 0u);
  for (int i = 3000; i < 4000; ++i) ASSERT_NE(ks.peek(key_of(i)), nullptr);
  for (int i = 2; i < 3000; i += 3) ASSERT_NE(ks.peek(key_of(i)), nullptr);
  // More cycles finish the job.
  for (int i = 0; i < 200; ++i) ks.active_expire_cycle([] { return false; });
  EXPECT_EQ(ks.stats().expired_keys, 2000u);
  EXPECT_EQ(ks.expires_count(), 1000u);
}

TEST(StoreKeyspace, ActiveExpiryStopsWhenOutOfTime) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  for (int i = 0; i < 1000; ++i) ks.set_string(key_of(i), "v", ks.now_ms() + 1);
  ks.set_now_ms(ks.now_ms() + 5);
  int polls = 0;
  ks.active_expire_cycle([&] { return ++polls >= 2; });
  EXPECT_EQ(polls, 2);
  EXPECT_EQ(ks.stats().expired_keys, 2u * constants::expire_keys_per_loop);
}

TEST(StoreKeyspace, ActiveExpiryWithNothingStaleDoesOneLoop) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  for (int i = 0; i < 1000; ++i) ks.set_string(key_of(i), "v", ks.now_ms() + 100000);
  int polls = 0;
  ks.active_expire_cycle([&] { return ++polls > 100; });
  EXPECT_EQ(polls, 0);
  EXPECT_EQ(ks.stats().expired_keys, 0u);
}

TEST(StoreKeyspace, OverwriteReplacesExpiryUnlessKeepTtl) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  const int64_t at = ks.now_ms() + 5000;
  ks.set_string("k", "1", at);
  EXPECT_EQ(ks.set_string("k", "2", no_expiry, /*keep_ttl=*/true)->expire_at_ms(), at);
  EXPECT_EQ(ks.peek("k")->string_value(), "2");
  EXPECT_EQ(ks.set_string("k", "a much longer value than before, to force a new allocation",
                          no_expiry, true)->expire_at_ms(), at);
  EXPECT_EQ(ks.set_string("k", "3", no_expiry)->expire_at_ms(), no_expiry);
  EXPECT_EQ(ks.expires_count(), 0u);
  EXPECT_EQ(ks.set_string("k", "4", at + 1)->expire_at_ms(), at + 1);
  EXPECT_EQ(ks.size(), 1u);
  // KEEPTTL on a new key: no expiry.
  EXPECT_FALSE(ks.set_string("new", "v", no_expiry, true)->has_expiry());
}

TEST(StoreKeyspace, UpdateStringKeepsExpiryAndAccessData) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  const int64_t at = ks.now_ms() + 60'000;
  Entry* e = ks.set_string("k", "v", at);
  ks.set_now_ms(ks.now_ms() + 30'000);
  const int64_t idle = ks.idle_seconds(*e);
  EXPECT_EQ(idle, 30);
  e = ks.update_string(e, std::string(100, 'x'), StringForm::raw);
  EXPECT_EQ(e->string_value(), std::string(100, 'x'));
  EXPECT_EQ(e->expire_at_ms(), at);
  EXPECT_EQ(ks.idle_seconds(*e), idle);
  EXPECT_STREQ(e->encoding(), "raw");
  EXPECT_EQ(ks.peek("k"), e);
  e = ks.update_string(e, "y", StringForm::raw);
  EXPECT_EQ(e->string_value(), "y");
  EXPECT_STREQ(e->encoding(), "raw");
  EXPECT_EQ(e->expire_at_ms(), at);
  // The new value may be a view into the old one (SETRANGE-like callers).
  e = ks.update_string(e, "abcdefgh");
  e = ks.update_string(e, e->string_value().substr(2));
  EXPECT_EQ(e->string_value(), "cdefgh");
}

TEST(StoreKeyspace, RenameKeepsValueExpiryAndReplacesTarget) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  const int64_t at = ks.now_ms() + 1000;
  Entry* from = ks.set_string("from", "value", at);
  ks.set_string("to", "old", no_expiry);
  Entry* to = ks.rename(from, "to");
  EXPECT_EQ(to->key(), "to");
  EXPECT_EQ(to->string_value(), "value");
  EXPECT_EQ(to->expire_at_ms(), at);
  EXPECT_EQ(ks.peek("from"), nullptr);
  EXPECT_EQ(ks.size(), 1u);
  EXPECT_EQ(ks.expires_count(), 1u);
  EXPECT_EQ(ks.rename(to, "to"), to);
  ks.set_expire(to, no_expiry);
  EXPECT_FALSE(ks.peek("to")->has_expiry());
  EXPECT_EQ(ks.expires_count(), 0u);
}

TEST(StoreKeyspace, SetExpireDoesNotMoveTheEntry) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  Entry* e = ks.set_string("k", "v", no_expiry);
  ks.set_expire(e, ks.now_ms() + 10);
  EXPECT_EQ(ks.peek("k"), e);
  EXPECT_EQ(e->expire_at_ms(), ks.now_ms() + 10);
  ks.set_expire(e, ks.now_ms() + 20);
  EXPECT_EQ(e->expire_at_ms(), ks.now_ms() + 20);
  EXPECT_EQ(ks.expires_count(), 1u);
}

TEST(StoreKeyspace, Encodings) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  const auto encoding = [&](std::string_view value) {
    return std::string(ks.set_string("k", value, no_expiry)->encoding());
  };
  EXPECT_EQ(encoding("0"), "int");
  EXPECT_EQ(encoding("123"), "int");
  EXPECT_EQ(encoding("-123"), "int");
  EXPECT_EQ(encoding("9223372036854775807"), "int");
  EXPECT_EQ(encoding("-9223372036854775808"), "int");
  EXPECT_EQ(encoding("9223372036854775808"), "embstr");
  EXPECT_EQ(encoding("-0"), "embstr");
  EXPECT_EQ(encoding("007"), "embstr");
  EXPECT_EQ(encoding("+1"), "embstr");
  EXPECT_EQ(encoding(" 1"), "embstr");
  EXPECT_EQ(encoding("1 "), "embstr");
  EXPECT_EQ(encoding("-"), "embstr");
  EXPECT_EQ(encoding(""), "embstr");
  EXPECT_EQ(encoding("hello"), "embstr");
  EXPECT_EQ(encoding(std::string(44, 'a')), "embstr");
  EXPECT_EQ(encoding(std::string(45, 'a')), "raw");
  Entry* e = ks.set_string("k", "ab", no_expiry);
  EXPECT_STREQ(ks.update_string(e, "abc", StringForm::raw)->encoding(), "raw");
  EXPECT_STREQ(ks.set_string("k", "abc", no_expiry)->encoding(), "embstr");
  EXPECT_STREQ(ks.set_string("k", "12", no_expiry)->encoding(), "int");
  EXPECT_STREQ(ks.update_string(ks.peek("k"), "13", StringForm::raw)->encoding(), "raw");
  EXPECT_STREQ(ks.update_string(ks.peek("k"), "14", StringForm::plain)->encoding(), "embstr");
  EXPECT_STREQ(ks.update_string(ks.peek("k"), std::string(45, '1'), StringForm::plain)->encoding(),
               "raw");
  EXPECT_STREQ(ks.update_string(ks.peek("k"), "15")->encoding(), "int");
}

TEST(StoreKeyspace, SetStringFoundUsesTheCallersLookup) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  Entry* created = ks.set_string_found(ks.find_write("k"), "k", "1", no_expiry);
  EXPECT_EQ(ks.peek("k"), created);
  Entry* replaced = ks.set_string_found(ks.find_write("k"), "k", "2", ks.now_ms() + 10);
  EXPECT_EQ(ks.peek("k"), replaced);
  EXPECT_EQ(replaced->string_value(), "2");
  EXPECT_EQ(replaced->expire_at_ms(), ks.now_ms() + 10);
  EXPECT_EQ(ks.size(), 1u);
  EXPECT_EQ(ks.expires_count(), 1u);
}

TEST(StoreKeyspace, ClearRemovesEverything) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  const size_t baseline = ks.used_memory();
  for (int i = 0; i < 1000; ++i) ks.set_string(key_of(i), "v", i % 2 ? ks.now_ms() + 10 : no_expiry);
  ks.clear();
  EXPECT_EQ(ks.size(), 0u);
  EXPECT_EQ(ks.expires_count(), 0u);
  EXPECT_EQ(ks.used_memory(), baseline);
  EXPECT_EQ(ks.peek(key_of(1)), nullptr);
  ks.set_string("a", "b", no_expiry);
  EXPECT_EQ(ks.size(), 1u);
}

TEST(StoreKeyspace, MemoryReturnsToBaselineAfter100kKeys) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  const size_t baseline = ks.used_memory();
  for (int i = 0; i < 100'000; ++i) {
    ks.set_string(key_of(i), std::string(i % 50, 'v'), i % 4 == 0 ? ks.now_ms() + 1000 : no_expiry);
  }
  const size_t full = ks.used_memory();
  EXPECT_GT(full, baseline + 100'000 * 40);
  for (int i = 0; i < 100'000; ++i) ASSERT_TRUE(ks.erase(key_of(i)));
  // Shrinking is incremental: a few more operations finish it.
  for (int i = 0; i < 1000; ++i) ks.peek("absent");
  EXPECT_EQ(ks.size(), 0u);
  EXPECT_EQ(ks.used_memory(), baseline);
}

TEST(StoreKeyspace, BytesPerKeyFor16ByteKeysAndValues) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  const size_t baseline = ks.used_memory();
  constexpr int keys = 100'000;
  char key[17];
  char value[17];
  for (int i = 0; i < keys; ++i) {
    std::snprintf(key, sizeof key, "key:%012d", i);
    std::snprintf(value, sizeof value, "val:%012d", i);
    ks.set_string(std::string_view(key, 16), std::string_view(value, 16), no_expiry);
  }
  const double per_key = static_cast<double>(ks.used_memory() - baseline) / keys;
  // 64-byte entry chunk + 8 bytes of bucket array per bucket (131072 buckets for 100k keys).
  EXPECT_LE(per_key, 80.0);
  EXPECT_GE(per_key, 64.0);
}

// --- model check -------------------------------------------------------------------------------

struct ModelValue {
  std::string value;
  int64_t expire_at_ms;
};

enum class Op { set, set_keep_ttl, set_with_ttl, update, erase, expire, persist, rename, advance,
                read, active_cycle, scan };

RC_GTEST_PROP(StoreKeyspace, MatchesAMapModel, ()) {
  const auto seed = *rc::gen::arbitrary<uint64_t>();
  const auto ops = *rc::gen::container<std::vector<std::tuple<int, int, int, int>>>(
      rc::gen::tuple(rc::gen::inRange(0, 12), rc::gen::inRange(0, 12), rc::gen::inRange(0, 12),
                     rc::gen::inRange(0, 120)));
  Rng rng(seed);
  Keyspace ks(rng, {});
  int64_t now = 1'000'000;
  ks.set_now_ms(now);
  std::map<std::string, ModelValue> model;
  const auto model_live = [&](const std::string& key) {
    auto it = model.find(key);
    if (it == model.end()) return false;
    if (it->second.expire_at_ms != no_expiry && it->second.expire_at_ms < now) {
      model.erase(it);
      return false;
    }
    return true;
  };
  for (const auto& [op_index, key_index, other_index, amount] : ops) {
    const std::string key = "k" + std::to_string(key_index);
    const std::string other = "k" + std::to_string(other_index);
    const std::string value = std::string(static_cast<size_t>(amount), 'a' + key_index);
    switch (static_cast<Op>(op_index)) {
      case Op::set:
        ks.set_string(key, value, no_expiry);
        model[key] = {value, no_expiry};
        break;
      case Op::set_keep_ttl: {
        ks.set_string(key, value, no_expiry, true);
        const int64_t keep = model_live(key) ? model[key].expire_at_ms : no_expiry;
        model[key] = {value, keep};
        break;
      }
      case Op::set_with_ttl:
        ks.set_string(key, value, now + amount);
        model[key] = {value, now + amount};
        break;
      case Op::update:
        if (Entry* e = ks.find_write(key)) {
          RC_ASSERT(model_live(key));
          const StringForm form = amount % 2 == 0 ? StringForm::raw : StringForm::parsed;
          ks.update_string(e, value, form);
          model[key].value = value;
        } else {
          RC_ASSERT(!model_live(key));
        }
        break;
      case Op::erase:
        RC_ASSERT(ks.erase(key) == model_live(key));
        model.erase(key);
        break;
      case Op::expire:
        if (Entry* e = ks.peek(key)) {
          ks.set_expire(e, now + amount);
          model[key].expire_at_ms = now + amount;
        }
        break;
      case Op::persist:
        if (Entry* e = ks.peek(key)) {
          ks.set_expire(e, no_expiry);
          model[key].expire_at_ms = no_expiry;
        }
        break;
      case Op::rename:
        if (Entry* e = ks.peek(key)) {
          RC_ASSERT(model_live(key));
          ks.rename(e, other);
          const ModelValue moved = model[key];
          model.erase(key);
          model[other] = moved;
        }
        break;
      case Op::advance:
        now += amount;
        ks.set_now_ms(now);
        break;
      case Op::read: {
        const Entry* e = ks.find_read(key);
        RC_ASSERT((e != nullptr) == model_live(key));
        if (e != nullptr) {
          RC_ASSERT(e->string_value() == model[key].value);
          RC_ASSERT(e->expire_at_ms() == model[key].expire_at_ms);
        }
        break;
      }
      case Op::active_cycle:
        ks.active_expire_cycle([] { return false; });
        break;
      case Op::scan: {
        std::set<std::string> seen;
        uint64_t cursor = 0;
        do {
          cursor = ks.scan(cursor, 3, [&](const Entry& e) { seen.insert(std::string(e.key())); });
        } while (cursor != 0);
        std::set<std::string> expected;
        for (const auto& [k, v] : model) {
          if (v.expire_at_ms == no_expiry || v.expire_at_ms >= now) expected.insert(k);
        }
        RC_ASSERT(seen == expected);
        break;
      }
    }
    // The keyspace may still hold expired keys not yet reclaimed, never fewer than the live ones.
    size_t live = 0;
    size_t volatile_live = 0;
    for (const auto& [k, v] : model) {
      if (v.expire_at_ms == no_expiry || v.expire_at_ms >= now) {
        ++live;
        volatile_live += v.expire_at_ms != no_expiry;
      }
    }
    RC_ASSERT(ks.size() >= live);
    RC_ASSERT(ks.size() <= model.size());
    RC_ASSERT(ks.expires_count() >= volatile_live);
  }
  for (const auto& [k, v] : model) {
    const Entry* e = ks.peek(k);
    const bool live = v.expire_at_ms == no_expiry || v.expire_at_ms >= now;
    RC_ASSERT((e != nullptr) == live);
    if (e != nullptr) RC_ASSERT(e->string_value() == v.value);
  }
}

}  // namespace
}  // namespace ringcache::store

namespace ringcache::store {
namespace {

TEST(StoreKeyspaceGrowth, RepeatedAppendsReallocateRarely) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  Entry* e = ks.set_string("k", "", no_expiry);
  std::string expected;
  int moves = 0;
  for (int i = 0; i < 100'000; ++i) {
    expected.push_back(static_cast<char>('a' + i % 26));
    std::string grown(e->string_value());
    grown.push_back(expected.back());
    Entry* after = ks.update_string(e, grown, StringForm::raw);
    moves += after != e;
    e = after;
  }
  EXPECT_EQ(e->string_value(), expected);
  EXPECT_STREQ(e->encoding(), "raw");
  EXPECT_LT(moves, 40);  // doubling: about log2(100k) reallocations
  // The slack is accounted: at most about twice the value.
  EXPECT_LE(ks.used_memory(), 2 * expected.size() + 16 * 1024);
  // A plain SET compacts it again.
  const size_t before = ks.used_memory();
  e = ks.set_string("k", "small", no_expiry);
  EXPECT_LT(ks.used_memory(), before - 100'000);
  EXPECT_STREQ(e->encoding(), "embstr");
}

TEST(StoreKeyspaceGrowth, SlackEntriesKeepTheirValueAcrossShrinkAndRename) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  Entry* e = ks.set_string("k", std::string(1000, 'x'), ks.now_ms() + 50);
  e = ks.update_string(e, std::string(1001, 'y'), StringForm::raw);
  e = ks.update_string(e, "short", StringForm::raw);  // far below its room: compacted
  EXPECT_EQ(e->string_value(), "short");
  EXPECT_EQ(e->expire_at_ms(), ks.now_ms() + 50);
  e = ks.update_string(e, std::string(3000, 'z'), StringForm::raw);
  e = ks.rename(e, "r");
  EXPECT_EQ(e->string_value(), std::string(3000, 'z'));
  EXPECT_STREQ(e->encoding(), "raw");
  const size_t baseline_after = ks.used_memory();
  EXPECT_TRUE(ks.erase("r"));
  EXPECT_LT(ks.used_memory(), baseline_after);
}

}  // namespace
}  // namespace ringcache::store

namespace ringcache::store {
namespace {

TEST(StoreKeyspaceRehash, IncrementalRehashFinishesAndFreesTheOldTable) {
  KeyspaceFixture f;
  Keyspace& ks = f.keyspace;
  int i = 0;
  while (i < 1000 || !ks.incremental_rehash(0)) {  // until a grow of a large table starts
    ks.set_string(key_of(i++), "v", no_expiry);
  }
  const size_t during = ks.used_memory();
  int calls = 0;
  while (ks.incremental_rehash(10)) ++calls;
  EXPECT_GT(calls, 0);
  EXPECT_LT(ks.used_memory(), during);
  for (int j = 0; j < i; ++j) ASSERT_NE(ks.peek(key_of(j)), nullptr);
}

}  // namespace
}  // namespace ringcache::store
