// The hash family as a session: each expectation is what redis-server 7.0 answers.

#include <set>
#include <string>
#include <vector>

#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

class HashesTest : public CommandFixture {
 protected:
  std::set<std::string> elements(const Reply& reply) {
    std::set<std::string> out;
    for (const auto& element : reply.elements) out.insert(element.text);
    return out;
  }
};

TEST_F(HashesTest, SetGetAndDelete) {
  EXPECT_EQ(cli({"HSET", "h", "a", "1", "b", "2"}), "(integer) 2");
  EXPECT_EQ(cli({"HSET", "h", "a", "10", "c", "3"}), "(integer) 1");
  EXPECT_EQ(cli({"HGET", "h", "a"}), "\"10\"");
  EXPECT_EQ(cli({"HGET", "h", "zz"}), "(nil)");
  EXPECT_EQ(cli({"HGET", "nokey", "a"}), "(nil)");
  EXPECT_EQ(cli({"HMGET", "h", "a", "zz", "c"}), "1) \"10\"\n2) (nil)\n3) \"3\"");
  EXPECT_EQ(cli({"HMGET", "nokey", "a"}), "1) (nil)");
  EXPECT_EQ(cli({"HLEN", "h"}), "(integer) 3");
  EXPECT_EQ(cli({"HSTRLEN", "h", "a"}), "(integer) 2");
  EXPECT_EQ(cli({"HSTRLEN", "h", "zz"}), "(integer) 0");
  EXPECT_EQ(cli({"HEXISTS", "h", "b"}), "(integer) 1");
  EXPECT_EQ(cli({"HEXISTS", "nokey", "b"}), "(integer) 0");
  EXPECT_EQ(cli({"HSETNX", "h", "a", "x"}), "(integer) 0");
  EXPECT_EQ(cli({"HSETNX", "h", "d", "4"}), "(integer) 1");
  EXPECT_EQ(cli({"HMSET", "h", "e", "5"}), "OK");
  EXPECT_EQ(cli({"HKEYS", "h"}), "1) \"a\"\n2) \"b\"\n3) \"c\"\n4) \"d\"\n5) \"e\"");
  EXPECT_EQ(cli({"HVALS", "h"}), "1) \"10\"\n2) \"2\"\n3) \"3\"\n4) \"4\"\n5) \"5\"");
  EXPECT_EQ(cli({"HDEL", "h", "a", "a", "zz", "b"}), "(integer) 2");
  EXPECT_EQ(cli({"HGETALL", "h"}), "1) \"c\"\n2) \"3\"\n3) \"d\"\n4) \"4\"\n5) \"e\"\n6) \"5\"");
  EXPECT_EQ(cli({"HDEL", "h", "c", "d", "e"}), "(integer) 3");
  EXPECT_EQ(cli({"EXISTS", "h"}), "(integer) 0") << "an emptied hash goes away";
  EXPECT_EQ(cli({"HDEL", "h", "c"}), "(integer) 0");
  EXPECT_EQ(cli({"HGETALL", "h"}), "(empty array)");
}

TEST_F(HashesTest, ArityAndWrongType) {
  EXPECT_EQ(cli({"HSET", "h", "a", "1", "b"}),
            "(error) ERR wrong number of arguments for 'hset' command");
  EXPECT_EQ(cli({"HMSET", "h", "a"}), "(error) ERR wrong number of arguments for 'hmset' command");
  EXPECT_EQ(cli({"EXISTS", "h"}), "(integer) 0");
  EXPECT_EQ(cli({"SET", "s", "v"}), "OK");
  const std::string wrongtype =
      "(error) WRONGTYPE Operation against a key holding the wrong kind of value";
  for (const std::vector<std::string>& argv : std::vector<std::vector<std::string>>{
           {"HSET", "s", "a", "1"}, {"HGET", "s", "a"}, {"HGETALL", "s"}, {"HDEL", "s", "a"},
           {"HLEN", "s"}, {"HINCRBY", "s", "a", "1"}, {"HRANDFIELD", "s"}, {"HSCAN", "s", "0"},
           {"HMGET", "s", "a"}, {"HSETNX", "s", "a", "1"}}) {
    EXPECT_EQ(cli(argv), wrongtype) << argv[0];
  }
  EXPECT_EQ(cli({"HSET", "h", "a", "1"}), "(integer) 1");
  EXPECT_EQ(cli({"GET", "h"}), wrongtype);
  EXPECT_EQ(cli({"TYPE", "h"}), "hash");
}

