// Compact encodings kept inside their key's Entry (store/compact_storage.h): a small hash is one
// allocation; writes that outgrow the entry move the elements out of line and the keyspace
// re-packs the entry (which moves it) with the key's expiry, access data and snapshot state; the
// accounting stays exact through growth, shrinking, conversion, RENAME and deletion.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/constants.h"
#include "core/store/alloc_size.h"
#include "core/store/hash_value.h"
#include "core/store/keyspace.h"
#include "core/store/set_value.h"
#include "core/store/zset_value.h"

namespace ringcache::store {
namespace {

// PackedList bytes of one element shorter than 128 bytes: one length word on either side.
size_t element_bytes(std::string_view text) {
  EXPECT_LT(text.size(), 128u);
  return text.size() + 2;
}

// What used_memory() counts for the keys (all of collection types): their entries and values.
size_t collection_keys_bytes(Keyspace& keyspace) {
  size_t bytes = 0;
  keyspace.for_each([&](const Entry& entry) {
    bytes += entry.allocated_bytes() + entry.collection()->allocated_bytes();
  });
  return bytes;
}

struct Fixture {
  explicit Fixture(EvictionConfig eviction = {}) : rng(5), keyspace(rng, eviction) {
    keyspace.set_now_ms(1'000'000);
  }
  HashValue& hash(std::string_view key) {
    return *static_cast<HashValue*>(keyspace.peek(key)->collection());
  }
  // HSET as the command does it: create when absent, set, shrink, report the write.
  void hset(std::string_view key, const std::vector<std::pair<std::string, std::string>>& pairs) {
    Entry* entry = keyspace.find_write(key);
    if (entry == nullptr) entry = keyspace.add_collection(key, std::make_unique<HashValue>());
    auto& value = *static_cast<HashValue*>(entry->collection());
    for (const auto& [field, text] : pairs) {
      value.set(field, text, limits, rng);
      model[std::string(key)][field] = text;
    }
    value.shrink_to_fit();
    keyspace.collection_written(entry);
  }
  void hdel(std::string_view key, const std::vector<std::string>& fields) {
    Entry* entry = keyspace.find_write(key);
    if (entry == nullptr) return;  // HDEL of an absent key
    for (const auto& field : fields) {
      static_cast<HashValue*>(entry->collection())->erase(field);
      model[std::string(key)].erase(field);
    }
    if (keyspace.collection_written(entry)) model.erase(std::string(key));
  }
  // The hash holds what the model says, in the encoding and storage its size calls for.
  void expect_matches(std::string_view key) {
    const auto& fields = model[std::string(key)];
    const HashValue& value = hash(key);
    std::map<std::string, std::string> seen;
    value.for_each([&](const HashValue::Item& item) {
      seen[std::string(item.field)] = std::string(item.value);
    });
    EXPECT_EQ(seen, fields);
    EXPECT_EQ(value.size(), fields.size());
    for (const auto& [field, text] : fields) EXPECT_EQ(value.get(field), text);
    if (!value.compact()) return;
    size_t packed = 0;
    for (const auto& [field, text] : fields) packed += element_bytes(field) + element_bytes(text);
    const Entry* entry = keyspace.peek(key);
    if (packed <= constants::collection_inline_bytes_max) {
      EXPECT_EQ(value.allocated_bytes(), 0u) << "inline: nothing beyond the entry";
      const size_t growth = packed / constants::collection_room_growth_divisor;
      EXPECT_GE(entry->allocated_bytes(),
                Entry::collection_chunk_bytes(key.size(), sizeof(HashValue) + packed));
      EXPECT_LE(entry->allocated_bytes(),
                Entry::collection_chunk_bytes(key.size(), sizeof(HashValue) + packed + growth))
          << "at most one growth step of room";
    } else {
      EXPECT_GT(value.allocated_bytes(), packed) << "out of line: a buffer of its own";
      EXPECT_EQ(entry->allocated_bytes(),
                Entry::collection_chunk_bytes(key.size(), sizeof(HashValue)));
    }
  }
  size_t keys_bytes() { return collection_keys_bytes(keyspace); }

