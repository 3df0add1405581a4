// The stream commands as a session: every expectation is what redis-server 7.0 answers to the
// same commands (checked by running them against it).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/server/server.h"
#include "core/store/keyspace.h"
#include "core/store/stream_value.h"
#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

class StreamsTest : public CommandFixture {};

TEST_F(StreamsTest, XaddIdsAndErrors) {
  EXPECT_EQ(cli({"XADD", "s", "1-1", "f", "v"}), "\"1-1\"");
  EXPECT_EQ(cli({"XADD", "s", "1-1", "f", "v"}),
            "(error) ERR The ID specified in XADD is equal or smaller than the target stream "
            "top item");
  EXPECT_EQ(cli({"XADD", "s", "1-*", "g", "w"}), "\"1-2\"");
  EXPECT_EQ(cli({"XADD", "s", "0-0", "a", "b"}),
            "(error) ERR The ID specified in XADD must be greater than 0-0");
  EXPECT_EQ(cli({"XADD", "s", "MAXLEN", "~", "x", "2", "f", "v"}),
            "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"XADD", "s", "MAXLEN", "1", "LIMIT", "2", "3", "f", "v"}),
            "(error) ERR syntax error, LIMIT cannot be used without the special ~ option");
  EXPECT_EQ(cli({"XADD", "s", "MAXLEN", "1", "*", "f"}),
            "(error) ERR wrong number of arguments for 'xadd' command");
  EXPECT_EQ(cli({"XADD", "nokey", "NOMKSTREAM", "5-5", "f", "v"}), "(nil)");
  EXPECT_EQ(cli({"EXISTS", "nokey"}), "(integer) 0");
  EXPECT_EQ(cli({"XLEN", "s"}), "(integer) 2");
  EXPECT_EQ(cli({"TYPE", "s"}), "stream");
  EXPECT_EQ(cli({"OBJECT", "ENCODING", "s"}), "\"stream\"");
}

TEST_F(StreamsTest, RangesCountsAndExclusiveBounds) {
  run({"XADD", "s", "1-1", "f", "v"});
  run({"XADD", "s", "1-2", "g", "w"});
  EXPECT_EQ(reply({"XRANGE", "s", "(1-1", "+", "COUNT", "1"}).cli(),
            reply({"XREVRANGE", "s", "+", "-", "COUNT", "1"}).cli());
  EXPECT_EQ(cli({"XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"}),
            "(error) ERR invalid start ID for the interval");
  EXPECT_EQ(cli({"XRANGE", "s", "-", "+", "COUNT", "0"}), "(nil)");
  EXPECT_EQ(cli({"XRANGE", "nokey", "-", "+", "COUNT", "0"}), "(empty array)");
  EXPECT_EQ(cli({"XRANGE", "s", "(-", "+"}),
            "(error) ERR Invalid stream ID specified as stream command argument");
  EXPECT_EQ(cli({"XDEL", "s", "1-2", "9"}), "(integer) 1");
  EXPECT_EQ(cli({"XRANGE", "s", "1-2", "+"}), "(empty array)");
}

TEST_F(StreamsTest, AStreamEmptiedByTrimOrXdelStays) {
  EXPECT_EQ(cli({"XADD", "s", "MAXLEN", "0", "5-0", "a", "b"}), "\"5-0\"");
  EXPECT_EQ(cli({"EXISTS", "s"}), "(integer) 1");
  EXPECT_EQ(cli({"XLEN", "s"}), "(integer) 0");
  EXPECT_EQ(cli({"XADD", "s", "5-0", "a", "b"}),
            "(error) ERR The ID specified in XADD is equal or smaller than the target stream "
            "top item");
  run({"XADD", "t", "1-0", "a", "b"});
  EXPECT_EQ(cli({"XDEL", "t", "1-0"}), "(integer) 1");
  EXPECT_EQ(cli({"TYPE", "t"}), "stream");
}