TEST_F(HashesTest, IncrementsAndTheirErrors) {
  EXPECT_EQ(cli({"HINCRBY", "h", "n", "5"}), "(integer) 5");
  EXPECT_EQ(cli({"HINCRBY", "h", "n", "-7"}), "(integer) -2");
  EXPECT_EQ(cli({"HINCRBY", "h", "n", "x"}), "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"HSET", "h", "s", "abc", "big", "9223372036854775807", "lead", "01"}),
            "(integer) 3");
  EXPECT_EQ(cli({"HINCRBY", "h", "s", "1"}), "(error) ERR hash value is not an integer");
  EXPECT_EQ(cli({"HINCRBY", "h", "lead", "1"}), "(error) ERR hash value is not an integer");
  EXPECT_EQ(cli({"HINCRBY", "h", "big", "1"}), "(error) ERR increment or decrement would overflow");
  EXPECT_EQ(cli({"HINCRBYFLOAT", "h", "f", "10.5"}), "\"10.5\"");
  EXPECT_EQ(cli({"HINCRBYFLOAT", "h", "f", "0.1"}), "\"10.6\"");
  EXPECT_EQ(cli({"HINCRBYFLOAT", "h", "n", "3.0e0"}), "\"1\"");
  EXPECT_EQ(cli({"HINCRBYFLOAT", "h", "s", "1"}), "(error) ERR hash value is not a float");
  EXPECT_EQ(cli({"HINCRBYFLOAT", "h", "f", "x"}), "(error) ERR value is not a valid float");
  EXPECT_EQ(cli({"HINCRBYFLOAT", "h", "f", "-inf"}), "(error) ERR value is NaN or Infinity");
  EXPECT_EQ(cli({"HSET", "h", "inf", "inf"}), "(integer) 1");
  EXPECT_EQ(cli({"HINCRBYFLOAT", "h", "inf", "1"}),
            "(error) ERR increment would produce NaN or Infinity");
  EXPECT_EQ(cli({"HINCRBYFLOAT", "nokey", "f", "x"}), "(error) ERR value is not a valid float");
  EXPECT_EQ(cli({"EXISTS", "nokey"}), "(integer) 0");
}

TEST_F(HashesTest, IncrByFloatPropagatesAsHsetOfTheResult) {
  run({"HINCRBYFLOAT", "h", "f", "1.5"});
  const auto& commands = server().propagation().commands();
  ASSERT_EQ(commands.size(), 1u);
  EXPECT_EQ(commands[0], (std::vector<std::string>{"HSET", "h", "f", "1.5"}));
}

TEST_F(HashesTest, EncodingFollowsTheThresholds) {
  EXPECT_EQ(cli({"HSET", "h", "a", "1"}), "(integer) 1");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "h"}), "\"listpack\"");
  EXPECT_EQ(cli({"HSET", "h", "b", std::string(65, 'x')}), "(integer) 1");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "h"}), "\"hashtable\"");
  EXPECT_EQ(cli({"HSET", "g", "b", "1"}), "(integer) 1");
  EXPECT_EQ(cli({"HSETNX", "g", "b", std::string(70, 'x')}), "(integer) 0");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "g"}), "\"listpack\"") << "nothing was written";
  EXPECT_EQ(cli({"CONFIG", "SET", "hash-max-listpack-entries", "2"}), "OK");
  EXPECT_EQ(cli({"HSET", "g", "c", "1", "d", "2"}), "(integer) 2");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "g"}), "\"hashtable\"");
  EXPECT_EQ(cli({"HGETALL", "g"}).size(), cli({"HGETALL", "g"}).size());
  EXPECT_EQ(elements(reply({"HKEYS", "g"})), (std::set<std::string>{"b", "c", "d"}));
}

TEST_F(HashesTest, RandomFieldsOfEveryCountAreDistinct) {
  for (const int size : {20, 200}) {
    run({"DEL", "h"});
    std::vector<std::string> hset{"HSET", "h"};
    for (int i = 0; i < size; ++i) {
      hset.push_back("f" + std::to_string(i));
      hset.push_back(std::to_string(i));
    }
    run(hset);
    EXPECT_EQ(cli({"OBJECT", "ENCODING", "h"}), size > 128 ? "\"hashtable\"" : "\"listpack\"");
    for (int count = 1; count <= size; ++count) {
      EXPECT_EQ(elements(reply({"HRANDFIELD", "h", std::to_string(count)})).size(),
                static_cast<size_t>(count))
          << "size " << size << " count " << count;
    }
  }
  EXPECT_EQ(cli({"PING"}), "PONG");
}

