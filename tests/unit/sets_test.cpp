// The set family as a session: each expectation is what redis-server 7.0 answers.

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

class SetsTest : public CommandFixture {
 protected:
  std::set<std::string> members(std::vector<std::string> argv) {
    std::set<std::string> out;
    for (const auto& element : reply(std::move(argv)).elements) out.insert(element.text);
    return out;
  }
  using Members = std::set<std::string>;
};

TEST_F(SetsTest, AddRemoveAndMembership) {
  EXPECT_EQ(cli({"SADD", "s", "1", "2", "2", "a"}), "(integer) 3");
  EXPECT_EQ(cli({"SADD", "s", "a", "b"}), "(integer) 1");
  EXPECT_EQ(cli({"SCARD", "s"}), "(integer) 4");
  EXPECT_EQ(cli({"SCARD", "nokey"}), "(integer) 0");
  EXPECT_EQ(cli({"SISMEMBER", "s", "a"}), "(integer) 1");
  EXPECT_EQ(cli({"SISMEMBER", "nokey", "a"}), "(integer) 0");
  EXPECT_EQ(cli({"SMISMEMBER", "s", "a", "zz", "1"}),
            "1) (integer) 1\n2) (integer) 0\n3) (integer) 1");
  EXPECT_EQ(cli({"SMISMEMBER", "nokey", "a"}), "1) (integer) 0");
  EXPECT_EQ(members({"SMEMBERS", "s"}), (Members{"1", "2", "a", "b"}));
  EXPECT_EQ(cli({"SREM", "s", "1", "zz", "1"}), "(integer) 1");
  EXPECT_EQ(cli({"SREM", "s", "2", "a", "b"}), "(integer) 3");
  EXPECT_EQ(cli({"EXISTS", "s"}), "(integer) 0");
  EXPECT_EQ(cli({"SREM", "s", "1"}), "(integer) 0");
  EXPECT_EQ(cli({"SMEMBERS", "s"}), "(empty array)");
  EXPECT_EQ(cli({"SET", "str", "v"}), "OK");
  EXPECT_EQ(cli({"SADD", "str", "a"}),
            "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(cli({"SADD", "t", "1"}), "(integer) 1");
  EXPECT_EQ(cli({"GET", "t"}),
            "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(cli({"TYPE", "t"}), "set");
}

TEST_F(SetsTest, EncodingIntsetThenHashtable) {
  EXPECT_EQ(cli({"SADD", "s", "1", "-2", "300"}), "(integer) 3");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "s"}), "\"intset\"");
  EXPECT_EQ(cli({"SMEMBERS", "s"}), "1) \"-2\"\n2) \"1\"\n3) \"300\"");
  EXPECT_EQ(cli({"SADD", "s", "01"}), "(integer) 1");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "s"}), "\"hashtable\"");
  EXPECT_EQ(cli({"CONFIG", "SET", "set-max-intset-entries", "2"}), "OK");
  EXPECT_EQ(cli({"SADD", "n", "1", "2", "3"}), "(integer) 3");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "n"}), "\"hashtable\"");
}

