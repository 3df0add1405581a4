// The bitmap family as a session: each expectation is what redis-server 7.0 answers.

#include <string>

#include "tests/support/command_fixture.h"
#include "tests/support/push_reader.h"

namespace ringcache::testing {
namespace {

class BitmapsTest : public CommandFixture {};

TEST_F(BitmapsTest, SetbitGrowsTheStringAndAnswersTheOldBit) {
  EXPECT_EQ(cli({"SETBIT", "b", "7", "1"}), "(integer) 0");
  EXPECT_EQ(cli({"SETBIT", "b", "100", "1"}), "(integer) 0");
  EXPECT_EQ(reply({"GET", "b"}).text, std::string("\x01\0\0\0\0\0\0\0\0\0\0\0\x08", 13));
  EXPECT_EQ(cli({"SETBIT", "b", "100", "0"}), "(integer) 1");
  EXPECT_EQ(cli({"GETBIT", "b", "7"}), "(integer) 1");
  EXPECT_EQ(cli({"GETBIT", "b", "100000"}), "(integer) 0");
  EXPECT_EQ(cli({"GETBIT", "missing", "3"}), "(integer) 0");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "b"}), "\"raw\"");
}

TEST_F(BitmapsTest, SetbitOnAnIntegerStringWorksOnItsDigits) {
  run({"SET", "n", "12345"});
  EXPECT_EQ(cli({"GETBIT", "n", "2"}), "(integer) 1");
  EXPECT_EQ(cli({"SETBIT", "n", "0", "1"}), "(integer) 0");
  EXPECT_EQ(reply({"GET", "n"}).text, "\xb1" "2345");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "n"}), "\"raw\"");
}

