// The sorted set commands as a session: every expectation is what redis-server 7.0 answers to
// the same commands (checked by running them against it).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/store/keyspace.h"
#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

class ZsetsTest : public CommandFixture {};

TEST_F(ZsetsTest, ZaddFlagsScoresAndIncr) {
  EXPECT_EQ(cli({"ZADD", "z", "1", "a", "2", "b", "3", "c"}), "(integer) 3");
  EXPECT_EQ(cli({"ZADD", "z", "XX", "CH", "5", "a", "1", "new"}), "(integer) 1");
  EXPECT_EQ(cli({"ZADD", "z", "GT", "CH", "4", "a", "6", "b"}), "(integer) 1");
  EXPECT_EQ(cli({"ZADD", "z", "INCR", "1.5", "c"}), "\"4.5\"");
  EXPECT_EQ(cli({"ZADD", "z", "NX", "INCR", "1", "c"}), "(nil)");
  EXPECT_EQ(cli({"ZRANGE", "z", "0", "-1", "WITHSCORES"}),
            "1) \"c\"\n2) \"4.5\"\n3) \"a\"\n4) \"5\"\n5) \"b\"\n6) \"6\"");
  EXPECT_EQ(cli({"ZINCRBY", "z", "-inf", "b"}), "\"-inf\"");
  EXPECT_EQ(cli({"ZINCRBY", "z", "inf", "b"}), "(error) ERR resulting score is not a number (NaN)");
  EXPECT_EQ(cli({"ZCARD", "z"}), "(integer) 3");
}

