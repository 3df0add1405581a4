// LCS and SUBSTR as a session: each expectation is what redis-server 7.0 answers.

#include <string>

#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

class LcsTest : public CommandFixture {
 protected:
  LcsTest() { run({"MSET", "a", "ohmytext", "b", "mynewtext"}); }
};

TEST_F(LcsTest, SubsequenceAndLength) {
  EXPECT_EQ(cli({"LCS", "a", "b"}), "\"mytext\"");
  EXPECT_EQ(cli({"LCS", "a", "b", "LEN"}), "(integer) 6");
  EXPECT_EQ(cli({"LCS", "a", "missing"}), "\"\"");
  EXPECT_EQ(cli({"LCS", "missing", "other", "len"}), "(integer) 0");
}

TEST_F(LcsTest, MatchRangesFromTheEnd) {
  EXPECT_EQ(run({"LCS", "a", "b", "IDX"}),
            "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n"
            "*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n");
  EXPECT_EQ(run({"LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"}),
            "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
            "$3\r\nlen\r\n:6\r\n");
  client().resp_version = 3;
  EXPECT_EQ(run({"LCS", "a", "b", "IDX", "MINMATCHLEN", "-3", "WITHMATCHLEN"}).substr(0, 15),
            "%2\r\n$7\r\nmatches");
}

TEST_F(LcsTest, Errors) {
  EXPECT_EQ(cli({"LCS", "a", "b", "IDX", "LEN"}),
            "(error) ERR If you want both the length and indexes, please just use IDX.");
  EXPECT_EQ(cli({"LCS", "a", "b", "foo"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"LCS", "a", "b", "MINMATCHLEN"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"LCS", "a", "b", "MINMATCHLEN", "x"}),
            "(error) ERR value is not an integer or out of range");
  run({"LPUSH", "l", "x"});
  EXPECT_EQ(cli({"LCS", "a", "l"}), "(error) ERR The specified keys must contain string values");
}

TEST_F(LcsTest, SubstrIsGetrange) {
  EXPECT_EQ(cli({"SUBSTR", "a", "1", "3"}), "\"hmy\"");
  EXPECT_EQ(cli({"SUBSTR", "a", "-3", "-1"}), "\"ext\"");
  EXPECT_EQ(cli({"SUBSTR", "missing", "0", "1"}), "\"\"");
}

}  // namespace
}  // namespace ringcache::testing