TEST_F(BitmapsTest, ArgumentErrors) {
  EXPECT_EQ(cli({"SETBIT", "b", "-1", "1"}),
            "(error) ERR bit offset is not an integer or out of range");
  EXPECT_EQ(cli({"SETBIT", "b", "4294967296", "1"}),
            "(error) ERR bit offset is not an integer or out of range");
  EXPECT_EQ(cli({"SETBIT", "b", "1", "2"}), "(error) ERR bit is not an integer or out of range");
  EXPECT_EQ(cli({"BITPOS", "b", "2"}), "(error) ERR The bit argument must be 1 or 0.");
  run({"LPUSH", "l", "x"});
  EXPECT_EQ(cli({"SETBIT", "l", "1", "1"}),
            "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(cli({"BITFIELD", "l", "SET", "u8", "0", "1"}),
            "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(cli({"EXISTS", "b"}), "(integer) 0");
}

TEST_F(BitmapsTest, BitcountRangesInBytesAndBits) {
  run({"SETBIT", "b", "7", "1"});
  run({"SETBIT", "b", "100", "1"});
  EXPECT_EQ(cli({"BITCOUNT", "b"}), "(integer) 2");
  EXPECT_EQ(cli({"BITCOUNT", "b", "0", "0"}), "(integer) 1");
  EXPECT_EQ(cli({"BITCOUNT", "b", "1", "12", "bit"}), "(integer) 1");
  EXPECT_EQ(cli({"BITCOUNT", "b", "8", "100", "BIT"}), "(integer) 1");
  EXPECT_EQ(cli({"BITCOUNT", "b", "-1", "-1", "BYTE"}), "(integer) 1");
  EXPECT_EQ(cli({"BITCOUNT", "b", "0"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"BITCOUNT", "b", "0", "1", "foo"}), "(error) ERR syntax error");
  // A missing key, or an inverted negative range, counts 0 before the unit is even read.
  EXPECT_EQ(cli({"BITCOUNT", "missing", "0", "1", "foo"}), "(integer) 0");
  EXPECT_EQ(cli({"BITCOUNT", "b", "-1", "-2", "foo"}), "(integer) 0");
}

TEST_F(BitmapsTest, BitposFindsSetAndClearBits) {
  run({"SETBIT", "b", "7", "1"});
  run({"SETBIT", "b", "100", "1"});
  EXPECT_EQ(cli({"BITPOS", "b", "1"}), "(integer) 7");
  EXPECT_EQ(cli({"BITPOS", "b", "0"}), "(integer) 0");
  EXPECT_EQ(cli({"BITPOS", "b", "1", "2"}), "(integer) 100");
  EXPECT_EQ(cli({"BITPOS", "b", "1", "8", "-1", "BIT"}), "(integer) 100");
  EXPECT_EQ(cli({"BITPOS", "missing", "0"}), "(integer) 0");
  EXPECT_EQ(cli({"BITPOS", "missing", "1"}), "(integer) -1");
  run({"SET", "ff", "\xff\xff"});
  // No clear bit: past the end unless the range was given explicitly.
  EXPECT_EQ(cli({"BITPOS", "ff", "0"}), "(integer) 16");
  EXPECT_EQ(cli({"BITPOS", "ff", "0", "0", "-1"}), "(integer) -1");
  run({"SET", "empty", ""});
  EXPECT_EQ(cli({"BITPOS", "empty", "0"}), "(integer) -1");
  EXPECT_EQ(cli({"BITPOS", "b", "1", "0", "1", "2", "3"}), "(error) ERR syntax error");
}

TEST_F(BitmapsTest, BitopCombinesAndDeletesOnEmptyResult) {
  run({"SETBIT", "b", "7", "1"});
  run({"SETBIT", "b", "100", "1"});
  run({"SET", "ff", "\xff\xff"});
  EXPECT_EQ(cli({"BITOP", "NOT", "nb", "b"}), "(integer) 13");
  EXPECT_EQ(reply({"GET", "nb"}).text, "\xfe\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xf7");
  EXPECT_EQ(cli({"BITOP", "and", "nb", "b", "ff", "missing"}), "(integer) 13");
  EXPECT_EQ(reply({"GET", "nb"}).text, std::string(13, '\0'));
  EXPECT_EQ(cli({"BITOP", "AND", "nb", "missing"}), "(integer) 0");
  EXPECT_EQ(cli({"EXISTS", "nb"}), "(integer) 0");
  EXPECT_EQ(cli({"BITOP", "NOT", "x", "a", "b"}),
            "(error) ERR BITOP NOT must be called with a single source key.");
  EXPECT_EQ(cli({"BITOP", "DIFF", "x", "y"}), "(error) ERR syntax error");
  run({"SETEX", "ttl", "100", "x"});
  run({"BITOP", "OR", "ttl", "b"});
  EXPECT_EQ(cli({"TTL", "ttl"}), "(integer) -1") << "BITOP replaces the destination";
}

TEST_F(BitmapsTest, BitfieldOperationsAndOverflow) {
  const std::string replies =
      run({"BITFIELD", "bf", "SET", "i8", "0", "200", "GET", "i8", "0", "INCRBY", "u4", "#1", "20",
           "OVERFLOW", "SAT", "INCRBY", "u4", "#1", "100", "OVERFLOW", "FAIL", "INCRBY", "i8", "0",
           "-200", "GET", "u16", "0"});
  EXPECT_EQ(replies, "*6\r\n:0\r\n:-56\r\n:12\r\n:15\r\n$-1\r\n:52992\r\n");
  EXPECT_EQ(reply({"GET", "bf"}).text, "\xcf\x00");
  EXPECT_EQ(run({"BITFIELD", "bf", "SET", "i64", "0", "-1", "GET", "u63", "1", "GET", "i64", "0",
                 "SET", "u8", "0", "-1", "GET", "u8", "0"}),
            "*5\r\n:-3530822107858468864\r\n:9223372036854775807\r\n:-1\r\n:255\r\n:255\r\n");
}

TEST_F(BitmapsTest, BitfieldErrorsAndReadOnlyVariant) {
  EXPECT_EQ(cli({"BITFIELD_RO", "bf", "SET", "u8", "0", "1"}),
            "(error) ERR BITFIELD_RO only supports the GET subcommand");
  EXPECT_EQ(cli({"BITFIELD", "bf", "GET", "u64", "0"}),
            "(error) ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not "
            "supported but i64 is.");
  EXPECT_EQ(cli({"BITFIELD", "bf", "GET", "I8", "0"}).substr(0, 30), "(error) ERR Invalid bitfield t");
  EXPECT_EQ(cli({"BITFIELD", "bf", "OVERFLOW", "foo"}),
            "(error) ERR Invalid OVERFLOW type specified");
  EXPECT_EQ(cli({"BITFIELD", "bf", "GET", "u8"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"EXISTS", "bf"}), "(integer) 0");
  EXPECT_EQ(run({"BITFIELD_RO", "bf", "GET", "u8", "0"}), "*1\r\n:0\r\n");
  EXPECT_EQ(cli({"EXISTS", "bf"}), "(integer) 0") << "a read creates nothing";
  EXPECT_EQ(run({"BITFIELD", "bf"}), "*0\r\n");
}

TEST_F(BitmapsTest, WritesThatChangeNothingAreNoChange) {
  run({"SETBIT", "b", "3", "1"});
  run({"BITFIELD", "f", "SET", "i5", "0", "1"});
  run({"WATCH", "b", "f"});
  run({"SETBIT", "b", "3", "1"});
  run({"BITFIELD", "f", "SET", "i5", "0", "1"});
  run({"MULTI"});
  run({"PING"});
  EXPECT_EQ(cli({"EXEC"}), "1) PONG") << "the same bits rewritten do not touch a WATCH";
  run({"WATCH", "b"});
  run({"SETBIT", "b", "90", "0"});
  run({"MULTI"});
  EXPECT_EQ(cli({"EXEC"}), "(nil)") << "a longer string is a change";
}

TEST_F(BitmapsTest, WritesNotifyWithRedisEventNames) {
  run({"CONFIG", "SET", "notify-keyspace-events", "EA"});
  auto& listener = connect();
  run_as(listener, {"PSUBSCRIBE", "__keyevent@0__:*"});
  take_pushes(listener);
  run({"SETBIT", "b", "1", "1"});
  run({"BITFIELD", "b", "INCRBY", "u2", "0", "1"});
  run({"BITOP", "NOT", "c", "b"});
  std::vector<std::string> events;
  std::string_view input(listener.pushes);
  while (auto push = decode_reply(input)) events.push_back(push->elements[2].text);
  EXPECT_EQ(events, (std::vector<std::string>{"__keyevent@0__:setbit", "__keyevent@0__:setbit",
                                              "__keyevent@0__:set"}));
}

}  // namespace
}  // namespace ringcache::testing
