// What execute() does around every command: arity, OOM refusal, statistics, keyspace time.

#include <gmock/gmock.h>

#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

class DispatchTest : public CommandFixture {};

TEST_F(DispatchTest, ArityErrorsUseTheFullName) {
  EXPECT_EQ(run({"GET"}), "-ERR wrong number of arguments for 'get' command\r\n");
  EXPECT_EQ(run({"client", "id", "extra"}),
            "-ERR wrong number of arguments for 'client|id' command\r\n");
}

TEST_F(DispatchTest, CommandNamesAreCaseInsensitive) {
  EXPECT_EQ(run({"pInG"}), "+PONG\r\n");
  EXPECT_EQ(run({"Config", "gEt", "hz"}), "*2\r\n$2\r\nhz\r\n$2\r\n10\r\n");
}

TEST_F(DispatchTest, DenyoomCommandsAreRefusedOverMaxmemory) {
  restart([](server::Config& c) { c.eviction.maxmemory_bytes = 1; });  // noeviction
  EXPECT_EQ(run({"SET", "k", "v"}),
            "-OOM command not allowed when used memory > 'maxmemory'.\r\n");
  EXPECT_EQ(run({"GET", "k"}), "$-1\r\n");  // reads still work
  EXPECT_EQ(run({"PING"}), "+PONG\r\n");
}

TEST_F(DispatchTest, StatisticsCountRanRejectedAndFailedCalls) {
  run({"PING"});
  run({"GET"});                   // rejected: arity
  run({"SELECT", "5"});           // ran, failed
  run({"NOSUCH"});                // unknown: counted nowhere but in the error total
  EXPECT_EQ(server().stats().total_commands_processed, 2u);
  EXPECT_EQ(server().stats().total_error_replies, 3u);
  const auto* get = server().commands().find("get");
  ASSERT_NE(get, nullptr);
  EXPECT_EQ(get->stats.rejected_calls, 1u);
  EXPECT_EQ(server().commands().find("select")->stats.failed_calls, 1u);
  EXPECT_EQ(client().last_command, "select");
}

TEST_F(DispatchTest, KeyspaceTimeIsTheRuntimeWallClock) {
  run({"SET", "k", "v", "PX", "1000"});
  advance(std::chrono::milliseconds(999));
  EXPECT_EQ(run({"GET", "k"}), "$1\r\nv\r\n");
  advance(std::chrono::milliseconds(2));
  EXPECT_EQ(run({"GET", "k"}), "$-1\r\n");
}

TEST_F(DispatchTest, CommandTableLookupAndKeyPositions) {
  const commands::CommandTable& table = server().commands();
  EXPECT_EQ(table.find("GET"), table.find("get"));
  EXPECT_EQ(table.find("nosuch"), nullptr);
  const commands::CommandSpec* config = table.find("config");
  ASSERT_NE(config, nullptr);
  EXPECT_EQ(table.find_subcommand(*config, "GET")->name, "config|get");
  for (size_t i = 1; i < table.all().size(); ++i) {
    EXPECT_LT(table.all()[i - 1]->name, table.all()[i]->name);
  }
  const std::vector<std::string_view> mset{"MSET", "a", "1", "b", "2"};
  EXPECT_EQ(commands::CommandTable::key_positions(*table.find("mset"), mset),
            (std::vector<int>{1, 3}));
}

TEST_F(DispatchTest, FlagNamesInRedisOrder) {
  EXPECT_EQ(commands::flag_names(commands::flag_fast | commands::flag_write |
                                 commands::flag_no_auth | commands::flag_may_replicate),
            (std::vector<std::string_view>{"write", "fast", "no_auth"}));
}

}  // namespace
}  // namespace ringcache::testing