TEST_F(HashesTest, RandomField) {
  EXPECT_EQ(cli({"HRANDFIELD", "nokey"}), "(nil)");
  EXPECT_EQ(cli({"HRANDFIELD", "nokey", "3"}), "(empty array)");
  EXPECT_EQ(cli({"HSET", "h", "a", "1", "b", "2", "c", "3"}), "(integer) 3");
  EXPECT_EQ(elements(reply({"HRANDFIELD", "h", "10"})), (std::set<std::string>{"a", "b", "c"}));
  const Reply two = reply({"HRANDFIELD", "h", "2"});
  ASSERT_EQ(two.elements.size(), 2u);
  EXPECT_NE(two.elements[0].text, two.elements[1].text) << "a positive count picks distinct";
  EXPECT_EQ(reply({"HRANDFIELD", "h", "-7"}).elements.size(), 7u);
  EXPECT_EQ(reply({"HRANDFIELD", "h", "-2", "WITHVALUES"}).elements.size(), 4u);
  EXPECT_EQ(cli({"HRANDFIELD", "h", "0"}), "(empty array)");
  EXPECT_EQ(cli({"HRANDFIELD", "h", "1", "WITHVALUE"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"HRANDFIELD", "h", "1", "WITHVALUES", "x"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"HRANDFIELD", "h", "x"}),
            "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"HRANDFIELD", "h", "-9223372036854775808"}),
            "(error) ERR value is out of range, value must between -9223372036854775807 and "
            "9223372036854775807");
  EXPECT_EQ(cli({"HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"}),
            "(error) ERR value is out of range");
  const std::set<std::string> fields{"a", "b", "c"};
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(fields.count(reply({"HRANDFIELD", "h"}).text));
}

TEST_F(HashesTest, Resp3ShapesMapsAndPairs) {
  client().resp_version = 3;
  run({"HSET", "h", "a", "1"});
  EXPECT_EQ(run({"HGETALL", "h"}), "%1\r\n$1\r\na\r\n$1\r\n1\r\n");
  EXPECT_EQ(run({"HGETALL", "nokey"}), "%0\r\n");
  EXPECT_EQ(run({"HRANDFIELD", "h", "1", "WITHVALUES"}), "*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  EXPECT_EQ(run({"HRANDFIELD", "h", "-2"}), "*2\r\n$1\r\na\r\n$1\r\na\r\n");
}

TEST_F(HashesTest, ScanGivesACompactHashWholeAndATableInSteps) {
  run({"HSET", "h", "a", "1", "b", "2", "ab", "3"});
  EXPECT_EQ(cli({"HSCAN", "h", "0", "MATCH", "a*", "COUNT", "1"}),
            "1) \"0\"\n2) 1) \"a\"\n   2) \"1\"\n   3) \"ab\"\n   4) \"3\"");
  EXPECT_EQ(cli({"HSCAN", "nokey", "0", "FOO"}), "1) \"0\"\n2) (empty array)");
  EXPECT_EQ(cli({"HSCAN", "h", "x"}), "(error) ERR invalid cursor");
  EXPECT_EQ(cli({"HSCAN", "h", "0", "TYPE", "string"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"HSCAN", "h", "0", "COUNT", "0"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"CONFIG", "SET", "hash-max-listpack-entries", "0"}), "OK");
  for (int i = 0; i < 300; ++i) run({"HSET", "t", "f" + std::to_string(i), "v"});
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "t"}), "\"hashtable\"");
  std::set<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    const Reply page = reply({"HSCAN", "t", cursor, "COUNT", "20"});
    ASSERT_EQ(page.elements.size(), 2u);
    cursor = page.elements[0].text;
    for (size_t i = 0; i < page.elements[1].elements.size(); i += 2) {
      seen.insert(page.elements[1].elements[i].text);
    }
    ++calls;
  } while (cursor != "0" && calls < 1000);
  EXPECT_EQ(seen.size(), 300u);
  EXPECT_GT(calls, 5) << "a table is scanned in steps";
}

}  // namespace
}  // namespace ringcache::testing
