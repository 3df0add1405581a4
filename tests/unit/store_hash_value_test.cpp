// HashValue: the listpack -> hashtable conversion rules (as Redis 7.0's) and rebuild().

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/constants.h"
#include "core/store/hash_value.h"

namespace ringcache::store {
namespace {

std::vector<std::vector<std::string>> rebuild_of(const HashValue& hash) {
  std::vector<std::vector<std::string>> commands;
  hash.rebuild("k", [&](std::span<const std::string_view> argv) {
    commands.emplace_back(argv.begin(), argv.end());
  });
  return commands;
}

TEST(HashValue, ConvertsPastTheEntryLimitAndStaysConverted) {
  Rng rng(1);
  EncodingLimits limits;
  limits.hash_max_listpack_entries = 3;
  HashValue hash;
  for (int i = 0; i < 3; ++i) hash.set("f" + std::to_string(i), "v", limits, rng);
  EXPECT_STREQ(hash.encoding(), "listpack");
  EXPECT_FALSE(hash.set("f0", "w", limits, rng)) << "an update adds nothing";
  EXPECT_TRUE(hash.set("f3", "v", limits, rng));
  EXPECT_STREQ(hash.encoding(), "hashtable");
  EXPECT_EQ(hash.size(), 4u);
  EXPECT_EQ(hash.get("f0"), "w");
  for (int i = 0; i < 4; ++i) hash.erase("f" + std::to_string(i + 1));
  EXPECT_STREQ(hash.encoding(), "hashtable") << "conversion is one way";
}

TEST(HashValue, ConvertsOnALongFieldOrValue) {
  Rng rng(1);
  EncodingLimits limits;
  HashValue by_value;
  by_value.set("f", std::string(limits.hash_max_listpack_value, 'x'), limits, rng);
  EXPECT_STREQ(by_value.encoding(), "listpack");
  by_value.set("f", std::string(limits.hash_max_listpack_value + 1, 'x'), limits, rng);
  EXPECT_STREQ(by_value.encoding(), "hashtable");
  HashValue by_field;
  by_field.set(std::string(limits.hash_max_listpack_value + 1, 'f'), "v", limits, rng);
  EXPECT_STREQ(by_field.encoding(), "hashtable");
}

TEST(HashValue, RebuildEmitsHsetBatchesThatRecreateTheHash) {
  Rng rng(1);
  EncodingLimits limits;
  for (const int fields : {1, 5, 200}) {
    HashValue hash;
    std::map<std::string, std::string> model;
    for (int i = 0; i < fields; ++i) {
      hash.set("f" + std::to_string(i), "v" + std::to_string(i * 7), limits, rng);
      model["f" + std::to_string(i)] = "v" + std::to_string(i * 7);
    }
    const auto commands = rebuild_of(hash);
    const size_t per_command = constants::rebuild_items_per_command_max;
    EXPECT_EQ(commands.size(), (fields + per_command - 1) / per_command);
    std::map<std::string, std::string> rebuilt;
    for (const auto& argv : commands) {
      ASSERT_GE(argv.size(), 4u);
      EXPECT_EQ(argv[0], "HSET");
      EXPECT_EQ(argv[1], "k");
      EXPECT_EQ(argv.size() % 2, 0u);
      EXPECT_LE((argv.size() - 2) / 2, per_command);
      for (size_t i = 2; i + 1 < argv.size(); i += 2) rebuilt[argv[i]] = argv[i + 1];
    }
    EXPECT_EQ(rebuilt, model);
  }
}

}  // namespace
}  // namespace ringcache::store
