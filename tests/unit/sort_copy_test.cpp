// SORT, SORT_RO, COPY and COMMAND GETKEYS(ANDFLAGS) as sessions, against Redis 7.0's replies.

#include <gmock/gmock.h>

#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

class SortTest : public CommandFixture {};

TEST_F(SortTest, NumericAlphaDescAndLimit) {
  run({"RPUSH", "l", "3", "10", "1", "2"});
  EXPECT_EQ(cli({"SORT", "l"}), "1) \"1\"\n2) \"2\"\n3) \"3\"\n4) \"10\"");
  EXPECT_EQ(cli({"SORT", "l", "ALPHA"}), "1) \"1\"\n2) \"10\"\n3) \"2\"\n4) \"3\"");
  EXPECT_EQ(cli({"SORT", "l", "DESC", "LIMIT", "1", "2"}), "1) \"3\"\n2) \"2\"");
  EXPECT_EQ(cli({"SORT", "l", "LIMIT", "10", "2"}), "(empty array)");
  EXPECT_EQ(cli({"SORT", "l", "LIMIT", "-5", "-1"}), "1) \"1\"\n2) \"2\"\n3) \"3\"\n4) \"10\"");
  EXPECT_EQ(cli({"SORT_RO", "l", "desc", "alpha"}), "1) \"3\"\n2) \"2\"\n3) \"10\"\n4) \"1\"");
  EXPECT_EQ(cli({"SORT", "nosuchkey"}), "(empty array)");
}

