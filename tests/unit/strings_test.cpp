// The string family as a session: each expectation is what redis-server 7.0 answers.

#include <chrono>
#include <string>

#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class StringsTest : public CommandFixture {};

TEST_F(StringsTest, SetAndGet) {
  EXPECT_EQ(cli({"GET", "k"}), "(nil)");
  EXPECT_EQ(run({"SET", "k", "v"}), "+OK\r\n");
  EXPECT_EQ(run({"GET", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(cli({"SET", "k", ""}), "OK");
  EXPECT_EQ(run({"GET", "k"}), "$0\r\n\r\n");
  EXPECT_EQ(cli({"set", "k", std::string("bin\r\n\0x", 7)}), "OK");
  EXPECT_EQ(cli({"STRLEN", "k"}), "(integer) 7");
}

TEST_F(StringsTest, SetNxXxGet) {
  EXPECT_EQ(cli({"SET", "k", "a", "XX"}), "(nil)");
  EXPECT_EQ(cli({"SET", "k", "a", "NX"}), "OK");
  EXPECT_EQ(cli({"SET", "k", "b", "NX"}), "(nil)");
  EXPECT_EQ(cli({"SET", "k", "b", "xx"}), "OK");
  EXPECT_EQ(cli({"SET", "k", "c", "GET"}), "\"b\"");
  EXPECT_EQ(cli({"SET", "n", "c", "GET"}), "(nil)");
  EXPECT_EQ(cli({"GET", "n"}), "\"c\"");
  // GET with NX is allowed since 7.0: it answers the old value whether or not it sets.
  EXPECT_EQ(cli({"SET", "k", "d", "NX", "GET"}), "\"c\"");
  EXPECT_EQ(cli({"GET", "k"}), "\"c\"");
  EXPECT_EQ(cli({"SET", "fresh", "d", "XX", "GET"}), "(nil)");
  EXPECT_EQ(cli({"EXISTS", "fresh"}), "(integer) 0");
}

TEST_F(StringsTest, SetOptionConflictsAreSyntaxErrors) {
  for (auto options : std::vector<std::vector<std::string>>{{"NX", "XX"},
                                                            {"XX", "NX"},
                                                            {"EX", "10", "PX", "10"},
                                                            {"EX", "10", "KEEPTTL"},
                                                            {"KEEPTTL", "PX", "5"},
                                                            {"EXAT", "10", "PXAT", "10"},
                                                            {"EX"},
                                                            {"PERSIST"},
                                                            {"FOO"},
                                                            {"EX", "10", "EXAT", "10"}}) {
    std::vector<std::string> argv{"SET", "k", "v"};
    argv.insert(argv.end(), options.begin(), options.end());
    EXPECT_EQ(cli(argv), "(error) ERR syntax error") << options[0];
  }
  EXPECT_EQ(cli({"SET", "k", "v", "EX", "10", "EX", "20"}), "OK") << "the same option twice";
  EXPECT_EQ(cli({"TTL", "k"}), "(integer) 20");
  EXPECT_EQ(cli({"SET", "k", "v", "NX", "NX", "GET", "GET"}), "\"v\"");
}

TEST_F(StringsTest, SetExpiryOptions) {
  const int64_t now_ms = runtime().wall_time_ms();
  EXPECT_EQ(cli({"SET", "k", "v", "EX", "100"}), "OK");
  EXPECT_EQ(cli({"PTTL", "k"}), "(integer) 100000");
  EXPECT_EQ(cli({"SET", "k", "v", "PX", "1500"}), "OK");
  EXPECT_EQ(cli({"TTL", "k"}), "(integer) 2") << "rounded to the nearest second";
  EXPECT_EQ(cli({"SET", "k", "v", "PXAT", std::to_string(now_ms + 5000)}), "OK");
  EXPECT_EQ(cli({"PEXPIRETIME", "k"}), "(integer) " + std::to_string(now_ms + 5000));
  EXPECT_EQ(cli({"SET", "k", "v", "EXAT", std::to_string(now_ms / 1000 + 7)}), "OK");
  EXPECT_EQ(cli({"EXPIRETIME", "k"}), "(integer) " + std::to_string(now_ms / 1000 + 7));
  EXPECT_EQ(cli({"SET", "k", "w", "KEEPTTL"}), "OK");
  EXPECT_EQ(cli({"EXPIRETIME", "k"}), "(integer) " + std::to_string(now_ms / 1000 + 7));
  EXPECT_EQ(cli({"SET", "k", "w"}), "OK");
  EXPECT_EQ(cli({"TTL", "k"}), "(integer) -1") << "a plain SET clears the expiry";
}

TEST_F(StringsTest, SetExpiryErrors) {
  for (const char* bad : {"0", "-1"}) {
    EXPECT_EQ(cli({"SET", "k", "v", "EX", bad}),
              "(error) ERR invalid expire time in 'set' command");
  }
  EXPECT_EQ(cli({"SET", "k", "v", "EX", "9223372036854775807"}),
            "(error) ERR invalid expire time in 'set' command");
  EXPECT_EQ(cli({"SET", "k", "v", "PX", "9223372036854775807"}),
            "(error) ERR invalid expire time in 'set' command")
      << "now + ms overflows";
  EXPECT_EQ(cli({"SET", "k", "v", "EX", "1.5"}),
            "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"SETEX", "k", "0", "v"}), "(error) ERR invalid expire time in 'setex' command");
  EXPECT_EQ(cli({"PSETEX", "k", "-5", "v"}), "(error) ERR invalid expire time in 'psetex' command");
  EXPECT_EQ(cli({"EXISTS", "k"}), "(integer) 0");
}

TEST_F(StringsTest, SetWithPastAbsoluteTimeLeavesNoVisibleKey) {
  EXPECT_EQ(cli({"SET", "k", "v", "PXAT", "1"}), "OK");
  EXPECT_EQ(cli({"GET", "k"}), "(nil)");
  EXPECT_EQ(cli({"TTL", "k"}), "(integer) -2");
}

TEST_F(StringsTest, KeysExpireWithTheClock) {
  EXPECT_EQ(cli({"SETEX", "k", "2", "v"}), "OK");
  EXPECT_EQ(cli({"PSETEX", "p", "1500", "v"}), "OK");
  advance(milliseconds(1499));
  EXPECT_EQ(cli({"MGET", "k", "p"}), "1) \"v\"\n2) \"v\"");
  advance(milliseconds(2));
  EXPECT_EQ(cli({"MGET", "k", "p"}), "1) \"v\"\n2) (nil)");
  advance(milliseconds(500));
  EXPECT_EQ(cli({"GET", "k"}), "(nil)");
}

// Redis expires a key once the clock is past its time (keyIsExpired: now > when), so at the
// exact millisecond it still lives with a TTL of 0.
TEST_F(StringsTest, KeyLivesThroughItsExpiryMillisecond) {
  EXPECT_EQ(cli({"PSETEX", "p", "1500", "v"}), "OK");
  advance(milliseconds(1500));
  EXPECT_EQ(cli({"GET", "p"}), "\"v\"");
  EXPECT_EQ(cli({"PTTL", "p"}), "(integer) 0");
  advance(milliseconds(1));
  EXPECT_EQ(cli({"GET", "p"}), "(nil)");
}

TEST_F(StringsTest, SetnxMsetMsetnx) {
  EXPECT_EQ(cli({"SETNX", "a", "1"}), "(integer) 1");
  EXPECT_EQ(cli({"SETNX", "a", "2"}), "(integer) 0");
  EXPECT_EQ(cli({"MSET", "a", "x", "b", "y"}), "OK");
  EXPECT_EQ(cli({"MGET", "a", "b", "c"}), "1) \"x\"\n2) \"y\"\n3) (nil)");
  EXPECT_EQ(cli({"MSET", "a", "x", "b"}),
            "(error) ERR wrong number of arguments for 'mset' command");
  EXPECT_EQ(cli({"MSETNX", "c", "1", "a", "2"}), "(integer) 0");
  EXPECT_EQ(cli({"EXISTS", "c"}), "(integer) 0") << "MSETNX sets all or nothing";
  EXPECT_EQ(cli({"MSETNX", "c", "1", "d", "2", "c", "3"}), "(integer) 1");
  EXPECT_EQ(cli({"MGET", "c", "d"}), "1) \"3\"\n2) \"2\"");
  EXPECT_EQ(cli({"MSETNX", "e"}), "(error) ERR wrong number of arguments for 'msetnx' command");
}

TEST_F(StringsTest, GetsetGetdel) {
  EXPECT_EQ(cli({"GETSET", "k", "1"}), "(nil)");
  EXPECT_EQ(cli({"EXPIRE", "k", "100"}), "(integer) 1");
  EXPECT_EQ(cli({"GETSET", "k", "2"}), "\"1\"");
  EXPECT_EQ(cli({"TTL", "k"}), "(integer) -1");
  EXPECT_EQ(cli({"GETDEL", "k"}), "\"2\"");
  EXPECT_EQ(cli({"GETDEL", "k"}), "(nil)");
  EXPECT_EQ(cli({"DBSIZE"}), "(integer) 0");
}

TEST_F(StringsTest, Getex) {
  EXPECT_EQ(cli({"GETEX", "k", "EX", "abc"}), "(nil)") << "a missing key wins over a bad time";
  EXPECT_EQ(cli({"SET", "k", "v"}), "OK");
  EXPECT_EQ(cli({"GETEX", "k"}), "\"v\"");
  EXPECT_EQ(cli({"GETEX", "k", "EX", "abc"}),
            "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"GETEX", "k", "EX", "0"}), "(error) ERR invalid expire time in 'getex' command");
  EXPECT_EQ(cli({"GETEX", "k", "PX", "2500"}), "\"v\"");
  EXPECT_EQ(cli({"PTTL", "k"}), "(integer) 2500");
  EXPECT_EQ(cli({"GETEX", "k", "PERSIST"}), "\"v\"");
  EXPECT_EQ(cli({"TTL", "k"}), "(integer) -1");
  EXPECT_EQ(cli({"GETEX", "k", "PERSIST", "EX", "1"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"GETEX", "k", "KEEPTTL"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"GETEX", "k", "NX"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"GETEX", "k", "EXAT", "1"}), "\"v\"");
  EXPECT_EQ(cli({"EXISTS", "k"}), "(integer) 0") << "a past absolute time deletes";
}

TEST_F(StringsTest, AppendAndStrlen) {
  EXPECT_EQ(cli({"APPEND", "k", "Hello"}), "(integer) 5");
  EXPECT_EQ(cli({"APPEND", "k", " World"}), "(integer) 11");
  EXPECT_EQ(cli({"GET", "k"}), "\"Hello World\"");
  EXPECT_EQ(cli({"STRLEN", "k"}), "(integer) 11");
  EXPECT_EQ(cli({"STRLEN", "missing"}), "(integer) 0");
  EXPECT_EQ(cli({"APPEND", "e", ""}), "(integer) 0");
  EXPECT_EQ(cli({"EXISTS", "e"}), "(integer) 1");
}

TEST_F(StringsTest, AppendRespectsProtoMaxBulkLen) {
  restart([](server::Config& config) { config.proto_max_bulk_len = 8; });
  EXPECT_EQ(cli({"SET", "k", "12345"}), "OK");
  EXPECT_EQ(cli({"APPEND", "k", "678"}), "(integer) 8");
  EXPECT_EQ(cli({"APPEND", "k", "9"}),
            "(error) ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  EXPECT_EQ(cli({"SETRANGE", "k", "8", "x"}),
            "(error) ERR string exceeds maximum allowed size (proto-max-bulk-len)");
}

TEST_F(StringsTest, Getrange) {
  EXPECT_EQ(cli({"SET", "k", "This is a string"}), "OK");
  EXPECT_EQ(cli({"GETRANGE", "k", "0", "3"}), "\"This\"");
  EXPECT_EQ(cli({"GETRANGE", "k", "-3", "-1"}), "\"ing\"");
  EXPECT_EQ(cli({"GETRANGE", "k", "0", "-1"}), "\"This is a string\"");
  EXPECT_EQ(cli({"GETRANGE", "k", "10", "100"}), "\"string\"");
  EXPECT_EQ(cli({"GETRANGE", "k", "5", "3"}), "\"\"");
  EXPECT_EQ(cli({"GETRANGE", "k", "-1", "-5"}), "\"\"");
  EXPECT_EQ(cli({"GETRANGE", "k", "-100", "-90"}), "\"T\"") << "both clamp to 0";
  EXPECT_EQ(cli({"GETRANGE", "k", "-9223372036854775808", "9223372036854775807"}),
            "\"This is a string\"");
  EXPECT_EQ(cli({"GETRANGE", "missing", "0", "-1"}), "\"\"");
  EXPECT_EQ(cli({"GETRANGE", "k", "a", "1"}),
            "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"SET", "e", ""}), "OK");
  EXPECT_EQ(cli({"GETRANGE", "e", "0", "-1"}), "\"\"");
}

TEST_F(StringsTest, Setrange) {
  EXPECT_EQ(cli({"SETRANGE", "k", "0", ""}), "(integer) 0");
  EXPECT_EQ(cli({"EXISTS", "k"}), "(integer) 0") << "writing nothing creates nothing";
  EXPECT_EQ(cli({"SETRANGE", "k", "3", "ab"}), "(integer) 5");
  EXPECT_EQ(run({"GET", "k"}), std::string("$5\r\n\0\0\0ab\r\n", 11));
  EXPECT_EQ(cli({"SETRANGE", "k", "1", "X"}), "(integer) 5");
  EXPECT_EQ(run({"GET", "k"}), std::string("$5\r\n\0X\0ab\r\n", 11));
  EXPECT_EQ(cli({"SETRANGE", "k", "9", ""}), "(integer) 5");
  EXPECT_EQ(cli({"SETRANGE", "k", "-1", "x"}), "(error) ERR offset is out of range");
  EXPECT_EQ(cli({"SETRANGE", "k", "536870912", "x"}),
            "(error) ERR string exceeds maximum allowed size (proto-max-bulk-len)");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "k"}), "\"raw\"");
}

TEST_F(StringsTest, IncrDecr) {
  EXPECT_EQ(cli({"INCR", "n"}), "(integer) 1");
  EXPECT_EQ(cli({"INCRBY", "n", "41"}), "(integer) 42");
  EXPECT_EQ(cli({"DECR", "n"}), "(integer) 41");
  EXPECT_EQ(cli({"DECRBY", "n", "-9"}), "(integer) 50");
  EXPECT_EQ(cli({"GET", "n"}), "\"50\"");
  EXPECT_EQ(cli({"SET", "n", " 1"}), "OK");
  EXPECT_EQ(cli({"INCR", "n"}), "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"INCRBY", "n", "1.5"}), "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"SET", "n", "9223372036854775807"}), "OK");
  EXPECT_EQ(cli({"INCR", "n"}), "(error) ERR increment or decrement would overflow");
  EXPECT_EQ(cli({"SET", "n", "-9223372036854775808"}), "OK");
  EXPECT_EQ(cli({"DECR", "n"}), "(error) ERR increment or decrement would overflow");
  EXPECT_EQ(cli({"DECRBY", "m", "-9223372036854775808"}), "(error) ERR decrement would overflow");
  EXPECT_EQ(cli({"INCRBY", "m", "-9223372036854775808"}), "(integer) -9223372036854775808");
}

TEST_F(StringsTest, IncrKeepsTheExpiry) {
  EXPECT_EQ(cli({"SET", "n", "1", "EX", "100"}), "OK");
  EXPECT_EQ(cli({"INCR", "n"}), "(integer) 2");
  EXPECT_EQ(cli({"TTL", "n"}), "(integer) 100");
  EXPECT_EQ(cli({"INCRBYFLOAT", "n", "0.5"}), "\"2.5\"");
  EXPECT_EQ(cli({"TTL", "n"}), "(integer) 100");
}

TEST_F(StringsTest, Incrbyfloat) {
  EXPECT_EQ(cli({"INCRBYFLOAT", "f", "10.5"}), "\"10.5\"");
  EXPECT_EQ(cli({"INCRBYFLOAT", "f", "0.1"}), "\"10.6\"");
  // 17 decimals show the binary fraction, exactly as Redis prints it.
  EXPECT_EQ(cli({"INCRBYFLOAT", "f", "-5.0e3"}), "\"-4989.39999999999999991\"");
  EXPECT_EQ(cli({"SET", "f", "5.0e3"}), "OK");
  EXPECT_EQ(cli({"INCRBYFLOAT", "f", "2.0e2"}), "\"5200\"");
  EXPECT_EQ(cli({"INCRBYFLOAT", "g", "1e20"}), "\"100000000000000000000\"");
  EXPECT_EQ(cli({"INCRBYFLOAT", "h", "-0"}), "\"0\"");
  EXPECT_EQ(cli({"INCRBYFLOAT", "f", "abc"}), "(error) ERR value is not a valid float");
  EXPECT_EQ(cli({"INCRBYFLOAT", "f", "inf"}),
            "(error) ERR increment would produce NaN or Infinity");
  EXPECT_EQ(cli({"INCRBYFLOAT", "f", "nan"}), "(error) ERR value is not a valid float");
  EXPECT_EQ(cli({"SET", "s", "x"}), "OK");
  EXPECT_EQ(cli({"INCRBYFLOAT", "s", "1"}), "(error) ERR value is not a valid float");
}

TEST_F(StringsTest, ObjectEncodingOfStrings) {
  EXPECT_EQ(cli({"SET", "i", "12345"}), "OK");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "i"}), "\"int\"");
  EXPECT_EQ(cli({"SET", "e", "0123"}), "OK");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "e"}), "\"embstr\"");
  EXPECT_EQ(cli({"SET", "r", std::string(45, 'x')}), "OK");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "r"}), "\"raw\"");
  EXPECT_EQ(cli({"APPEND", "e", "4"}), "(integer) 5");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "e"}), "\"raw\"");
}