TEST_F(SetsTest, Algebra) {
  run({"SADD", "a", "1", "2", "3", "x"});
  run({"SADD", "b", "2", "3", "4"});
  run({"SADD", "c", "3", "x"});
  EXPECT_EQ(members({"SINTER", "a", "b"}), (Members{"2", "3"}));
  EXPECT_EQ(members({"SINTER", "a", "b", "c"}), (Members{"3"}));
  EXPECT_EQ(cli({"SINTER", "a", "nokey"}), "(empty array)");
  EXPECT_EQ(members({"SUNION", "a", "b", "nokey"}), (Members{"1", "2", "3", "4", "x"}));
  EXPECT_EQ(members({"SDIFF", "a", "b", "c"}), (Members{"1"}));
  EXPECT_EQ(cli({"SDIFF", "nokey", "a"}), "(empty array)");
  EXPECT_EQ(cli({"SINTERCARD", "2", "a", "b"}), "(integer) 2");
  EXPECT_EQ(cli({"SINTERCARD", "2", "a", "b", "LIMIT", "1"}), "(integer) 1");
  EXPECT_EQ(cli({"SINTERCARD", "0", "a"}), "(error) ERR numkeys should be greater than 0");
  EXPECT_EQ(cli({"SINTERCARD", "3", "a", "b"}),
            "(error) ERR Number of keys can't be greater than number of args");
  EXPECT_EQ(cli({"SINTERCARD", "1", "a", "LIMIT", "-1"}), "(error) ERR LIMIT can't be negative");
  EXPECT_EQ(cli({"SINTERCARD", "1", "a", "LIMIT"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"COMMAND", "GETKEYS", "SINTERCARD", "2", "a", "b", "LIMIT", "1"}),
            "1) \"a\"\n2) \"b\"");
  EXPECT_EQ(cli({"SET", "d", "string"}), "OK");
  EXPECT_EQ(cli({"EXPIRE", "d", "100"}), "(integer) 1");
  EXPECT_EQ(cli({"SUNIONSTORE", "d", "b", "c"}), "(integer) 4");
  EXPECT_EQ(cli({"TTL", "d"}), "(integer) -1") << "the result replaces the key and its TTL";
  EXPECT_EQ(members({"SMEMBERS", "d"}), (Members{"2", "3", "4", "x"}));
  EXPECT_EQ(cli({"SINTERSTORE", "d", "a", "b"}), "(integer) 2");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "d"}), "\"intset\"");
  EXPECT_EQ(cli({"SDIFFSTORE", "d", "a", "a"}), "(integer) 0");
  EXPECT_EQ(cli({"EXISTS", "d"}), "(integer) 0") << "an empty result deletes the destination";
  EXPECT_EQ(cli({"SINTER", "a", "d", "str"}), "(empty array)");
  run({"SET", "str", "v"});
  EXPECT_EQ(cli({"SINTER", "nokey", "str"}),
            "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
}

