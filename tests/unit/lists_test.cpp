// The list family as a session: each expectation is what redis-server 7.0 answers to the same
// commands (blocking commands only where they answer at once; blocking itself is covered by
// tests/sim/blocking_test.cpp and tests/process/test_blocking.py).

#include <string>

#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

class ListsTest : public CommandFixture {};

TEST_F(ListsTest, PushAndRange) {
  EXPECT_EQ(cli({"LPUSH", "l", "a", "b"}), "(integer) 2");
  EXPECT_EQ(cli({"RPUSH", "l", "c", "d"}), "(integer) 4");
  EXPECT_EQ(cli({"LRANGE", "l", "0", "-1"}), "1) \"b\"\n2) \"a\"\n3) \"c\"\n4) \"d\"");
  EXPECT_EQ(cli({"LRANGE", "l", "-100", "1"}), "1) \"b\"\n2) \"a\"");
  EXPECT_EQ(cli({"LRANGE", "l", "2", "100"}), "1) \"c\"\n2) \"d\"");
  EXPECT_EQ(cli({"LRANGE", "l", "3", "2"}), "(empty array)");
  EXPECT_EQ(cli({"LRANGE", "l", "5", "10"}), "(empty array)");
  EXPECT_EQ(cli({"LRANGE", "l", "x", "1"}), "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"LLEN", "l"}), "(integer) 4");
  EXPECT_EQ(cli({"LLEN", "none"}), "(integer) 0");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "l"}), "\"quicklist\"");
  EXPECT_EQ(cli({"TYPE", "l"}), "list");
  EXPECT_EQ(cli({"LPUSHX", "none", "a"}), "(integer) 0");
  EXPECT_EQ(cli({"RPUSHX", "l", "e"}), "(integer) 5");
  EXPECT_EQ(cli({"LPUSHX", "l", "z", "y"}), "(integer) 7");
  EXPECT_EQ(cli({"LRANGE", "none", "0", "-1"}), "(empty array)");
  EXPECT_EQ(cli({"LRANGE", "l", "0", "-1"}), "1) \"y\"\n2) \"z\"\n3) \"b\"\n4) \"a\"\n5) \"c\"\n6) \"d\"\n7) \"e\"");
}

TEST_F(ListsTest, PopsWithAndWithoutCount) {
  EXPECT_EQ(cli({"RPUSH", "l", "a", "b", "c", "d", "e"}), "(integer) 5");
  EXPECT_EQ(cli({"LPOP", "l"}), "\"a\"");
  EXPECT_EQ(cli({"RPOP", "l"}), "\"e\"");
  EXPECT_EQ(cli({"LPOP", "l", "0"}), "(empty array)");
  EXPECT_EQ(cli({"LPOP", "l", "2"}), "1) \"b\"\n2) \"c\"");
  EXPECT_EQ(cli({"RPOP", "l", "-1"}), "(error) ERR value is out of range, must be positive");
  EXPECT_EQ(cli({"RPOP", "l", "5"}), "1) \"d\"");
  EXPECT_EQ(cli({"EXISTS", "l"}), "(integer) 0");
  EXPECT_EQ(cli({"LPOP", "l"}), "(nil)");
  EXPECT_EQ(cli({"LPOP", "l", "2"}), "(nil)");
  EXPECT_EQ(cli({"LPOP", "l", "1", "2"}), "(error) ERR wrong number of arguments for 'lpop' command");
}

