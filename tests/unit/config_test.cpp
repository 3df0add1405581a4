// Config: values as redis.conf reads them, the config file and command-line readers, CONFIG SET's
// error words.

#include "core/server/config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "core/server/config/config_values.h"

namespace ringcache::server {
namespace {

using ::testing::HasSubstr;

TEST(ConfigValuesTest, MemoryUnitsAsRedisConf) {
  EXPECT_EQ(parse_memory("100").value(), 100);
  EXPECT_EQ(parse_memory("1k").value(), 1000);
  EXPECT_EQ(parse_memory("1kb").value(), 1024);
  EXPECT_EQ(parse_memory("2M").value(), 2000000);
  EXPECT_EQ(parse_memory("2mB").value(), 2 * 1024 * 1024);
  EXPECT_EQ(parse_memory("1GB").value(), 1024LL * 1024 * 1024);
  EXPECT_EQ(parse_memory("3g").value(), 3000000000LL);
  for (const char* bad : {"", "mb", "-1", "1.5mb", "1tb", "1 mb", "99999999999999999999"}) {
    auto parsed = parse_memory(bad);
    ASSERT_FALSE(parsed.is_ok()) << bad;
    EXPECT_EQ(parsed.status().message(), "argument must be a memory value");
  }
}

TEST(ConfigValuesTest, BoundedIntegers) {
  EXPECT_EQ(parse_bounded_int("5", 0, 10).value(), 5);
  EXPECT_EQ(parse_bounded_int("+5", 0, 10).status().message(),
            "argument couldn't be parsed into an integer");
  EXPECT_EQ(parse_bounded_int("11", 0, 10).status().message(),
            "argument must be between 0 and 10 inclusive");
}

TEST(ConfigTest, SetAndGetByRedisNames) {
  Config config;
  EXPECT_TRUE(config.set("MAXMEMORY", "10mb").is_ok());
  EXPECT_EQ(config.eviction.maxmemory_bytes, 10u * 1024 * 1024);
  EXPECT_EQ(config.get("maxmemory"), "10485760");
  EXPECT_TRUE(config.set("maxmemory-policy", "ALLKEYS-LRU").is_ok());
  EXPECT_EQ(config.get("maxmemory-policy"), "allkeys-lru");
  EXPECT_TRUE(config.set("hz", "1000").is_ok());
  EXPECT_EQ(config.hz, constants::hz_max);  // clamped, as Redis does
  EXPECT_TRUE(config.set("hz", "0").is_ok());
  EXPECT_EQ(config.hz, constants::hz_min);
  EXPECT_EQ(config.get("appendonly"), "no");
  EXPECT_EQ(config.get("databases"), "1");
  EXPECT_EQ(config.get("nosuch"), std::nullopt);
}

TEST(ConfigTest, SetErrorsInRedisWords) {
  Config config;
  EXPECT_EQ(config.set("nosuch", "1").message(),
            "Unknown option or number of arguments for CONFIG SET - 'nosuch'");
  EXPECT_EQ(config.set("hz", "abc").message(),
            "CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed "
            "into an integer");
  EXPECT_EQ(config.set("maxmemory-policy", "lru").message(),
            "CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) "
            "must be one of the following: volatile-lru, volatile-lfu, volatile-random, "
            "volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction");
  EXPECT_TRUE(config.set("maxmemory-policy", "ALLKEYS-S3FIFO"));  // the lab's, as CONFIG SET
  EXPECT_EQ(config.eviction.policy, store::MaxmemoryPolicy::allkeys_s3fifo);
  EXPECT_EQ(config.get("maxmemory-policy"), "allkeys-s3fifo");
  EXPECT_TRUE(config.set("maxmemory-policy", "volatile-wtinylfu-adaptive"));
  EXPECT_EQ(config.eviction.policy, store::MaxmemoryPolicy::volatile_wtinylfu_adaptive);
  EXPECT_EQ(config.set("timeout", "-1").message(),
            "CONFIG SET failed (possibly related to argument 'timeout') - argument must be "
            "between 0 and 2147483647 inclusive");
  EXPECT_EQ(config.set("maxclients", "0").message(),
            "CONFIG SET failed (possibly related to argument 'maxclients') - argument must be "
            "between 1 and 4294967295 inclusive");
  EXPECT_THAT(config.set("proto-max-bulk-len", "10").message(),
              HasSubstr("argument must be between 1048576 and 9223372036854775807 inclusive"));
  EXPECT_THAT(config.set("appendonly", "maybe").message(), HasSubstr("'yes' or 'no'"));
}

TEST(ConfigTest, MatchingIsAGlobOverSortedNames) {
  Config config;
  const auto found = config.matching("maxmemory*");
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].first, "maxmemory");
  EXPECT_EQ(found[1].first, "maxmemory-clients");
  EXPECT_EQ(found[2].first, "maxmemory-policy");
  EXPECT_EQ(found[3].first, "maxmemory-samples");
  EXPECT_EQ(config.matching("MAXMEMORY").size(), 1u);
}