TEST_F(SetsTest, Move) {
  run({"SADD", "a", "1", "2"});
  EXPECT_EQ(cli({"SMOVE", "a", "b", "1"}), "(integer) 1");
  EXPECT_EQ(cli({"SMOVE", "a", "b", "zz"}), "(integer) 0");
  EXPECT_EQ(cli({"SMOVE", "a", "a", "2"}), "(integer) 1");
  EXPECT_EQ(cli({"SMOVE", "nokey", "a", "2"}), "(integer) 0");
  EXPECT_EQ(cli({"SMOVE", "a", "b", "2"}), "(integer) 1");
  EXPECT_EQ(cli({"EXISTS", "a"}), "(integer) 0");
  EXPECT_EQ(members({"SMEMBERS", "b"}), (Members{"1", "2"}));
  run({"SET", "str", "v"});
  EXPECT_EQ(cli({"SMOVE", "b", "str", "1"}),
            "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(cli({"SMOVE", "nokey", "str", "1"}), "(integer) 0");
}

TEST_F(SetsTest, PopAndRandomMember) {
  EXPECT_EQ(cli({"SPOP", "nokey"}), "(nil)");
  EXPECT_EQ(cli({"SRANDMEMBER", "nokey"}), "(nil)");
  EXPECT_EQ(cli({"SPOP", "nokey", "2"}), "(empty array)");
  EXPECT_EQ(cli({"SPOP", "s", "-1"}), "(error) ERR value is out of range, must be positive");
  EXPECT_EQ(cli({"SPOP", "s", "1", "2"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"SRANDMEMBER", "s", "-9223372036854775808"}),
            "(error) ERR value is out of range, value must between -9223372036854775807 and "
            "9223372036854775807");
  run({"SADD", "s", "a", "b", "c", "d"});
  const Members all{"a", "b", "c", "d"};
  EXPECT_EQ(members({"SRANDMEMBER", "s", "10"}), all);
  EXPECT_EQ(reply({"SRANDMEMBER", "s", "-9"}).elements.size(), 9u);
  EXPECT_EQ(members({"SRANDMEMBER", "s", "3"}).size(), 3u);
  // What dispatch does before each command (propagation.h), so each SPOP's outcome stands alone.
  auto& propagation = server().propagation();
  propagation.begin_command();
  const std::string popped = reply({"SPOP", "s"}).text;
  EXPECT_TRUE(all.count(popped));
  const auto& propagated = propagation.commands();
  ASSERT_EQ(propagated.size(), 1u);
  EXPECT_EQ(propagated[0], (std::vector<std::string>{"SREM", "s", popped}));
  propagation.begin_command();
  const Members two = members({"SPOP", "s", "2"});
  EXPECT_EQ(two.size(), 2u);
  ASSERT_EQ(propagation.commands().size(), 1u);
  EXPECT_EQ(propagation.commands()[0].size(), 4u);
  EXPECT_EQ(propagation.commands()[0].front(), "SREM");
  EXPECT_EQ(cli({"SCARD", "s"}), "(integer) 1");
  propagation.begin_command();
  EXPECT_EQ(members({"SPOP", "s", "5"}).size(), 1u);
  EXPECT_EQ(propagation.commands(), (std::vector<std::vector<std::string>>{{"DEL", "s"}}));
  EXPECT_EQ(cli({"EXISTS", "s"}), "(integer) 0");
}

// Every count from 1 to the size, on an intset and on small and large hashtables (Redis 7.0 sets
// have no listpack): the distinct picker once kept views into members it had moved away and never
// found enough distinct ones.
TEST_F(SetsTest, RandomPicksOfEveryCountAreDistinct) {
  const std::vector<std::pair<std::string, std::string>> shapes{
      {"intset", ""}, {"hashtable", "m"}, {"hashtable", std::string(40, 'x')}};
  for (const auto& [encoding, prefix] : shapes) {
    const int size = prefix.size() > 1 ? 200 : 20;
    for (int count = 1; count <= size; ++count) {
      std::vector<std::string> sadd{"SADD", "s"};
      for (int i = 0; i < size; ++i) sadd.push_back(prefix + std::to_string(i));
      run({"DEL", "s"});
      run(sadd);
      ASSERT_EQ(cli({"OBJECT", "ENCODING", "s"}), "\"" + encoding + "\"");
      const auto picked = reply({"SRANDMEMBER", "s", std::to_string(count)}).elements;
      EXPECT_EQ(members({"SRANDMEMBER", "s", std::to_string(count)}).size(),
                static_cast<size_t>(count));
      EXPECT_EQ(picked.size(), static_cast<size_t>(count));
      EXPECT_EQ(members({"SPOP", "s", std::to_string(count)}).size(), static_cast<size_t>(count))
          << encoding << " count " << count;
      EXPECT_EQ(cli({"SCARD", "s"}), "(integer) " + std::to_string(size - count));
    }
  }
  EXPECT_EQ(cli({"PING"}), "PONG");
}

TEST_F(SetsTest, Resp3RepliesSets) {
  client().resp_version = 3;
  run({"SADD", "s", "1"});
  EXPECT_EQ(run({"SMEMBERS", "s"}), "~1\r\n$1\r\n1\r\n");
  EXPECT_EQ(run({"SMEMBERS", "nokey"}), "~0\r\n");
  EXPECT_EQ(run({"SUNION", "s"}), "~1\r\n$1\r\n1\r\n");
  EXPECT_EQ(run({"SRANDMEMBER", "s", "1"}), "*1\r\n$1\r\n1\r\n");
  EXPECT_EQ(run({"SPOP", "s", "0"}), "~0\r\n");
}

TEST_F(SetsTest, ScanAnIntsetWholeAndATableInSteps) {
  run({"SADD", "s", "1", "2", "10"});
  EXPECT_EQ(cli({"SSCAN", "s", "7", "MATCH", "1*"}), "1) \"0\"\n2) 1) \"1\"\n   2) \"10\"");
  for (int i = 0; i < 600; ++i) run({"SADD", "t", "m" + std::to_string(i)});
  std::set<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    const Reply page = reply({"SSCAN", "t", cursor});
    ASSERT_EQ(page.elements.size(), 2u);
    cursor = page.elements[0].text;
    for (const auto& member : page.elements[1].elements) seen.insert(member.text);
  } while (cursor != "0" && ++calls < 10000);
  EXPECT_EQ(seen.size(), 600u);
}

}  // namespace
}  // namespace ringcache::testing
