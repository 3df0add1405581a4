// The generic key family as a session: each expectation is what redis-server 7.0 answers.

#include <algorithm>
#include <chrono>
#include <set>
#include <string>

#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class KeysTest : public CommandFixture {
 protected:
  // The keys of an array reply, sorted (KEYS and SCAN order is the table's, not ours to fix).
  std::vector<std::string> sorted_keys(const Reply& array) {
    std::vector<std::string> keys;
    for (const auto& element : array.elements) keys.push_back(element.text);
    std::sort(keys.begin(), keys.end());
    return keys;
  }
  std::string now_plus_ms(int64_t delta) {
    return std::to_string(runtime().wall_time_ms() + delta);
  }
};

TEST_F(KeysTest, DelUnlinkExistsTouch) {
  EXPECT_EQ(cli({"MSET", "a", "1", "b", "2", "c", "3"}), "OK");
  EXPECT_EQ(cli({"EXISTS", "a", "a", "x"}), "(integer) 2") << "a key named twice counts twice";
  EXPECT_EQ(cli({"TOUCH", "a", "b", "x"}), "(integer) 2");
  EXPECT_EQ(cli({"DEL", "a", "a", "x"}), "(integer) 1");
  EXPECT_EQ(cli({"UNLINK", "b", "c"}), "(integer) 2");
  EXPECT_EQ(cli({"DBSIZE"}), "(integer) 0");
}

TEST_F(KeysTest, Type) {
  EXPECT_EQ(run({"TYPE", "k"}), "+none\r\n");
  EXPECT_EQ(cli({"SET", "k", "v"}), "OK");
  EXPECT_EQ(run({"TYPE", "k"}), "+string\r\n");
}

TEST_F(KeysTest, ExpireTtlPersist) {
  EXPECT_EQ(cli({"EXPIRE", "k", "10"}), "(integer) 0");
  EXPECT_EQ(cli({"TTL", "k"}), "(integer) -2");
  EXPECT_EQ(cli({"SET", "k", "v"}), "OK");
  EXPECT_EQ(cli({"TTL", "k"}), "(integer) -1");
  EXPECT_EQ(cli({"EXPIRETIME", "k"}), "(integer) -1");
  EXPECT_EQ(cli({"EXPIRE", "k", "10"}), "(integer) 1");
  EXPECT_EQ(cli({"PTTL", "k"}), "(integer) 10000");
  advance(milliseconds(2600));
  EXPECT_EQ(cli({"TTL", "k"}), "(integer) 7") << "7.4 s rounds to 7";
  EXPECT_EQ(cli({"PTTL", "k"}), "(integer) 7400");
  EXPECT_EQ(cli({"PERSIST", "k"}), "(integer) 1");
  EXPECT_EQ(cli({"PERSIST", "k"}), "(integer) 0");
  EXPECT_EQ(cli({"PERSIST", "missing"}), "(integer) 0");
  EXPECT_EQ(cli({"TTL", "k"}), "(integer) -1");
}

