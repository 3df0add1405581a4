// Key -> slot as Redis Cluster computes it. Expected slots are redis-server 7.0's CLUSTER KEYSLOT
// answers (the first ones are also the examples of the Redis Cluster specification).

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>

#include "core/cluster/key_slot.h"

namespace ringcache::cluster {
namespace {

// The CRC computed bit by bit, straight from its definition, to check the table-driven one.
uint16_t crc16_bitwise(std::string_view bytes) {
  uint16_t crc = 0;
  for (const char c : bytes) {
    crc ^= static_cast<uint16_t>(static_cast<uint8_t>(c) << 8);
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

TEST(ClusterKeySlot, Crc16CheckValue) {
  // The standard check value of CRC-16/XMODEM.
  EXPECT_EQ(crc16_xmodem("123456789"), 0x31c3);
  EXPECT_EQ(crc16_xmodem(""), 0);
}

TEST(ClusterKeySlot, MatchesRedis) {
  EXPECT_EQ(key_slot("somekey"), 11058);
  EXPECT_EQ(key_slot("foo"), 12182);
  EXPECT_EQ(key_slot("bar"), 5061);
  EXPECT_EQ(key_slot("123456789"), 12739);
  EXPECT_EQ(key_slot(""), 0);
  EXPECT_EQ(key_slot("{}"), 15257);
  EXPECT_EQ(key_slot("{"), 4092);
  EXPECT_EQ(key_slot("bar}"), 6624);
  EXPECT_EQ(key_slot("a{b}c"), 3300);
  EXPECT_EQ(key_slot("}{x}"), 16287);
  EXPECT_EQ(key_slot(std::string("bin\0\xff{}", 7)), 9869);
}

TEST(ClusterKeySlot, HashTags) {
  EXPECT_EQ(key_slot("{user1000}.following"), 3443);
  EXPECT_EQ(key_slot("{user1000}.followers"), 3443);
  // An empty tag: the whole key is hashed.
  EXPECT_EQ(hash_tag("foo{}{bar}"), "foo{}{bar}");
  EXPECT_EQ(key_slot("foo{}{bar}"), 8363);
  // The tag runs from the first '{' to the first '}' after it.
  EXPECT_EQ(hash_tag("foo{{bar}}zap"), "{bar");
  EXPECT_EQ(key_slot("foo{{bar}}zap"), key_slot("{bar"));
  EXPECT_EQ(key_slot("foo{{bar}}zap"), 4015);
  EXPECT_EQ(hash_tag("foo{bar}{zap}"), "bar");
  EXPECT_EQ(key_slot("foo{bar}{zap}"), key_slot("bar"));
  EXPECT_EQ(hash_tag("no tag"), "no tag");
  EXPECT_EQ(hash_tag("{unclosed"), "{unclosed");
}

RC_GTEST_PROP(ClusterKeySlotProperty, TableCrcEqualsBitwiseCrc, (const std::string& bytes)) {
  RC_ASSERT(crc16_xmodem(bytes) == crc16_bitwise(bytes));
}

RC_GTEST_PROP(ClusterKeySlotProperty, KeysWithATagShareItsSlot,
              (const std::string& prefix, const std::string& tag, const std::string& suffix)) {
  RC_PRE(prefix.find('{') == std::string::npos);
  RC_PRE(!tag.empty() && tag.find('}') == std::string::npos);
  const std::string key = prefix + "{" + tag + "}" + suffix;
  RC_ASSERT(key_slot(key) == key_slot(tag));
  RC_ASSERT(key_slot(key) == (crc16_bitwise(tag) & (constants::cluster_slots - 1)));
}

RC_GTEST_PROP(ClusterKeySlotProperty, SlotsAreInRange, (const std::string& key)) {
  RC_ASSERT(key_slot(key) < constants::cluster_slots);
}

}  // namespace
}  // namespace ringcache::cluster