TEST_F(ZsetsTest, ZaddRefusesBadArguments) {
  EXPECT_EQ(cli({"ZADD", "a", "NX", "XX", "1", "x"}),
            "(error) ERR XX and NX options at the same time are not compatible");
  EXPECT_EQ(cli({"ZADD", "a", "GT", "LT", "1", "x"}),
            "(error) ERR GT, LT, and/or NX options at the same time are not compatible");
  EXPECT_EQ(cli({"ZADD", "a", "INCR", "1", "x", "2", "y"}),
            "(error) ERR INCR option supports a single increment-element pair");
  EXPECT_EQ(cli({"ZADD", "a", "1", "x", "2"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"ZADD", "a", "abc", "x"}), "(error) ERR value is not a valid float");
  EXPECT_EQ(cli({"ZADD", "a", "nan", "x"}), "(error) ERR value is not a valid float");
  EXPECT_EQ(cli({"ZINCRBY", "a", "XX", "5"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"EXISTS", "a"}), "(integer) 0");
  EXPECT_EQ(cli({"SET", "s", "v"}), "OK");
  EXPECT_EQ(cli({"ZADD", "s", "1", "a"}),
            "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
}

TEST_F(ZsetsTest, LookupsAndRanks) {
  run({"ZADD", "z", "5", "a", "4.5", "c", "6", "b"});
  EXPECT_EQ(cli({"ZSCORE", "z", "nope"}), "(nil)");
  EXPECT_EQ(cli({"ZMSCORE", "z", "a", "nope"}), "1) \"5\"\n2) (nil)");
  EXPECT_EQ(cli({"ZRANK", "z", "a"}), "(integer) 1");
  EXPECT_EQ(cli({"ZREVRANK", "z", "c"}), "(integer) 2");
  EXPECT_EQ(cli({"ZCOUNT", "z", "(4.5", "+inf"}), "(integer) 2");
  EXPECT_EQ(cli({"ZCOUNT", "z", "x", "1"}), "(error) ERR min or max is not a float");
  EXPECT_EQ(cli({"ZRANGE", "z", "(4.5", "inf", "BYSCORE", "REV", "WITHSCORES"}), "(empty array)");
  EXPECT_EQ(cli({"ZRANGE", "z", "inf", "(4.5", "BYSCORE", "REV"}), "1) \"b\"\n2) \"a\"");
  EXPECT_EQ(cli({"ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "1", "1"}), "1) \"a\"");
  EXPECT_EQ(cli({"ZRANGE", "z", "0", "-1", "BYLEX"}),
            "(error) ERR min or max not valid string range item");
  EXPECT_EQ(cli({"ZRANGE", "z", "0", "1", "LIMIT", "0", "1"}),
            "(error) ERR syntax error, LIMIT is only supported in combination with either BYSCORE "
            "or BYLEX");
}

TEST_F(ZsetsTest, LexRangesOnEqualScores) {
  run({"ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d"});
  EXPECT_EQ(cli({"ZRANGEBYLEX", "l", "(a", "[c"}), "1) \"b\"\n2) \"c\"");
  EXPECT_EQ(cli({"ZREVRANGEBYLEX", "l", "+", "-", "LIMIT", "1", "2"}), "1) \"c\"\n2) \"b\"");
  EXPECT_EQ(cli({"ZLEXCOUNT", "l", "-", "(c"}), "(integer) 2");
  EXPECT_EQ(cli({"ZREMRANGEBYLEX", "l", "[b", "[c"}), "(integer) 2");
  EXPECT_EQ(cli({"ZRANGE", "l", "0", "-1"}), "1) \"a\"\n2) \"d\"");
}

TEST_F(ZsetsTest, RemovalsDeleteTheEmptiedKey) {
  run({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"});
  EXPECT_EQ(cli({"ZREM", "z", "a", "nope"}), "(integer) 1");
  EXPECT_EQ(cli({"ZREMRANGEBYRANK", "z", "-1", "-1"}), "(integer) 1");
  EXPECT_EQ(cli({"ZREMRANGEBYSCORE", "z", "(2", "3"}), "(integer) 1");
  EXPECT_EQ(cli({"ZPOPMAX", "z"}), "1) \"b\"\n2) \"2\"");
  EXPECT_EQ(cli({"EXISTS", "z"}), "(integer) 0");
  EXPECT_EQ(cli({"ZPOPMIN", "z", "-1"}), "(error) ERR value is out of range, must be positive");
  EXPECT_EQ(cli({"ZPOPMIN", "z", "2"}), "(empty array)");
}

TEST_F(ZsetsTest, PopsShapeTheirRepliesAsRedisPerProtocol) {
  run({"ZADD", "z", "1", "x", "2", "y", "3", "z", "4", "w"});
  EXPECT_EQ(run({"ZMPOP", "1", "z", "MIN", "COUNT", "2"}),
            "*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nx\r\n$1\r\n1\r\n*2\r\n$1\r\ny\r\n$1\r\n2\r\n");
  EXPECT_EQ(run({"ZMPOP", "1", "nokey", "MIN"}), "*-1\r\n");
  client().resp_version = 3;
  EXPECT_EQ(run({"ZPOPMIN", "z"}), "*2\r\n$1\r\nz\r\n,3\r\n");
  EXPECT_EQ(run({"ZPOPMIN", "z", "1"}), "*1\r\n*2\r\n$1\r\nw\r\n,4\r\n");
  run({"ZADD", "z", "1.1", "a"});
  EXPECT_EQ(run({"ZRANGE", "z", "0", "-1", "WITHSCORES"}),
            "*1\r\n*2\r\n$1\r\na\r\n,1.1000000000000001\r\n");
}

TEST_F(ZsetsTest, StoreCommandsAndSetOperations) {
  run({"ZADD", "a", "1", "x", "2", "y", "3", "z"});
  run({"ZADD", "b", "10", "y", "20", "z", "30", "w"});
  EXPECT_EQ(cli({"ZUNION", "2", "a", "b", "WEIGHTS", "1", "2", "WITHSCORES"}),
            "1) \"x\"\n2) \"1\"\n3) \"y\"\n4) \"22\"\n5) \"z\"\n6) \"43\"\n7) \"w\"\n8) \"60\"");
  EXPECT_EQ(cli({"ZINTER", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES"}),
            "1) \"y\"\n2) \"2\"\n3) \"z\"\n4) \"3\"");
  EXPECT_EQ(cli({"ZDIFF", "2", "a", "b"}), "1) \"x\"");
  EXPECT_EQ(cli({"ZINTERSTORE", "d", "2", "a", "b"}), "(integer) 2");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "d"}), "\"listpack\"");
  EXPECT_EQ(cli({"ZRANGE", "d", "0", "-1", "WITHSCORES"}),
            "1) \"y\"\n2) \"12\"\n3) \"z\"\n4) \"23\"");
  EXPECT_EQ(cli({"ZINTERCARD", "2", "a", "b", "LIMIT", "1"}), "(integer) 1");
  EXPECT_EQ(cli({"ZRANGESTORE", "d", "a", "1", "(2", "BYSCORE"}), "(integer) 1");
  EXPECT_EQ(cli({"ZDIFFSTORE", "d", "1", "nokey"}), "(integer) 0");
  EXPECT_EQ(cli({"EXISTS", "d"}), "(integer) 0");
  EXPECT_EQ(cli({"ZUNIONSTORE", "d", "0", "a"}),
            "(error) ERR at least 1 input key is needed for 'zunionstore' command");
  EXPECT_EQ(cli({"ZINTER", "1", "a", "WEIGHTS", "x"}), "(error) ERR weight value is not a float");
  EXPECT_EQ(cli({"ZINTERCARD", "1", "a", "LIMIT", "-1"}), "(error) ERR LIMIT can't be negative");
}

TEST_F(ZsetsTest, EncodingFollowsTheListpackLimits) {
  run({"CONFIG", "SET", "zset-max-listpack-entries", "2"});
  run({"ZADD", "z", "1", "a", "2", "b"});
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "z"}), "\"listpack\"");
  run({"ZADD", "z", "3", "c"});
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "z"}), "\"skiplist\"");
  EXPECT_EQ(cli({"TYPE", "z"}), "zset");
  run({"CONFIG", "SET", "zset-max-listpack-entries", "0"});
  run({"ZADD", "fresh", "1", "a"});
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "fresh"}), "\"skiplist\"");
  EXPECT_EQ(cli({"GET", "fresh"}),
            "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
}