TEST_F(SortTest, ErrorsInRedisWords) {
  run({"RPUSH", "l", "1", "x"});
  EXPECT_EQ(run({"SORT", "l"}), "-ERR One or more scores can't be converted into double\r\n");
  EXPECT_EQ(run({"SORT", "l", "LIMIT", "a", "1"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"SORT", "l", "BOGUS"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"SORT_RO", "l", "STORE", "d"}), "-ERR syntax error\r\n");
  run({"SET", "s", "v"});
  EXPECT_EQ(run({"SORT", "s"}),
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

TEST_F(SortTest, ByPatternsWeightsAndNosort) {
  run({"RPUSH", "l", "a", "b", "c"});
  run({"MSET", "w_a", "3", "w_b", "1", "w_c", "2"});
  EXPECT_EQ(cli({"SORT", "l", "BY", "w_*"}), "1) \"b\"\n2) \"c\"\n3) \"a\"");
  // Equal weights (missing keys weigh 0) fall back to the elements' order.
  EXPECT_EQ(cli({"SORT", "l", "BY", "missing_*"}), "1) \"a\"\n2) \"b\"\n3) \"c\"");
  EXPECT_EQ(cli({"SORT", "l", "BY", "nosort", "DESC"}), "1) \"a\"\n2) \"b\"\n3) \"c\"");
  run({"HSET", "h_a", "f", "z"});
  run({"HSET", "h_b", "f", "x"});
  EXPECT_EQ(cli({"SORT", "l", "BY", "h_*->f", "ALPHA"}), "1) \"c\"\n2) \"b\"\n3) \"a\"");
}

TEST_F(SortTest, GetPatternsHashFieldsAndHash) {
  run({"RPUSH", "l", "2", "1"});
  run({"SET", "name_1", "one"});
  run({"HSET", "obj_2", "title", "two"});
  EXPECT_EQ(cli({"SORT", "l", "GET", "#", "GET", "name_*", "GET", "obj_*->title"}),
            "1) \"1\"\n2) \"one\"\n3) (nil)\n4) \"2\"\n5) (nil)\n6) \"two\"");
  EXPECT_EQ(cli({"SORT", "l", "GET", "nostar"}), "1) (nil)\n2) (nil)");
}

TEST_F(SortTest, SortedSetWithoutSortingKeepsRankOrderAndLimit) {
  run({"ZADD", "z", "1", "c", "2", "b", "3", "a"});
  EXPECT_EQ(cli({"SORT", "z", "BY", "nosort"}), "1) \"c\"\n2) \"b\"\n3) \"a\"");
  EXPECT_EQ(cli({"SORT", "z", "BY", "nosort", "DESC", "LIMIT", "0", "2"}), "1) \"a\"\n2) \"b\"");
  EXPECT_EQ(cli({"SORT", "z", "ALPHA"}), "1) \"a\"\n2) \"b\"\n3) \"c\"");
}

TEST_F(SortTest, StoreWritesAListAndEmptyResultDeletes) {
  run({"SADD", "s", "b", "a", "c"});
  EXPECT_EQ(run({"SORT", "s", "BY", "nosort", "STORE", "dst"}), ":3\r\n");
  EXPECT_EQ(cli({"LRANGE", "dst", "0", "-1"}), "1) \"a\"\n2) \"b\"\n3) \"c\"");
  EXPECT_EQ(run({"SORT", "s", "ALPHA", "GET", "none_*", "STORE", "dst"}), ":3\r\n");
  EXPECT_EQ(cli({"LRANGE", "dst", "0", "-1"}), "1) \"\"\n2) \"\"\n3) \"\"");
  EXPECT_EQ(run({"SORT", "nosuchkey", "STORE", "dst"}), ":0\r\n");
  EXPECT_EQ(run({"EXISTS", "dst"}), ":0\r\n");
}

TEST_F(SortTest, GetKeysFindsTheStoreDestination) {
  EXPECT_EQ(cli({"COMMAND", "GETKEYS", "SORT", "k", "LIMIT", "0", "1", "STORE", "d"}),
            "1) \"k\"\n2) \"d\"");
  EXPECT_EQ(cli({"COMMAND", "GETKEYS", "SORT", "k", "GET", "store", "BY", "x"}), "1) \"k\"");
  EXPECT_EQ(cli({"COMMAND", "GETKEYS", "SORT_RO", "k"}), "1) \"k\"");
  EXPECT_EQ(cli({"COMMAND", "GETKEYSANDFLAGS", "SET", "k", "v"}),
            "1) 1) \"k\"\n   2) 1) OW\n      2) update");
  EXPECT_EQ(cli({"COMMAND", "GETKEYSANDFLAGS", "SORT", "k", "STORE", "d"}),
            "1) 1) \"k\"\n   2) 1) RO\n      2) access\n"
            "2) 1) \"d\"\n   2) 1) OW\n      2) update");
  EXPECT_EQ(cli({"COMMAND", "GETKEYSANDFLAGS", "GET", "k"}),
            "1) 1) \"k\"\n   2) 1) RO\n      2) access");
}

class CopyTest : public CommandFixture {};

TEST_F(CopyTest, CopiesEveryTypeWithItsExpiry) {
  run({"SET", "s", "v", "EX", "100"});
  run({"RPUSH", "l", "a", "b"});
  run({"SADD", "set", "1", "x"});
  run({"ZADD", "z", "1.5", "m", "2", "n"});
  run({"HSET", "h", "f", "v"});
  for (const char* key : {"s", "l", "set", "z", "h"}) {
    EXPECT_EQ(run({"COPY", key, std::string(key) + "2"}), ":1\r\n") << key;
  }
  EXPECT_EQ(cli({"GET", "s2"}), "\"v\"");
  EXPECT_EQ(cli({"TTL", "s2"}), "(integer) 100");
  EXPECT_EQ(cli({"LRANGE", "l2", "0", "-1"}), "1) \"a\"\n2) \"b\"");
  EXPECT_EQ(cli({"SISMEMBER", "set2", "x"}), "(integer) 1");
  EXPECT_EQ(cli({"ZRANGE", "z2", "0", "-1", "WITHSCORES"}),
            "1) \"m\"\n2) \"1.5\"\n3) \"n\"\n4) \"2\"");
  EXPECT_EQ(cli({"HGET", "h2", "f"}), "\"v\"");
  // A copy is independent of its source.
  run({"RPUSH", "l2", "c"});
  EXPECT_EQ(cli({"LLEN", "l"}), "(integer) 2");
  EXPECT_EQ(cli({"TTL", "l2"}), "(integer) -1");
}

TEST_F(CopyTest, ReplaceDbAndErrors) {
  run({"SET", "a", "1"});
  run({"SET", "b", "2"});
  EXPECT_EQ(run({"COPY", "a", "b"}), ":0\r\n");
  EXPECT_EQ(run({"COPY", "a", "b", "REPLACE"}), ":1\r\n");
  EXPECT_EQ(cli({"GET", "b"}), "\"1\"");
  EXPECT_EQ(run({"COPY", "nosuch", "b", "REPLACE"}), ":0\r\n");
  EXPECT_EQ(cli({"GET", "b"}), "\"1\"");
  EXPECT_EQ(run({"COPY", "a", "a"}), "-ERR source and destination objects are the same\r\n");
  EXPECT_EQ(run({"COPY", "a", "c", "DB", "0"}), ":1\r\n");
  EXPECT_EQ(run({"COPY", "a", "d", "DB", "1"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(run({"COPY", "a", "d", "DB", "x"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(run({"COPY", "a", "d", "FOO"}), "-ERR syntax error\r\n");
}

}  // namespace
}  // namespace ringcache::testing