// A hidden option (key-load-delay, as Redis) answers to its exact name only.
TEST(ConfigTest, HiddenOptionsAnswerOnlyToTheirName) {
  Config config;
  const auto all = config.matching("*");
  EXPECT_TRUE(std::none_of(all.begin(), all.end(),
                           [](const auto& pair) { return pair.first == "key-load-delay"; }));
  ASSERT_EQ(config.matching("KEY-LOAD-DELAY").size(), 1u);
  EXPECT_EQ(config.matching("key-load-delay")[0].second, "0");
  EXPECT_TRUE(config.matching("key-load-*").empty());
}

TEST(ConfigTest, MaxmemoryClientsTakesBytesOrAPercentOfMaxmemory) {
  Config config;
  EXPECT_TRUE(config.set("maxmemory-clients", "10%").is_ok());
  EXPECT_EQ(config.get("maxmemory-clients"), "10%");
  EXPECT_TRUE(config.set("maxmemory-clients", "1mb").is_ok());
  EXPECT_EQ(config.get("maxmemory-clients"), "1048576");
  EXPECT_EQ(config.set("maxmemory-clients", "200%").message(),
            "CONFIG SET failed (possibly related to argument 'maxmemory-clients') - percentage "
            "argument must be less or equal to 100");
  EXPECT_EQ(config.get("maxmemory-clients"), "1048576");
}

TEST(ConfigTest, Mutability) {
  EXPECT_TRUE(Config::is_mutable("maxmemory"));
  EXPECT_TRUE(Config::is_mutable("port"));  // the node moves its listener
  EXPECT_FALSE(Config::is_mutable("bind"));
  EXPECT_FALSE(Config::is_mutable("dir"));
  EXPECT_FALSE(Config::is_mutable("nosuch"));
}

TEST(ConfigFileTest, ParsesDirectivesCommentsAndQuotes) {
  auto config = parse_config_text(
      "# a comment\n"
      "port 7000\r\n"
      "\n"
      "   maxmemory 1gb\n"
      "requirepass \"sec ret\"\n"
      "bind 127.0.0.1 -::1\n"
      "save 3600 1 300 100\n"
      "databases 16\n");
  ASSERT_TRUE(config.is_ok()) << config.status().to_string();
  EXPECT_EQ(config->port, 7000);
  EXPECT_EQ(config->eviction.maxmemory_bytes, 1024u * 1024 * 1024);
  EXPECT_EQ(config->requirepass, "sec ret");
  EXPECT_EQ(config->bind, "127.0.0.1");
  EXPECT_EQ(config->save, "3600 1 300 100");
}

TEST(ConfigFileTest, ErrorsNameTheLineAndTheProblem) {
  auto unknown = parse_config_text("port 7000\nfoo bar\n");
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_EQ(unknown.status().message(),
            "config file line 2: >>> 'foo bar': Bad directive or wrong number of arguments");
  auto too_many = parse_config_text("hz 1 2\n");
  EXPECT_THAT(too_many.status().message(), HasSubstr("Bad directive or wrong number"));
  auto bad_value = parse_config_text("hz x\n");
  EXPECT_EQ(bad_value.status().message(),
            "config file line 1: >>> 'hz x': argument couldn't be parsed into an integer");
  auto quotes = parse_config_text("requirepass \"open\n");
  EXPECT_THAT(quotes.status().message(), HasSubstr("Unbalanced quotes"));
}

TEST(ConfigCommandLineTest, AppliesOnTopOfTheFile) {
  Config base;
  base.port = 7000;
  auto config = apply_command_line({"--maxmemory", "5mb", "--save", "", "--hz", "20"}, base);
  ASSERT_TRUE(config.is_ok()) << config.status().to_string();
  EXPECT_EQ(config->port, 7000);
  EXPECT_EQ(config->eviction.maxmemory_bytes, 5u * 1024 * 1024);
  EXPECT_EQ(config->hz, 20);
}

TEST(ConfigCommandLineTest, UnknownOptionIsNamed) {
  EXPECT_EQ(apply_command_line({"--nosuch", "1"}, {}).status().message(),
            "Unknown option 'nosuch'");
  EXPECT_EQ(apply_command_line({"port"}, {}).status().message(), "Unexpected argument 'port'");
  EXPECT_THAT(apply_command_line({"--port", "x"}, {}).status().message(),
              HasSubstr("couldn't be parsed into an integer"));
}

}  // namespace
}  // namespace ringcache::server