TEST_F(KeysTest, ExpireAtAndExpireTime) {
  EXPECT_EQ(cli({"SET", "k", "v"}), "OK");
  EXPECT_EQ(cli({"PEXPIREAT", "k", now_plus_ms(60'000)}), "(integer) 1");
  EXPECT_EQ(cli({"PEXPIRETIME", "k"}), "(integer) " + now_plus_ms(60'000));
  EXPECT_EQ(cli({"EXPIREAT", "k", "99999999999"}), "(integer) 1");
  EXPECT_EQ(cli({"EXPIRETIME", "k"}), "(integer) 99999999999");
  EXPECT_EQ(cli({"PEXPIREAT", "k", "99999999999500"}), "(integer) 1");
  EXPECT_EQ(cli({"EXPIRETIME", "k"}), "(integer) 100000000000") << "rounded to the nearest";
  EXPECT_EQ(cli({"PEXPIREAT", "k", "9223372036854775807"}), "(integer) 1");
  EXPECT_EQ(cli({"EXPIRETIME", "k"}), "(integer) 9223372036854776") << "no overflow rounding";
}

TEST_F(KeysTest, PastOrNegativeTimesDelete) {
  EXPECT_EQ(cli({"MSET", "a", "1", "b", "2", "c", "3", "d", "4"}), "OK");
  EXPECT_EQ(cli({"EXPIRE", "a", "0"}), "(integer) 1");
  EXPECT_EQ(cli({"PEXPIRE", "b", "-5"}), "(integer) 1");
  EXPECT_EQ(cli({"EXPIREAT", "c", "1"}), "(integer) 1");
  EXPECT_EQ(cli({"PEXPIREAT", "d", "-9223372036854775808"}), "(integer) 1");
  EXPECT_EQ(cli({"DBSIZE"}), "(integer) 0");
}

TEST_F(KeysTest, ExpireConditions) {
  EXPECT_EQ(cli({"SET", "k", "v"}), "OK");
  EXPECT_EQ(cli({"EXPIRE", "k", "100", "XX"}), "(integer) 0");
  EXPECT_EQ(cli({"EXPIRE", "k", "100", "GT"}), "(integer) 0") << "no expiry is infinite";
  EXPECT_EQ(cli({"EXPIRE", "k", "100", "NX"}), "(integer) 1");
  EXPECT_EQ(cli({"EXPIRE", "k", "200", "NX"}), "(integer) 0");
  EXPECT_EQ(cli({"EXPIRE", "k", "50", "GT"}), "(integer) 0");
  EXPECT_EQ(cli({"EXPIRE", "k", "200", "gt"}), "(integer) 1");
  EXPECT_EQ(cli({"EXPIRE", "k", "300", "LT"}), "(integer) 0");
  EXPECT_EQ(cli({"EXPIRE", "k", "150", "LT", "XX"}), "(integer) 1");
  EXPECT_EQ(cli({"TTL", "k"}), "(integer) 150");
  EXPECT_EQ(cli({"PERSIST", "k"}), "(integer) 1");
  EXPECT_EQ(cli({"EXPIRE", "k", "150", "LT"}), "(integer) 1") << "anything is less than infinite";
}

TEST_F(KeysTest, ExpireErrors) {
  EXPECT_EQ(cli({"EXPIRE", "k", "10", "NX", "XX"}),
            "(error) ERR NX and XX, GT or LT options at the same time are not compatible");
  EXPECT_EQ(cli({"EXPIRE", "k", "10", "NX", "GT"}),
            "(error) ERR NX and XX, GT or LT options at the same time are not compatible");
  EXPECT_EQ(cli({"EXPIRE", "k", "10", "GT", "LT"}),
            "(error) ERR GT and LT options at the same time are not compatible");
  EXPECT_EQ(cli({"EXPIRE", "k", "abc", "FOO"}), "(error) ERR Unsupported option FOO")
      << "options are read before the time";
  EXPECT_EQ(cli({"EXPIRE", "k", "abc"}), "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"EXPIRE", "k", "9223372036854775807"}),
            "(error) ERR invalid expire time in 'expire' command");
  EXPECT_EQ(cli({"EXPIRE", "k", "-9223372036854775808"}),
            "(error) ERR invalid expire time in 'expire' command");
  EXPECT_EQ(cli({"PEXPIRE", "k", "9223372036854775807"}),
            "(error) ERR invalid expire time in 'pexpire' command");
  EXPECT_EQ(cli({"EXPIREAT", "k", "9223372036854775807"}),
            "(error) ERR invalid expire time in 'expireat' command");
  EXPECT_EQ(cli({"PEXPIREAT", "k", "9223372036854775807"}), "(integer) 0");
}

TEST_F(KeysTest, ExpiredKeysDisappear) {
  EXPECT_EQ(cli({"SET", "k", "v", "PX", "100"}), "OK");
  EXPECT_EQ(cli({"SET", "keep", "v"}), "OK");
  advance(milliseconds(101));
  EXPECT_EQ(cli({"EXISTS", "k"}), "(integer) 0");
  EXPECT_EQ(cli({"TTL", "k"}), "(integer) -2");
  EXPECT_EQ(cli({"KEYS", "*"}), "1) \"keep\"");
}

TEST_F(KeysTest, RenameAndRenamenx) {
  EXPECT_EQ(cli({"RENAME", "a", "b"}), "(error) ERR no such key");
  EXPECT_EQ(cli({"RENAMENX", "a", "b"}), "(error) ERR no such key");
  EXPECT_EQ(cli({"RENAME", "a", "a"}), "(error) ERR no such key");
  EXPECT_EQ(cli({"SET", "a", "1", "EX", "100"}), "OK");
  EXPECT_EQ(cli({"RENAME", "a", "a"}), "OK");
  EXPECT_EQ(cli({"RENAMENX", "a", "a"}), "(integer) 0");
  EXPECT_EQ(cli({"RENAME", "a", "b"}), "OK");
  EXPECT_EQ(cli({"MGET", "a", "b"}), "1) (nil)\n2) \"1\"");
  EXPECT_EQ(cli({"TTL", "b"}), "(integer) 100") << "the expiry moves with the value";
  EXPECT_EQ(cli({"SET", "c", "2"}), "OK");
  EXPECT_EQ(cli({"RENAMENX", "b", "c"}), "(integer) 0");
  EXPECT_EQ(cli({"RENAME", "c", "b"}), "OK");
  EXPECT_EQ(cli({"TTL", "b"}), "(integer) -1") << "the replaced key's expiry goes";
  EXPECT_EQ(cli({"RENAMENX", "b", "d"}), "(integer) 1");
  EXPECT_EQ(cli({"KEYS", "*"}), "1) \"d\"");
}

TEST_F(KeysTest, KeysMatchesGlobs) {
  EXPECT_EQ(cli({"MSET", "one", "1", "two", "2", "three", "3", "four", "4", "", "e"}), "OK");
  EXPECT_EQ(sorted_keys(reply({"KEYS", "*o*"})), (std::vector<std::string>{"four", "one", "two"}));
  EXPECT_EQ(sorted_keys(reply({"KEYS", "t??"})), (std::vector<std::string>{"two"}));
  EXPECT_EQ(sorted_keys(reply({"KEYS", "[ot]*"})),
            (std::vector<std::string>{"one", "three", "two"}));
  EXPECT_EQ(reply({"KEYS", "*"}).elements.size(), 5u) << "\"*\" takes the empty key too";
  EXPECT_EQ(reply({"KEYS", "**"}).elements.size(), 4u) << "but a glob never matches it";
  EXPECT_EQ(cli({"KEYS", "nothing"}), "(empty array)");
}

TEST_F(KeysTest, ScanVisitsEveryKeyOnce) {
  std::set<std::string> expected;
  for (int i = 0; i < 300; ++i) {
    const std::string key = "key:" + std::to_string(i);
    EXPECT_EQ(cli({"SET", key, "v"}), "OK");
    if (key.ends_with("7")) expected.insert(key);
  }
  std::set<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    Reply page = reply({"SCAN", cursor, "MATCH", "*7", "COUNT", "20"});
    ASSERT_EQ(page.elements.size(), 2u);
    cursor = page.elements[0].text;
    for (const auto& key : page.elements[1].elements) seen.insert(key.text);
    ASSERT_LT(++calls, 1000);
  } while (cursor != "0");
  EXPECT_EQ(seen, expected);
}

TEST_F(KeysTest, ScanOptions) {
  EXPECT_EQ(cli({"SET", "k", "v"}), "OK");
  EXPECT_EQ(cli({"SCAN", "0"}), "1) \"0\"\n2) 1) \"k\"");
  EXPECT_EQ(cli({"SCAN", "0", "TYPE", "STRING"}), "1) \"0\"\n2) 1) \"k\"");
  EXPECT_EQ(cli({"SCAN", "0", "TYPE", "list"}), "1) \"0\"\n2) (empty array)");
  EXPECT_EQ(cli({"SCAN", "0", "TYPE", "nosuchtype"}), "1) \"0\"\n2) (empty array)");
  EXPECT_EQ(cli({"SCAN", "abc"}), "(error) ERR invalid cursor");
  EXPECT_EQ(cli({"SCAN", " 0"}), "(error) ERR invalid cursor");
  EXPECT_EQ(cli({"SCAN", "0", "COUNT", "0"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"SCAN", "0", "COUNT", "x"}),
            "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"SCAN", "0", "MATCH"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"SCAN", "0", "FOO", "bar"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"SCAN", "abc", "FOO"}), "(error) ERR invalid cursor") << "the cursor first";
}

TEST_F(KeysTest, RandomkeyDbsizeFlush) {
  EXPECT_EQ(cli({"RANDOMKEY"}), "(nil)");
  EXPECT_EQ(cli({"MSET", "a", "1", "b", "2"}), "OK");
  const std::string key = reply({"RANDOMKEY"}).text;
  EXPECT_TRUE(key == "a" || key == "b") << key;
  EXPECT_EQ(cli({"DBSIZE"}), "(integer) 2");
  EXPECT_EQ(cli({"FLUSHDB", "FOO"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"FLUSHALL", "SYNC", "ASYNC"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"FLUSHDB", "async"}), "OK");
  EXPECT_EQ(cli({"DBSIZE"}), "(integer) 0");
  EXPECT_EQ(cli({"SET", "c", "3"}), "OK");
  EXPECT_EQ(cli({"FLUSHALL"}), "OK");
  EXPECT_EQ(cli({"DBSIZE"}), "(integer) 0");
}

TEST_F(KeysTest, Object) {
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "k"}), "(nil)");
  EXPECT_EQ(cli({"SET", "k", "100"}), "OK");
  EXPECT_EQ(cli({"SET", "big", "100000"}), "OK");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "k"}), "\"int\"");
  EXPECT_EQ(cli({"OBJECT", "REFCOUNT", "k"}), "(integer) 2147483647") << "a shared integer";
  EXPECT_EQ(cli({"OBJECT", "REFCOUNT", "big"}), "(integer) 1");
  EXPECT_EQ(cli({"OBJECT", "IDLETIME", "k"}), "(integer) 0");
  EXPECT_EQ(cli({"OBJECT", "FREQ", "k"}),
            "(error) ERR An LFU maxmemory policy is not selected, access frequency not tracked. "
            "Please note that when switching between policies at runtime LRU and LFU data will "
            "take some time to adjust.");
  EXPECT_EQ(cli({"OBJECT", "FREQ", "missing"}), "(nil)");
  EXPECT_EQ(cli({"OBJECT", "NOPE", "k"}),
            "(error) ERR unknown subcommand 'NOPE'. Try OBJECT HELP.");
  EXPECT_EQ(cli({"OBJECT", "FREQ"}),
            "(error) ERR wrong number of arguments for 'object|freq' command");
  const Reply help = reply({"OBJECT", "HELP"});
  ASSERT_EQ(help.elements.size(), 15u);
  EXPECT_EQ(help.elements[0].text,
            "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
}

TEST_F(KeysTest, ObjectUnderLfu) {
  restart(
      [](server::Config& config) { config.eviction.policy = store::MaxmemoryPolicy::allkeys_lfu; });
  EXPECT_EQ(cli({"SET", "k", "v"}), "OK");
  EXPECT_EQ(cli({"OBJECT", "FREQ", "k"}), "(integer) 5") << "new keys start at LFU_INIT_VAL";
  EXPECT_EQ(cli({"OBJECT", "IDLETIME", "k"}),
            "(error) ERR An LFU maxmemory policy is selected, idle time not tracked. Please note "
            "that when switching between policies at runtime LRU and LFU data will take some "
            "time to adjust.");
}

TEST_F(KeysTest, CommandMetadataIsRegistered) {
  const auto& table = server().commands();
  const commands::CommandSpec* set = table.find("SET");
  ASSERT_NE(set, nullptr);
  EXPECT_EQ(set->arity, -3);
  EXPECT_EQ(set->acl_categories, "@write @string @slow");
  const commands::CommandSpec* rename = table.find("rename");
  ASSERT_NE(rename, nullptr);
  EXPECT_EQ(rename->keys.last, 2);
  const commands::CommandSpec* object = table.find("object");
  ASSERT_NE(object, nullptr);
  EXPECT_EQ(object->subcommands.size(), 5u);
  std::vector<std::string_view> mset{"MSET", "a", "1", "b", "2"};
  EXPECT_EQ(commands::CommandTable::key_positions(*table.find("mset"), mset),
            (std::vector<int>{1, 3}));
}

}  // namespace
}  // namespace ringcache::testing