  Rng rng;
  Keyspace keyspace;
  EncodingLimits limits;
  std::map<std::string, std::map<std::string, std::string>> model;
};

std::vector<std::pair<std::string, std::string>> five_fields(int seed) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int f = 1; f <= 5; ++f) {
    pairs.emplace_back("field" + std::to_string(f), std::to_string(1'000'000'000 + seed * 10 + f));
  }
  return pairs;
}

TEST(InlineCollection, SmallHashIsOneAllocation) {
  Fixture f;
  f.hset("hash:0000000001", five_fields(1));  // the memory benchmark's keys (bench/memory-types.sh)
  f.expect_matches("hash:0000000001");
  // 24 header + 15 key + 1 padding + 24 object + 5 x (8 + 12) listpack = 164 bytes: one 176-byte
  // glibc chunk (164 + 8, rounded to 16).
  EXPECT_EQ(f.keyspace.peek("hash:0000000001")->allocated_bytes(), 176u);
  EXPECT_STREQ(f.keyspace.peek("hash:0000000001")->encoding(), "listpack");
}

TEST(InlineCollection, OneFieldWritesGrowTheEntryGeometricallyAndWritesThatFitStayInPlace) {
  Fixture f;
  f.hset("h", five_fields(6));  // written in one go: made to measure
  EXPECT_EQ(f.keyspace.peek("h")->allocated_bytes(),
            Entry::collection_chunk_bytes(1, sizeof(HashValue) + 5 * (8 + 12)));
  // One field at a time up to 940 bytes of listpack (21 bytes a pair), still inline: the entry
  // moves only when a field does not fit its room, and then gets a growth step more, so it moves
  // a few times, not once a field.
  int moves = 0;
  for (int i = 0; i < 40; ++i) {
    const Entry* before = f.keyspace.peek("h");
    const size_t before_bytes = before->allocated_bytes();
    const size_t fields = f.hash("h").size();
    f.hset("h", {{"more" + std::to_string(100 + i), std::to_string(1'000'000'000 + i)}});
    f.expect_matches("h");
    const Entry* after = f.keyspace.peek("h");
    ASSERT_EQ(f.hash("h").size(), fields + 1);
    if (after != before) {
      ++moves;
      EXPECT_GT(after->allocated_bytes(), before_bytes) << "it moved to grow";
    }
  }
  EXPECT_GE(moves, 2);
  EXPECT_LE(moves, 12) << "a growth step each time, not one re-pack a field (40)";
  // Rewriting a field with a value of the same length fits: no move, same accounting.
  const Entry* before = f.keyspace.peek("h");
  const size_t used = f.keyspace.used_memory();
  f.hset("h", {{"more100", "2000000000"}});
  EXPECT_EQ(f.keyspace.peek("h"), before);
  EXPECT_EQ(f.keyspace.used_memory(), used);
}

TEST(InlineCollection, GrowthAndShrinkAcrossTheInlineLimitKeepContentsAndAccounting) {
  Fixture f;
  const size_t empty = f.keyspace.used_memory();
  f.hset("h", {{"seed", "x"}});
  const size_t overhead = f.keyspace.used_memory() - f.keys_bytes();  // the table's bucket array
  const std::string value(60, 'v');  // 62 bytes packed: the limit is crossed at ~16 fields
  int crossings = 0;
  bool was_inline = true;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 40; ++i) {
      f.hset("h", {{"f" + std::to_string(i), value + std::to_string(round)}});
      f.expect_matches("h");
      EXPECT_EQ(f.keyspace.used_memory(), overhead + f.keys_bytes());
      const bool now_inline = f.hash("h").allocated_bytes() == 0;
      crossings += now_inline != was_inline;
      was_inline = now_inline;
    }
    for (int i = 0; i < 40; i += 1 + round) {
      f.hdel("h", {"f" + std::to_string(i)});
      f.expect_matches("h");
      EXPECT_EQ(f.keyspace.used_memory(), overhead + f.keys_bytes());
      const bool now_inline = f.hash("h").allocated_bytes() == 0;
      crossings += now_inline != was_inline;
      was_inline = now_inline;
    }
  }
  EXPECT_GE(crossings, 3) << "out of line, back in, and out again";
  EXPECT_STREQ(f.keyspace.peek("h")->encoding(), "listpack");
  f.hdel("h", {"seed"});
  for (int i = 0; i < 40; ++i) f.hdel("h", {"f" + std::to_string(i)});
  EXPECT_EQ(f.keyspace.peek("h"), nullptr) << "the last HDEL removes the key";
  EXPECT_EQ(f.keyspace.used_memory(), empty);
}

TEST(InlineCollection, ConversionToHashtableAtEitherLimitLeavesAnEntryOfTheObjectAlone) {
  Fixture f;
  f.limits.hash_max_listpack_entries = 5;
  f.hset("by-count", five_fields(2));
  EXPECT_STREQ(f.keyspace.peek("by-count")->encoding(), "listpack");
  f.hset("by-count", {{"field6", "six"}});
  EXPECT_STREQ(f.keyspace.peek("by-count")->encoding(), "hashtable");
  f.expect_matches("by-count");
  EXPECT_EQ(f.keyspace.peek("by-count")->allocated_bytes(),
            Entry::collection_chunk_bytes(8, sizeof(HashValue)));

  f.hset("by-length", five_fields(3));
  const std::string long_value(f.limits.hash_max_listpack_value + 1, 'l');
  f.hset("by-length", {{"field1", long_value}});
  EXPECT_STREQ(f.keyspace.peek("by-length")->encoding(), "hashtable");
  f.expect_matches("by-length");
  EXPECT_EQ(f.keyspace.peek("by-length")->allocated_bytes(),
            Entry::collection_chunk_bytes(9, sizeof(HashValue)));
  f.hdel("by-length", {"field1", "field2", "field3", "field4"});
  EXPECT_STREQ(f.keyspace.peek("by-length")->encoding(), "hashtable") << "one way";
  f.expect_matches("by-length");
}

TEST(InlineCollection, RepackKeepsExpiryAccessDataAndSnapshotState) {
  Fixture f;
  f.hset("h", five_fields(4));
  f.keyspace.set_expire(f.keyspace.peek("h"), 5'000'000);
  const Entry* before = f.keyspace.peek("h");
  const uint32_t lru = before->lru_field();
  ASSERT_NE(lru, 0u);
  f.keyspace.begin_snapshot();  // "h" not taken yet
  f.hset("h", {{"field6", std::string(40, 's')}});  // outgrows the room: re-packed
  const Entry* after = f.keyspace.peek("h");
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->expire_at_ms(), 5'000'000);
  EXPECT_EQ(f.keyspace.expires_count(), 1u);
  EXPECT_EQ(after->lru_field(), lru);
  EXPECT_TRUE(f.keyspace.take_for_snapshot(*after)) << "re-packing did not mark it taken";
  EXPECT_FALSE(f.keyspace.take_for_snapshot(*after));
  f.expect_matches("h");
  f.keyspace.set_now_ms(5'000'001);
  EXPECT_EQ(f.keyspace.peek("h"), nullptr) << "the expiry still applies";
  EXPECT_EQ(f.keyspace.expires_count(), 0u);
}

TEST(InlineCollection, RenameCarriesTheInlineBytesAndRebuildSeesThem) {
  Fixture f;
  const size_t empty = f.keyspace.used_memory();
  f.hset("from", five_fields(5));
  const auto rebuild_of = [&](std::string_view key) {
    std::vector<std::vector<std::string>> commands;
    f.hash(key).rebuild("k", [&](std::span<const std::string_view> argv) {
      commands.emplace_back(argv.begin(), argv.end());
    });
    return commands;
  };
  const auto before = rebuild_of("from");
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].size(), 12u) << "HSET k and five pairs";
  f.keyspace.rename(f.keyspace.find_write("from"), "to:a-longer-key-than-before");
  f.model["to:a-longer-key-than-before"] = f.model["from"];
  EXPECT_EQ(f.keyspace.peek("from"), nullptr);
  f.expect_matches("to:a-longer-key-than-before");
  EXPECT_EQ(rebuild_of("to:a-longer-key-than-before"), before);
  EXPECT_TRUE(f.keyspace.erase("to:a-longer-key-than-before"));
  EXPECT_EQ(f.keyspace.used_memory(), empty);
}

TEST(InlineCollection, RepackUnderALabPolicyThatTracksEntries) {
  EvictionConfig eviction;
  eviction.policy = MaxmemoryPolicy::allkeys_fifo;
  Fixture f(eviction);
  for (int k = 0; k < 50; ++k) f.hset("h" + std::to_string(k), five_fields(k));
  for (int k = 0; k < 50; k += 2) f.hset("h" + std::to_string(k), {{"grow", std::string(50, 'g')}});
  EvictionConfig limited = eviction;
  limited.maxmemory_bytes = f.keyspace.used_memory() / 2;
  f.keyspace.set_eviction_config(limited);
  EXPECT_TRUE(f.keyspace.make_room(0));
  EXPECT_LE(f.keyspace.used_memory(), limited.maxmemory_bytes);
  EXPECT_GT(f.keyspace.size(), 0u);
  // FIFO: the first keys inserted go first, whether or not they were re-packed since.
  EXPECT_EQ(f.keyspace.peek("h0"), nullptr);
  EXPECT_NE(f.keyspace.peek("h49"), nullptr);
}

// Sets: the intset kept inline the same way, through widening, conversion and SREM.
struct SetFixture {
  SetFixture() : rng(9), keyspace(rng, EvictionConfig{}) { keyspace.set_now_ms(1'000'000); }
  void sadd(std::string_view key, const std::vector<std::string>& members) {
    Entry* entry = keyspace.find_write(key);
    if (entry == nullptr) entry = keyspace.add_collection(key, std::make_unique<SetValue>());
    auto& value = *static_cast<SetValue*>(entry->collection());
    for (const auto& member : members) {
      value.add(member, limits, rng);
      model[std::string(key)].insert(member);
    }
    value.shrink_to_fit();
    keyspace.collection_written(entry);
  }
  void srem(std::string_view key, const std::vector<std::string>& members) {
    Entry* entry = keyspace.find_write(key);
    if (entry == nullptr) return;
    for (const auto& member : members) {
      static_cast<SetValue*>(entry->collection())->remove(member);
      model[std::string(key)].erase(member);
    }
    if (keyspace.collection_written(entry)) model.erase(std::string(key));
  }
  const SetValue& set(std::string_view key) {
    return *static_cast<const SetValue*>(keyspace.peek(key)->collection());
  }
  void expect_matches(std::string_view key) {
    std::set<std::string> seen;
    set(key).for_each([&](std::string_view member) { seen.emplace(member); });
    EXPECT_EQ(seen, model[std::string(key)]);
    for (const auto& member : seen) EXPECT_TRUE(set(key).contains(member));
  }
  size_t keys_bytes() { return collection_keys_bytes(keyspace); }
  Rng rng;
  Keyspace keyspace;
  EncodingLimits limits;
  std::map<std::string, std::set<std::string>> model;
};

TEST(InlineCollection, SmallIntsetIsOneAllocation) {
  SetFixture f;
  // The memory benchmark's last key: five members near 5M, 4 bytes each.
  f.sadd("iset:0000999999", {"4999996", "4999997", "4999998", "4999999", "5000000"});
  f.expect_matches("iset:0000999999");
  EXPECT_STREQ(f.keyspace.peek("iset:0000999999")->encoding(), "intset");
  EXPECT_EQ(f.set("iset:0000999999").allocated_bytes(), 0u);
  // 24 header + 15 key + 1 padding + 24 object + 1 width byte + 5 x 4 = 85 bytes: one 96-byte
  // chunk (85 + 8, rounded to 16).
  EXPECT_EQ(f.keyspace.peek("iset:0000999999")->allocated_bytes(), 96u);
}

TEST(InlineCollection, IntsetWideningConversionAndRemovalKeepContentsAndAccounting) {
  SetFixture f;
  f.limits.set_max_intset_entries = 200;
  const size_t empty = f.keyspace.used_memory();
  f.sadd("s", {"1"});
  const size_t overhead = f.keyspace.used_memory() - f.keys_bytes();
  bool went_out = false;
  for (int i = 0; i < 200; ++i) {
    // Widths 2, then 4, then 8 bytes; 200 x 8 bytes pass the inline limit.
    const int64_t member = i < 50 ? i : (i < 100 ? i * 100'000 : i * 100'000'000'000LL);
    f.sadd("s", {std::to_string(member)});
    f.expect_matches("s");
    EXPECT_EQ(f.keyspace.used_memory(), overhead + f.keys_bytes());
    went_out = went_out || f.set("s").allocated_bytes() > 0;
  }
  EXPECT_TRUE(went_out);
  EXPECT_STREQ(f.keyspace.peek("s")->encoding(), "intset");
  for (int i = 60; i < 200; ++i) {
    const int64_t member = i < 100 ? i * 100'000 : i * 100'000'000'000LL;
    f.srem("s", {std::to_string(member)});
  }
  f.expect_matches("s");
  EXPECT_EQ(f.set("s").allocated_bytes(), 0u) << "back inline";
  EXPECT_EQ(f.keyspace.used_memory(), overhead + f.keys_bytes());
  f.sadd("s", {"not-a-number"});
  EXPECT_STREQ(f.keyspace.peek("s")->encoding(), "hashtable");
  f.expect_matches("s");
  EXPECT_EQ(f.keyspace.peek("s")->allocated_bytes(),
            Entry::collection_chunk_bytes(1, sizeof(SetValue)));
  EXPECT_EQ(f.keyspace.used_memory(), overhead + f.keys_bytes());
  EXPECT_TRUE(f.keyspace.erase("s"));
  EXPECT_EQ(f.keyspace.used_memory(), empty);
}

// Sorted sets: the listpack of (member, score) pairs inline, in order, through growth past the
// inline limit, ZREM-like range removal, conversion to the skiplist, and RENAME.
TEST(InlineCollection, SmallZsetsStayOrderedInlineAndAccounted) {
  Rng rng(3);
  Keyspace keyspace(rng, EvictionConfig{});
  keyspace.set_now_ms(1'000'000);
  EncodingLimits limits;
  const size_t empty = keyspace.used_memory();
  std::map<std::string, double> model;
  const auto zadd = [&](const std::string& member, double score) {
    Entry* entry = keyspace.find_write("zs:0000000000");
    if (entry == nullptr) {
      entry = keyspace.add_collection("zs:0000000000", std::make_unique<ZsetValue>());
    }
    static_cast<ZsetValue*>(entry->collection())->set(member, score, limits, rng);
    model[member] = score;
    keyspace.collection_written(entry);
  };
  const auto zset = [&]() -> const ZsetValue& {
    return *static_cast<const ZsetValue*>(keyspace.peek("zs:0000000000")->collection());
  };
  const auto expect_matches = [&] {
    std::vector<std::pair<double, std::string>> expected;
    for (const auto& [member, score] : model) expected.emplace_back(score, member);
    std::sort(expected.begin(), expected.end());
    std::vector<std::pair<double, std::string>> seen;
    zset().visit(0, zset().size(), false, [&](std::string_view member, double score) {
      seen.emplace_back(score, std::string(member));
    });
    EXPECT_EQ(seen, expected);
    for (const auto& [member, score] : model) EXPECT_EQ(zset().score(member), score);
  };
  // The memory benchmark's key (bench/zset_memory.sh): ZADD zs:0000000000 1 m0 2 m1 3 m2.
  for (int i = 0; i < 3; ++i) zadd("m" + std::to_string(i), i + 1);
  expect_matches();
  EXPECT_EQ(zset().allocated_bytes(), 0u);
  // 24 header + 13 key + 3 padding + 24 object + 3 x (4 + 3: a one-byte integer score) = 85:
  // one 96-byte chunk.
  EXPECT_EQ(keyspace.peek("zs:0000000000")->allocated_bytes(), 96u);
  bool went_out = false;
  for (int i = 3; i < 100; ++i) {  // ~13 bytes a pair: out of line past ~80 members
    zadd("m" + std::to_string(i), (i * 37) % 101 + 0.5);
    expect_matches();
    went_out = went_out || zset().allocated_bytes() > 0;
  }
  EXPECT_TRUE(went_out);
  EXPECT_STREQ(keyspace.peek("zs:0000000000")->encoding(), "listpack");
  {
    Entry* entry = keyspace.find_write("zs:0000000000");
    auto* value = static_cast<ZsetValue*>(entry->collection());
    value->visit(0, 90, false,
                 [&](std::string_view member, double) { model.erase(std::string(member)); });
    value->remove_range(0, 90);
    keyspace.collection_written(entry);
  }
  expect_matches();
  EXPECT_EQ(zset().allocated_bytes(), 0u) << "back inline";
  Entry* renamed = keyspace.rename(keyspace.find_write("zs:0000000000"), "zs:0000000001");
  EXPECT_EQ(renamed->collection()->size(), model.size());
  keyspace.rename(renamed, "zs:0000000000");
  expect_matches();
  zadd(std::string(limits.zset_max_listpack_value + 1, 'x'), 7);
  EXPECT_STREQ(keyspace.peek("zs:0000000000")->encoding(), "skiplist");
  expect_matches();
  EXPECT_EQ(keyspace.peek("zs:0000000000")->allocated_bytes(),
            Entry::collection_chunk_bytes(13, sizeof(ZsetValue)));
  EXPECT_TRUE(keyspace.erase("zs:0000000000"));
  EXPECT_EQ(keyspace.used_memory(), empty);
}

}  // namespace
}  // namespace ringcache::store
