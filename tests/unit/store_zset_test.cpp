// Sorted set values: both encodings against a naive sorted-vector model (ranks, bounds, ranges,
// range removal), the one-way conversion, ZSCAN over the full encoding, and rebuild.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/constants.h"
#include "core/store/zset_value.h"

namespace ringcache::store {
namespace {

struct Item {
  double score;
  std::string member;
  bool operator<(const Item& other) const {
    return compare_score_member(score, member, other.score, other.member) < 0;
  }
  bool operator==(const Item& other) const {
    return score == other.score && member == other.member;
  }
};

// The model: a sorted vector of (score, member), searched linearly.
struct Model {
  std::vector<Item> items;
  void set(const std::string& member, double score) {
    remove(member);
    items.insert(std::upper_bound(items.begin(), items.end(), Item{score, member}),
                 Item{score, member});
  }
  bool remove(const std::string& member) {
    auto at = std::find_if(items.begin(), items.end(),
                           [&](const Item& i) { return i.member == member; });
    if (at == items.end()) return false;
    items.erase(at);
    return true;
  }
  size_t score_below(double score, bool or_equal) const {
    return std::count_if(items.begin(), items.end(), [&](const Item& i) {
      return or_equal ? i.score <= score : i.score < score;
    });
  }
};

std::vector<Item> contents(const ZsetValue& value, size_t start, size_t end, bool reverse) {
  std::vector<Item> out;
  value.visit(start, end, reverse,
              [&](std::string_view member, double score) { out.push_back({score, std::string(member)}); });
  return out;
}

// Seeds a set's full encoding when it converts (ZsetValue::set).
Rng rng(17);

// A small set, or (full) one in the full encoding from the start keyed by `seed`.
ZsetValue make_zset(uint64_t seed, bool full) {
  return full ? ZsetValue(ZsetValue::StartFull{seed}) : ZsetValue();
}

EncodingLimits limits_with(int64_t entries, int64_t value_bytes) {
  EncodingLimits limits;
  limits.zset_max_listpack_entries = entries;
  limits.zset_max_listpack_value = value_bytes;
  return limits;
}

TEST(StoreZset, OrdersByScoreThenMemberBytes) {
  for (const bool full : {false, true}) {
    ZsetValue value = make_zset(1, full);
    const auto limits = limits_with(128, 64);
    EXPECT_TRUE(value.set("b", 1, limits, rng));
    EXPECT_TRUE(value.set("a", 1, limits, rng));
    EXPECT_TRUE(value.set("\xff", 0.5, limits, rng));
    EXPECT_TRUE(value.set("c", -1, limits, rng));
    EXPECT_FALSE(value.set("c", 2, limits, rng));  // moved, not added
    const std::vector<Item> want{{0.5, "\xff"}, {1, "a"}, {1, "b"}, {2, "c"}};
    EXPECT_EQ(contents(value, 0, 4, false), want) << "full=" << full;
    EXPECT_EQ(value.rank("b"), 2u);
    EXPECT_EQ(value.score("c"), 2);
    EXPECT_FALSE(value.score("zz").has_value());
    EXPECT_EQ(value.count_score_below(1, false), 1u);
    EXPECT_EQ(value.count_score_below(1, true), 3u);
    EXPECT_STREQ(value.encoding(), full ? "skiplist" : "listpack");
  }
}

TEST(StoreZset, CountsMembersBeforeALexBoundWhenScoresAreEqual) {
  for (const bool full : {false, true}) {
    ZsetValue value = make_zset(2, full);
    for (const char* m : {"b", "a", "d", "c", "e"}) value.set(m, 0, limits_with(128, 64), rng);
    EXPECT_EQ(value.count_member_below("c", false), 2u) << "full=" << full;
    EXPECT_EQ(value.count_member_below("c", true), 3u);
    EXPECT_EQ(value.count_member_below("bb", true), 2u);
    EXPECT_EQ(value.count_member_below("", false), 0u);
    EXPECT_EQ(value.count_member_below("z", true), 5u);
  }
}

TEST(StoreZset, ConvertsOnceByEntriesOrMemberLength) {
  const auto limits = limits_with(3, 8);
  ZsetValue by_count;
  for (const char* m : {"a", "b", "c"}) by_count.set(m, 1, limits, rng);
  EXPECT_STREQ(by_count.encoding(), "listpack");
  by_count.set("d", 1, limits, rng);
  EXPECT_STREQ(by_count.encoding(), "skiplist");
  by_count.remove("d");
  by_count.remove("c");
  EXPECT_STREQ(by_count.encoding(), "skiplist");  // one way
  EXPECT_EQ(contents(by_count, 0, 2, false), (std::vector<Item>{{1, "a"}, {1, "b"}}));

  ZsetValue by_length;
  by_length.set("short", 1, limits, rng);
  by_length.set("much-too-long", 2, limits, rng);
  EXPECT_STREQ(by_length.encoding(), "skiplist");
  EXPECT_EQ(by_length.size(), 2u);
  EXPECT_TRUE(ZsetValue::needs_full(1, 9, limits));
  EXPECT_FALSE(ZsetValue::needs_full(3, 8, limits));
}

TEST(StoreZset, PackedEncodingStoresNegativeZeroAsZero) {
  ZsetValue packed;
  ZsetValue full = make_zset(1, true);
  packed.set("m", -0.0, limits_with(128, 64), rng);
  full.set("m", -0.0, limits_with(128, 64), rng);
  EXPECT_FALSE(std::signbit(*packed.score("m")));  // Redis' listpack keeps it as integer 0
  EXPECT_TRUE(std::signbit(*full.score("m")));     // its skiplist keeps the double
}

TEST(StoreZset, PackedEncodingKeepsEveryScoreExactly) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> scores{0,      1,           -1,     127,   128,  -128,        -129,
                                   32767,  -32769,      0.5,    -2.25, 1e15, 9007199254740992.0,
                                   -9007199254740992.0, 9007199254740994.0, 1e300, 1e-300,
                                   inf,    -inf,        4.9e-324};
  ZsetValue packed;
  const auto limits = limits_with(128, 64);
  for (size_t i = 0; i < scores.size(); ++i) {
    packed.set("m" + std::to_string(i), scores[i], limits, rng);
  }
  ASSERT_STREQ(packed.encoding(), "listpack");
  for (size_t i = 0; i < scores.size(); ++i) {
    EXPECT_EQ(packed.score("m" + std::to_string(i)), scores[i]) << scores[i];
  }
}

TEST(StoreZset, FormatsScoresAsRedis) {
  EXPECT_EQ(format_score(1.5), "1.5");
  EXPECT_EQ(format_score(1.1), "1.1000000000000001");
  EXPECT_EQ(format_score(3), "3");
  EXPECT_EQ(format_score(1e300), "1.0000000000000001e+300");
  EXPECT_EQ(format_score(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(format_score(std::numeric_limits<double>::infinity()), "inf");
}

TEST(StoreZset, RebuildEmitsZaddBatchesThatRecreateTheSet) {
  ZsetValue value = make_zset(3, true);
  const auto limits = limits_with(128, 64);
  for (int i = 0; i < 150; ++i) value.set("m" + std::to_string(i), i * 0.1, limits, rng);
  ZsetValue copy;
  size_t commands = 0;
  value.rebuild("k", [&](std::span<const std::string_view> argv) {
    ++commands;
    ASSERT_GE(argv.size(), 4u);
    EXPECT_EQ(argv[0], "ZADD");
    EXPECT_EQ(argv[1], "k");
    EXPECT_LE((argv.size() - 2) / 2, constants::rebuild_items_per_command_max);
    for (size_t i = 2; i + 1 < argv.size(); i += 2) {
      copy.set(argv[i + 1], std::stod(std::string(argv[i])), limits, rng);
    }
  });
  EXPECT_EQ(commands, 3u);  // 64 + 64 + 22
  EXPECT_EQ(contents(copy, 0, copy.size(), false), contents(value, 0, value.size(), false));
}

TEST(StoreZset, ScanOfTheFullEncodingReturnsEveryMemberAcrossResizes) {
  ZsetValue value = make_zset(9, true);
  const auto limits = limits_with(128, 64);
  for (int i = 0; i < 500; ++i) value.set("s" + std::to_string(i), i, limits, rng);
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int step = 0;
  do {
    cursor = value.scan(cursor, 4, [&](std::string_view member, double) {
      seen.emplace(member);
    });
    // Grow then shrink the index mid-scan with members that come and go.
    if (++step == 10) {
      for (int i = 0; i < 2000; ++i) value.set("t" + std::to_string(i), i, limits, rng);
    }
    if (step == 40) {
      for (int i = 0; i < 2000; ++i) value.remove("t" + std::to_string(i));
    }
  } while (cursor != 0);
  for (int i = 0; i < 500; ++i) EXPECT_TRUE(seen.contains("s" + std::to_string(i))) << i;
}

TEST(StoreZset, MemoryPerMemberOfTheFullEncodingStaysSmall) {
  ZsetValue value = make_zset(5, true);
  const auto limits = limits_with(128, 64);
  constexpr int members = 100000;
  for (int i = 0; i < members; ++i) value.set("member:" + std::to_string(i), i, limits, rng);
  // One 48-byte chunk per member of this length, its 16-byte entry in leaves 3/4 full (filled
  // in order), at most 16 bytes of bucket, and inner blocks.
  EXPECT_LE(value.allocated_bytes() / members, 88u);
}

// The property: any sequence of operations leaves both encodings agreeing with the model.
RC_GTEST_PROP(StoreZset, AgreesWithASortedVectorModel, ()) {
  const bool start_full = *rc::gen::arbitrary<bool>();
  const auto entries = *rc::gen::inRange<int64_t>(0, 40);
  const auto limits = limits_with(entries, 6);
  ZsetValue value = make_zset(*rc::gen::arbitrary<uint64_t>(), start_full);
  Model model;
  const int steps = *rc::gen::inRange(1, 300);
  for (int step = 0; step < steps; ++step) {
    const std::string member = "m" + std::to_string(*rc::gen::inRange(0, 60));
    // Few distinct scores, so ties (ordered by member) are common.
    const double score = *rc::gen::inRange(-5, 6) * 0.5;
    switch (*rc::gen::inRange(0, 6)) {
      case 0: {
        const bool was_new = !value.score(member).has_value();
        RC_ASSERT(value.set(member, score, limits, rng) == was_new);
        model.set(member, score);
        break;
      }
      case 1: {
        // ZADD's single-lookup path: it sees the current score and may decline.
        const auto current = value.score(member);
        const bool take = *rc::gen::arbitrary<bool>();
        std::optional<double> seen;
        const auto change = value.update(
            member,
            [&](std::optional<double> now) -> std::optional<double> {
              seen = now;
              return take ? std::optional<double>(score) : std::nullopt;
            },
            limits, rng);
        RC_ASSERT(seen == current);
        using Change = ZsetValue::Change;
        RC_ASSERT(change == (!take ? Change::none : current ? Change::moved : Change::added));
        if (take) model.set(member, score);
        break;
      }
      case 2:
        RC_ASSERT(value.remove(member) == model.remove(member));
        break;
      case 3: {
        const size_t size = model.items.size();
        const size_t start = *rc::gen::inRange<size_t>(0, size + 1);
        const size_t end = *rc::gen::inRange<size_t>(start, size + 1);
        value.remove_range(start, end);
        model.items.erase(model.items.begin() + start, model.items.begin() + end);
        break;
      }
      default: {
        const bool or_equal = *rc::gen::arbitrary<bool>();
        RC_ASSERT(value.count_score_below(score, or_equal) == model.score_below(score, or_equal));
        break;
      }
    }
    RC_ASSERT(value.size() == model.items.size());
  }
  RC_ASSERT(contents(value, 0, value.size(), false) == model.items);
  for (size_t i = 0; i < model.items.size(); ++i) {
    RC_ASSERT(value.rank(model.items[i].member) == i);
    RC_ASSERT(value.at(i).first == model.items[i].member);
  }
  if (!model.items.empty()) {
    const size_t start = *rc::gen::inRange<size_t>(0, model.items.size());
    const size_t end = *rc::gen::inRange<size_t>(start, model.items.size() + 1);
    std::vector<Item> want(model.items.begin() + start, model.items.begin() + end);
    RC_ASSERT(contents(value, start, end, false) == want);
    std::reverse(want.begin(), want.end());
    RC_ASSERT(contents(value, start, end, true) == want);
  }
}

}  // namespace
}  // namespace ringcache::store