TEST_F(ZsetsTest, RandomMembersAndScan) {
  run({"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  EXPECT_EQ(reply({"ZRANDMEMBER", "z", "-5"}).elements.size(), 5u);
  EXPECT_EQ(reply({"ZRANDMEMBER", "z", "2", "WITHSCORES"}).elements.size(), 4u);
  EXPECT_EQ(cli({"ZRANDMEMBER", "z", "5"}), "1) \"c\"\n2) \"b\"\n3) \"a\"");
  EXPECT_EQ(cli({"ZRANDMEMBER", "z", "1", "x"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"ZSCAN", "z", "0", "MATCH", "b*"}), "1) \"0\"\n2) 1) \"b\"\n   2) \"2\"");
  EXPECT_EQ(cli({"ZSCAN", "z", "x"}), "(error) ERR invalid cursor");
  EXPECT_EQ(cli({"ZSCAN", "z", "0", "TYPE", "string"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"ZSCAN", "z", "0", "COUNT", "0"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"ZSCAN", "z", "0", "COUNT", "x"}),
            "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"ZSCAN", "z", "0", "MATCH"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"ZSCAN", "none", "0", "FOO"}), "1) \"0\"\n2) (empty array)");
}

TEST_F(ZsetsTest, BlockingPopsAnswerAtOnceWhenTheyCan) {
  EXPECT_EQ(cli({"ZADD", "z", "1", "a", "2", "b", "3", "c"}), "(integer) 3");
  EXPECT_EQ(cli({"BZPOPMIN", "none", "z", "0"}), "1) \"z\"\n2) \"a\"\n3) \"1\"");
  EXPECT_EQ(cli({"BZPOPMAX", "z", "0"}), "1) \"z\"\n2) \"c\"\n3) \"3\"");
  EXPECT_EQ(cli({"ZADD", "y", "5", "p", "6", "q"}), "(integer) 2");
  EXPECT_EQ(cli({"BZMPOP", "0", "3", "none", "y", "z", "MAX", "COUNT", "5"}),
            "1) \"y\"\n2) 1) 1) \"q\"\n      2) \"6\"\n   2) 1) \"p\"\n      2) \"5\"");
  EXPECT_EQ(cli({"BZMPOP", "0", "1", "z", "MIN"}), "1) \"z\"\n2) 1) 1) \"b\"\n      2) \"2\"");
  EXPECT_EQ(cli({"EXISTS", "z", "y"}), "(integer) 0");
}

TEST_F(ZsetsTest, BlockingPopsRefuseBadArguments) {
  EXPECT_EQ(cli({"BZPOPMIN", "z", "-1"}), "(error) ERR timeout is negative");
  EXPECT_EQ(cli({"BZPOPMIN", "z", "x"}), "(error) ERR timeout is not a float or out of range");
  EXPECT_EQ(cli({"BZPOPMAX", "z", "inf"}), "(error) ERR timeout is negative");
  EXPECT_EQ(cli({"BZMPOP", "x", "1", "z", "MIN"}),
            "(error) ERR timeout is not a float or out of range");
  EXPECT_EQ(cli({"BZMPOP", "0", "0", "z", "MIN"}), "(error) ERR numkeys should be greater than 0");
  EXPECT_EQ(cli({"BZMPOP", "0", "1", "z", "MID"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"BZMPOP", "0", "1", "z", "MIN", "COUNT", "0"}),
            "(error) ERR count should be greater than 0");
  EXPECT_EQ(cli({"BZMPOP", "0", "1", "z", "MIN", "COUNT"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"BZMPOP", "0", "3", "z", "MIN"}), "(error) ERR syntax error");
  // A key of another type before the first sorted set is refused; after it, it is not looked at.
  EXPECT_EQ(cli({"SET", "str", "v"}), "OK");
  EXPECT_EQ(cli({"BZPOPMIN", "none", "str", "0"}),
            "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(cli({"BZMPOP", "0", "2", "none", "str", "MIN"}),
            "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(cli({"ZADD", "z", "1", "a"}), "(integer) 1");
  EXPECT_EQ(cli({"BZPOPMIN", "z", "str", "0"}), "1) \"z\"\n2) \"a\"\n3) \"1\"");
}

// Inside MULTI/EXEC the blocking pops answer a null array at once, in RESP3 too (as Redis 7.0),
// where an immediate pop keeps its shape with a double score.
TEST_F(ZsetsTest, BlockingPopsDoNotBlockWhenDenied) {
  client().in_exec = true;
  EXPECT_EQ(run({"BZPOPMIN", "z", "0"}), "*-1\r\n");
  EXPECT_EQ(run({"BZMPOP", "0", "1", "z", "MIN"}), "*-1\r\n");
  client().resp_version = 3;
  EXPECT_EQ(run({"BZPOPMAX", "z", "y", "0"}), "_\r\n");
  run({"ZADD", "z", "1", "a", "2", "b"});
  EXPECT_EQ(run({"BZPOPMIN", "z", "0"}), "*3\r\n$1\r\nz\r\n$1\r\na\r\n,1\r\n");
  EXPECT_EQ(run({"BZMPOP", "0", "1", "z", "MAX"}), "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n,2\r\n");
}

// The blocking pops propagate as ZPOPMIN/ZPOPMAX (with the number taken when BZMPOP/ZMPOP ran).
TEST_F(ZsetsTest, PopsPropagateAsPlainPops) {
  run({"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"});
  const auto propagated = [this](std::vector<std::string> argv) {
    server().propagation().begin_command();
    run(std::move(argv));
    EXPECT_EQ(server().propagation().commands().size(), 1u);
    return server().propagation().commands().empty() ? std::vector<std::string>{}
                                                     : server().propagation().commands()[0];
  };
  EXPECT_EQ(propagated({"BZPOPMIN", "z", "0"}), (std::vector<std::string>{"ZPOPMIN", "z"}));
  EXPECT_EQ(propagated({"BZPOPMAX", "none", "z", "0"}),
            (std::vector<std::string>{"ZPOPMAX", "z"}));
  EXPECT_EQ(propagated({"BZMPOP", "0", "1", "z", "MAX", "COUNT", "5"}),
            (std::vector<std::string>{"ZPOPMAX", "z", "2"}));
  run({"ZADD", "z", "1", "a"});
  EXPECT_EQ(propagated({"ZMPOP", "1", "z", "MIN"}),
            (std::vector<std::string>{"ZPOPMIN", "z", "1"}));
}

}  // namespace
}  // namespace ringcache::testing
