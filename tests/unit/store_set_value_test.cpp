// SetValue: the intset -> hashtable conversion rules (as Redis 7.0's) and rebuild().

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "core/constants.h"
#include "core/store/alloc_size.h"
#include "core/store/set_value.h"

namespace ringcache::store {
namespace {

std::vector<std::string> members(const SetValue& set) {
  std::vector<std::string> out;
  set.for_each([&](std::string_view member) { out.emplace_back(member); });
  return out;
}

TEST(SetValue, IntsetHoldsCanonicalIntegersSorted) {
  Rng rng(1);
  EncodingLimits limits;
  SetValue set;
  for (const char* member : {"10", "-5", "9223372036854775807", "0", "10"}) {
    set.add(member, limits, rng);
  }
  EXPECT_STREQ(set.encoding(), "intset");
  EXPECT_EQ(members(set),
            (std::vector<std::string>{"-5", "0", "10", "9223372036854775807"}));
  EXPECT_TRUE(set.contains("10"));
  EXPECT_FALSE(set.contains("010")) << "not the canonical form, so not the member 10";
  EXPECT_FALSE(set.remove("+10"));
  EXPECT_TRUE(set.remove("10"));
  EXPECT_EQ(set.size(), 3u);
  set.shrink_to_fit();
  // A set outside an entry keeps its intset out of line: the IntSet object and its buffer.
  EXPECT_EQ(set.allocated_bytes(),
            malloc_chunk_bytes(sizeof(IntSet)) + malloc_chunk_bytes(1 + 3 * sizeof(int64_t)))
      << "a width byte and 3 members, 8 bytes each since INT64_MAX came in";
  EXPECT_TRUE(set.contains("-5"));
}

TEST(SetValue, ConvertsOnANonIntegerOrPastTheLimitForGood) {
  Rng rng(1);
  EncodingLimits limits;
  limits.set_max_intset_entries = 3;
  SetValue by_text;
  by_text.add("1", limits, rng);
  by_text.add("01", limits, rng);
  EXPECT_STREQ(by_text.encoding(), "hashtable");
  const auto listed = members(by_text);
  EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()),
            (std::set<std::string>{"1", "01"}));
  SetValue by_size;
  for (int i = 0; i < 4; ++i) by_size.add(std::to_string(i), limits, rng);
  EXPECT_STREQ(by_size.encoding(), "hashtable");
  EXPECT_TRUE(by_size.contains("3"));
  by_size.remove("3");
  EXPECT_STREQ(by_size.encoding(), "hashtable") << "conversion is one way";
}

TEST(SetValue, RebuildEmitsSaddBatchesThatRecreateTheSet) {
  Rng rng(1);
  EncodingLimits limits;
  for (const int count : {1, 64, 65, 700}) {
    SetValue set;
    std::set<std::string> model;
    for (int i = 0; i < count; ++i) {
      set.add(std::to_string(i * 3), limits, rng);
      model.insert(std::to_string(i * 3));
    }
    std::set<std::string> rebuilt;
    size_t commands = 0;
    set.rebuild("k", [&](std::span<const std::string_view> argv) {
      ++commands;
      ASSERT_GE(argv.size(), 3u);
      EXPECT_EQ(argv[0], "SADD");
      EXPECT_EQ(argv[1], "k");
      EXPECT_LE(argv.size() - 2, constants::rebuild_items_per_command_max);
      for (size_t i = 2; i < argv.size(); ++i) rebuilt.emplace(argv[i]);
    });
    EXPECT_EQ(rebuilt, model);
    const size_t per = constants::rebuild_items_per_command_max;
    EXPECT_EQ(commands, (count + per - 1) / per);
  }
}

}  // namespace
}  // namespace ringcache::store