TEST_F(ListsTest, IndexSetInsert) {
  EXPECT_EQ(cli({"RPUSH", "l", "a", "b", "c"}), "(integer) 3");
  EXPECT_EQ(cli({"LINDEX", "l", "0"}), "\"a\"");
  EXPECT_EQ(cli({"LINDEX", "l", "-1"}), "\"c\"");
  EXPECT_EQ(cli({"LINDEX", "l", "3"}), "(nil)");
  EXPECT_EQ(cli({"LINDEX", "l", "x"}), "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"LINDEX", "none", "x"}), "(nil)");
  EXPECT_EQ(cli({"LSET", "l", "1", "B"}), "OK");
  EXPECT_EQ(cli({"LSET", "l", "-4", "x"}), "(error) ERR index out of range");
  EXPECT_EQ(cli({"LSET", "none", "0", "x"}), "(error) ERR no such key");
  EXPECT_EQ(cli({"LSET", "l", "x", "y"}), "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"LINSERT", "l", "BEFORE", "B", "x"}), "(integer) 4");
  EXPECT_EQ(cli({"LINSERT", "l", "after", "c", "y"}), "(integer) 5");
  EXPECT_EQ(cli({"LINSERT", "l", "after", "zz", "y"}), "(integer) -1");
  EXPECT_EQ(cli({"LINSERT", "l", "middle", "c", "y"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"LINSERT", "none", "before", "a", "b"}), "(integer) 0");
  EXPECT_EQ(cli({"LRANGE", "l", "0", "-1"}), "1) \"a\"\n2) \"x\"\n3) \"B\"\n4) \"c\"\n5) \"y\"");
}

TEST_F(ListsTest, RemAndTrim) {
  EXPECT_EQ(cli({"RPUSH", "l", "a", "b", "a", "c", "a", "b"}), "(integer) 6");
  EXPECT_EQ(cli({"LREM", "l", "-2", "a"}), "(integer) 2");
  EXPECT_EQ(cli({"LRANGE", "l", "0", "-1"}), "1) \"a\"\n2) \"b\"\n3) \"c\"\n4) \"b\"");
  EXPECT_EQ(cli({"LREM", "l", "0", "b"}), "(integer) 2");
  EXPECT_EQ(cli({"LREM", "l", "1", "zz"}), "(integer) 0");
  EXPECT_EQ(cli({"LREM", "l", "x", "a"}), "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"LRANGE", "l", "0", "-1"}), "1) \"a\"\n2) \"c\"");
  EXPECT_EQ(cli({"LTRIM", "l", "1", "-1"}), "OK");
  EXPECT_EQ(cli({"LRANGE", "l", "0", "-1"}), "1) \"c\"");
  EXPECT_EQ(cli({"LTRIM", "l", "5", "10"}), "OK");
  EXPECT_EQ(cli({"EXISTS", "l"}), "(integer) 0");
  EXPECT_EQ(cli({"LTRIM", "none", "0", "1"}), "OK");
  EXPECT_EQ(cli({"LREM", "none", "0", "a"}), "(integer) 0");
}

TEST_F(ListsTest, Lpos) {
  EXPECT_EQ(cli({"RPUSH", "l", "a", "b", "c", "a", "b", "a"}), "(integer) 6");
  EXPECT_EQ(cli({"LPOS", "l", "a"}), "(integer) 0");
  EXPECT_EQ(cli({"LPOS", "l", "a", "RANK", "2"}), "(integer) 3");
  EXPECT_EQ(cli({"LPOS", "l", "a", "RANK", "-1"}), "(integer) 5");
  EXPECT_EQ(cli({"LPOS", "l", "a", "COUNT", "0"}), "1) (integer) 0\n2) (integer) 3\n3) (integer) 5");
  EXPECT_EQ(cli({"LPOS", "l", "a", "COUNT", "2", "RANK", "-1"}), "1) (integer) 5\n2) (integer) 3");
  EXPECT_EQ(cli({"LPOS", "l", "a", "COUNT", "0", "MAXLEN", "4"}), "1) (integer) 0\n2) (integer) 3");
  EXPECT_EQ(cli({"LPOS", "l", "a", "RANK", "-2", "MAXLEN", "3"}), "(integer) 3");
  EXPECT_EQ(cli({"LPOS", "l", "z"}), "(nil)");
  EXPECT_EQ(cli({"LPOS", "l", "z", "COUNT", "0"}), "(empty array)");
  EXPECT_EQ(cli({"LPOS", "none", "a"}), "(nil)");
  EXPECT_EQ(cli({"LPOS", "none", "a", "COUNT", "1"}), "(empty array)");
  EXPECT_EQ(cli({"LPOS", "l", "a", "RANK", "0"}), "(error) ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
  EXPECT_EQ(cli({"LPOS", "l", "a", "COUNT", "-1"}), "(error) ERR COUNT can't be negative");
  EXPECT_EQ(cli({"LPOS", "l", "a", "MAXLEN", "-1"}), "(error) ERR MAXLEN can't be negative");
  EXPECT_EQ(cli({"LPOS", "l", "a", "RANK"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"LPOS", "l", "a", "FOO", "1"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"LPOS", "l", "a", "RANK", "-9223372036854775808"}), "(integer) 5");
}

TEST_F(ListsTest, MovesAndMultiPop) {
  EXPECT_EQ(cli({"RPUSH", "s", "a", "b", "c"}), "(integer) 3");
  EXPECT_EQ(cli({"LMOVE", "s", "d", "LEFT", "RIGHT"}), "\"a\"");
  EXPECT_EQ(cli({"RPOPLPUSH", "s", "d"}), "\"c\"");
  EXPECT_EQ(cli({"LRANGE", "d", "0", "-1"}), "1) \"c\"\n2) \"a\"");
  EXPECT_EQ(cli({"LMOVE", "s", "s", "left", "left"}), "\"b\"");
  EXPECT_EQ(cli({"LMOVE", "none", "d", "left", "left"}), "(nil)");
  EXPECT_EQ(cli({"LMOVE", "s", "d", "up", "left"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"SET", "str", "v"}), "OK");
  EXPECT_EQ(cli({"LMOVE", "s", "str", "left", "left"}), "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(cli({"LMOVE", "str", "d", "left", "left"}), "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(cli({"LMPOP", "2", "none", "d", "RIGHT", "COUNT", "5"}), "1) \"d\"\n2) 1) \"a\"\n   2) \"c\"");
  EXPECT_EQ(cli({"LMPOP", "1", "d", "LEFT"}), "(nil)");
  EXPECT_EQ(cli({"LMPOP", "1", "s", "LEFT", "COUNT", "9"}), "1) \"s\"\n2) 1) \"b\"");
  EXPECT_EQ(cli({"LMPOP", "1", "s", "LEFT"}), "(nil)");
  EXPECT_EQ(cli({"LMPOP", "0", "s", "LEFT"}), "(error) ERR numkeys should be greater than 0");
  EXPECT_EQ(cli({"LMPOP", "2", "s", "LEFT"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"LMPOP", "1", "s", "LEFT", "COUNT", "0"}), "(error) ERR count should be greater than 0");
  EXPECT_EQ(cli({"LMPOP", "1", "s", "LEFT", "COUNT", "1", "COUNT", "1"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"LMPOP", "1", "str", "LEFT"}), "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
}

TEST_F(ListsTest, WrongTypeBothWays) {
  EXPECT_EQ(cli({"SET", "str", "v"}), "OK");
  EXPECT_EQ(cli({"LPUSH", "str", "a"}), "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(cli({"LRANGE", "str", "0", "-1"}), "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(cli({"LPOP", "str"}), "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(cli({"RPUSH", "l", "a"}), "(integer) 1");
  EXPECT_EQ(cli({"GET", "l"}), "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(cli({"APPEND", "l", "x"}), "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(cli({"LINDEX", "str", "0"}), "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(cli({"LLEN", "str"}), "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
}

TEST_F(ListsTest, BlockingCommandsAnswerAtOnceWhenTheyCan) {
  EXPECT_EQ(cli({"RPUSH", "a", "1", "2"}), "(integer) 2");
  EXPECT_EQ(cli({"BLPOP", "none", "a", "0"}), "1) \"a\"\n2) \"1\"");
  EXPECT_EQ(cli({"BRPOP", "a", "0"}), "1) \"a\"\n2) \"2\"");
  EXPECT_EQ(cli({"RPUSH", "a", "1", "2"}), "(integer) 2");
  EXPECT_EQ(cli({"BLMOVE", "a", "b", "LEFT", "LEFT", "0"}), "\"1\"");
  EXPECT_EQ(cli({"BRPOPLPUSH", "a", "b", "0"}), "\"2\"");
  EXPECT_EQ(cli({"BLMPOP", "0", "1", "b", "RIGHT", "COUNT", "5"}), "1) \"b\"\n2) 1) \"1\"\n   2) \"2\"");
  EXPECT_EQ(cli({"BLPOP", "a", "-1"}), "(error) ERR timeout is negative");
  EXPECT_EQ(cli({"BLPOP", "a", "x"}), "(error) ERR timeout is not a float or out of range");
  EXPECT_EQ(cli({"BLPOP", "a", "inf"}), "(error) ERR timeout is negative");
  EXPECT_EQ(cli({"BLMPOP", "x", "1", "a", "LEFT"}), "(error) ERR timeout is not a float or out of range");
  EXPECT_EQ(cli({"BLMPOP", "0", "0", "a", "LEFT"}), "(error) ERR numkeys should be greater than 0");
  EXPECT_EQ(cli({"BLMOVE", "a", "b", "UP", "LEFT", "0"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"SET", "str", "v"}), "OK");
  EXPECT_EQ(cli({"BLPOP", "str", "0"}), "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
  EXPECT_EQ(cli({"BRPOPLPUSH", "str", "b", "0"}), "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
}

// Inside MULTI/EXEC (in_exec) a blocking command with nothing to take answers at once:
// a null array, or a null bulk for the moving ones, as redis-server does in a transaction.
TEST_F(ListsTest, BlockingCommandsDoNotBlockWhenDenied) {
  client().in_exec = true;
  EXPECT_EQ(run({"BLPOP", "a", "0"}), "*-1\r\n");
  EXPECT_EQ(run({"BRPOP", "a", "b", "0"}), "*-1\r\n");
  EXPECT_EQ(run({"BLMPOP", "0", "1", "a", "LEFT"}), "*-1\r\n");
  EXPECT_EQ(run({"BLMOVE", "a", "b", "LEFT", "LEFT", "0"}), "$-1\r\n");
  EXPECT_EQ(run({"BRPOPLPUSH", "a", "b", "0"}), "$-1\r\n");
  EXPECT_EQ(run({"RPUSH", "a", "x"}), ":1\r\n");
  EXPECT_EQ(cli({"BLPOP", "a", "0"}), "1) \"a\"\n2) \"x\"");
}

TEST_F(ListsTest, ManyElementsSpanNodes) {
  restart([](server::Config& config) { config.encoding.list_max_listpack_size = 4; });
  for (int i = 0; i < 50; ++i) run({"RPUSH", "l", std::to_string(i)});
  EXPECT_EQ(cli({"LINDEX", "l", "37"}), "\"37\"");
  EXPECT_EQ(cli({"LRANGE", "l", "18", "21"}), "1) \"18\"\n2) \"19\"\n3) \"20\"\n4) \"21\"");
  EXPECT_EQ(cli({"LINSERT", "l", "BEFORE", "10", "x"}), "(integer) 51");
  EXPECT_EQ(cli({"LPOS", "l", "x"}), "(integer) 10");
  EXPECT_EQ(cli({"LTRIM", "l", "9", "11"}), "OK");
  EXPECT_EQ(cli({"LRANGE", "l", "0", "-1"}), "1) \"9\"\n2) \"x\"\n3) \"10\"");
}

// Blocking pops propagate as their non-blocking forms; LMPOP as LPOP/RPOP with the count.
TEST_F(ListsTest, PropagationOfRewrittenCommands) {
  run({"RPUSH", "a", "1", "2", "3"});
  server().propagation().begin_command();
  run({"LMPOP", "1", "a", "RIGHT", "COUNT", "2"});
  ASSERT_EQ(server().propagation().commands().size(), 1u);
  EXPECT_EQ(server().propagation().commands()[0], (std::vector<std::string>{"RPOP", "a", "2"}));
  server().propagation().begin_command();
  run({"BLPOP", "a", "0"});
  ASSERT_EQ(server().propagation().commands().size(), 1u);
  EXPECT_EQ(server().propagation().commands()[0], (std::vector<std::string>{"LPOP", "a"}));
}

}  // namespace
}  // namespace ringcache::testing