TEST_F(StreamsTest, SetidChecksItsArgumentsAsRedis) {
  run({"XADD", "s", "1-1", "f", "v"});
  EXPECT_EQ(cli({"XSETID", "s", "0-5"}),
            "(error) ERR The ID specified in XSETID is smaller than the target stream top item");
  EXPECT_EQ(cli({"XSETID", "nokey", "1-1"}), "(error) ERR no such key");
  EXPECT_EQ(cli({"XSETID", "s", "1-1", "0"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"XSETID", "s", "5-0", "ENTRIESADDED", "-1"}),
            "(error) ERR entries_added must be positive");
  EXPECT_EQ(cli({"XSETID", "s", "5-0", "ENTRIESADDED", "7", "MAXDELETEDID", "2-0"}), "OK");
  EXPECT_EQ(cli({"XADD", "s", "5-*", "f", "v"}), "\"5-1\"");
}

TEST_F(StreamsTest, GroupsDeliverClaimAndAcknowledge) {
  run({"XADD", "s", "1-1", "f", "v"});
  run({"XADD", "s", "1-2", "g", "w"});
  EXPECT_EQ(cli({"XGROUP", "CREATE", "s", "g", "0"}), "OK");
  EXPECT_EQ(cli({"XGROUP", "CREATE", "s", "g", "0"}),
            "(error) BUSYGROUP Consumer Group name already exists");
  EXPECT_EQ(cli({"XGROUP", "CREATE", "nokey", "g", "$"}),
            "(error) ERR The XGROUP subcommand requires the key to exist. Note that for CREATE "
            "you may want to use the MKSTREAM option to create an empty stream automatically.");
  // [[s, [[1-1, [f, v]]]]]: the stream's first entry, as XRANGE shows it.
  const auto read = reply({"XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">"});
  ASSERT_EQ(read.elements.size(), 1u);
  ASSERT_EQ(read.elements[0].elements.size(), 2u);
  EXPECT_EQ(read.elements[0].elements[0].text, "s");
  EXPECT_EQ(read.elements[0].elements[1].cli(), cli({"XRANGE", "s", "-", "1-1"}));
  EXPECT_EQ(cli({"XPENDING", "s", "g"}),
            "1) (integer) 1\n2) \"1-1\"\n3) \"1-1\"\n4) 1) 1) \"alice\"\n      2) \"1\"");
  EXPECT_EQ(cli({"XPENDING", "s", "g", "-", "+", "10", "bob"}), "(empty array)");
  EXPECT_EQ(cli({"XCLAIM", "s", "g", "bob", "0", "1-1", "JUSTID"}), "1) \"1-1\"");
  EXPECT_EQ(cli({"XAUTOCLAIM", "s", "g", "carol", "0", "-", "COUNT", "0"}),
            "(error) ERR COUNT must be > 0");
  EXPECT_EQ(cli({"XACK", "s", "g", "1-1", "1-1"}), "(integer) 1");
  EXPECT_EQ(cli({"XACK", "s", "g", "x"}),
            "(error) ERR Invalid stream ID specified as stream command argument");
  EXPECT_EQ(cli({"XGROUP", "DELCONSUMER", "s", "g", "alice"}), "(integer) 0");
  EXPECT_EQ(cli({"XGROUP", "CREATECONSUMER", "s", "nog", "x"}),
            "(error) NOGROUP No such consumer group 'nog' for key name 's'");
  EXPECT_EQ(cli({"XGROUP", "DESTROY", "s", "g"}), "(integer) 1");
  EXPECT_EQ(cli({"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"}),
            "(error) NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP "
            "option");
}

TEST_F(StreamsTest, RewriteOfTheValueReproducesItsInfo) {
  run({"XADD", "s", "1-1", "f", "v"});
  run({"XADD", "s", "2-0", "f", "w"});
  run({"XADD", "s", "3-0", "f", "x"});
  run({"XDEL", "s", "3-0"});
  run({"XGROUP", "CREATE", "s", "g", "0"});
  run({"XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">"});
  run({"XGROUP", "CREATECONSUMER", "s", "g", "bob"});
  const std::string before = run({"XINFO", "STREAM", "s", "FULL"});
  std::vector<std::vector<std::string>> commands;
  store::Entry* entry = server().keyspace().find_read("s");
  ASSERT_NE(entry, nullptr);
  entry->collection()->rebuild("s", [&](std::span<const std::string_view> argv) {
    commands.emplace_back(argv.begin(), argv.end());
  });
  run({"DEL", "s"});
  for (const auto& argv : commands) run(argv);
  EXPECT_EQ(run({"XINFO", "STREAM", "s", "FULL"}), before);
}

}  // namespace
}  // namespace ringcache::testing