// Redis remembers how a value was made: in-place edits stay "raw" and INCRBYFLOAT's result is a
// plain string even when the bytes read as an integer; SET and INCR go back to "int".
TEST_F(StringsTest, ObjectEncodingFollowsTheValuesHistory) {
  EXPECT_EQ(cli({"SET", "a", "12"}), "OK");
  EXPECT_EQ(cli({"APPEND", "a", "3"}), "(integer) 3");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "a"}), "\"raw\"");
  EXPECT_EQ(cli({"OBJECT", "REFCOUNT", "a"}), "(integer) 1");
  EXPECT_EQ(cli({"SETRANGE", "s", "0", "7"}), "(integer) 1");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "s"}), "\"raw\"");
  EXPECT_EQ(cli({"INCRBYFLOAT", "f", "5"}), "\"5\"");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "f"}), "\"embstr\"");
  EXPECT_EQ(cli({"OBJECT", "REFCOUNT", "f"}), "(integer) 1");
  EXPECT_EQ(cli({"INCRBYFLOAT", "f", "1"}), "\"6\"");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "f"}), "\"embstr\"");
  EXPECT_EQ(cli({"RENAME", "f", "g"}), "OK");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "g"}), "\"embstr\"") << "RENAME moves the same object";
  EXPECT_EQ(cli({"INCR", "g"}), "(integer) 7");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "g"}), "\"int\"");
  EXPECT_EQ(cli({"OBJECT", "REFCOUNT", "g"}), "(integer) 2147483647");
  EXPECT_EQ(cli({"SET", "a", "5"}), "OK");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "a"}), "\"int\"");
}

TEST_F(StringsTest, ArityErrorsComeFromDispatch) {
  EXPECT_EQ(cli({"GET"}), "(error) ERR wrong number of arguments for 'get' command");
  EXPECT_EQ(cli({"SET", "k"}), "(error) ERR wrong number of arguments for 'set' command");
  EXPECT_EQ(cli({"GETRANGE", "k", "0"}),
            "(error) ERR wrong number of arguments for 'getrange' command");
}

TEST_F(StringsTest, WritesAreCountedAsModifications) {
  const uint64_t before = server().dirty();
  EXPECT_EQ(cli({"SET", "k", "v"}), "OK");
  EXPECT_EQ(cli({"GET", "k"}), "\"v\"");
  EXPECT_EQ(cli({"SET", "k", "v", "NX"}), "(nil)");
  EXPECT_EQ(server().dirty(), before + 1);
}

}  // namespace
}  // namespace ringcache::testing
