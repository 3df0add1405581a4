// MODULE, LOLWUT, MEMORY STATS and LATENCY HISTOGRAM/DOCTOR/GRAPH as sessions.

#include <gmock/gmock.h>

#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class ServerDiagnosticsTest : public CommandFixture {};

TEST_F(ServerDiagnosticsTest, ModuleAnswersAsRedisWithModuleCommandDisabled) {
  EXPECT_EQ(run({"MODULE", "LIST"}), "*0\r\n");
  for (auto argv : std::vector<std::vector<std::string>>{
           {"MODULE", "LOAD", "/x.so"}, {"MODULE", "LOADEX", "/x.so"}, {"MODULE", "UNLOAD", "m"}}) {
    EXPECT_THAT(run(argv), StartsWith("-ERR MODULE command not allowed. If the "
                                      "enable-module-command option is set to \"local\""));
  }
  EXPECT_EQ(run({"MODULE", "NOSUCH"}),
            "-ERR unknown subcommand 'NOSUCH'. Try MODULE HELP.\r\n");
}

TEST_F(ServerDiagnosticsTest, LolwutEndsWithTheVersions) {
  const std::string art = reply({"LOLWUT"}).text;
  EXPECT_THAT(art, HasSubstr("Redis ver. 7.0.15"));
  EXPECT_THAT(art, HasSubstr("o"));
  EXPECT_NE(reply({"LOLWUT", "VERSION", "5"}).text, reply({"LOLWUT", "VERSION", "6"}).text);
  EXPECT_EQ(run({"LOLWUT", "VERSION", "x"}), "-ERR value is not an integer or out of range\r\n");
  // Redis reads VERSION first or not at all, and numbers after it only for versions 5 and 6.
  EXPECT_EQ(reply({"LOLWUT", "FOO"}).text, art);
  EXPECT_EQ(reply({"LOLWUT", "VERSION"}).text, art);
  EXPECT_EQ(run({"LOLWUT", "VERSION", "5", "x"}),
            "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(reply({"LOLWUT", "VERSION", "7", "x"}).text, art);
}

TEST_F(ServerDiagnosticsTest, MemoryStatsCountsKeysAndHasRedisFields) {
  const Reply empty = reply({"MEMORY", "STATS"});
  ASSERT_EQ(empty.elements.size(), 2u * 27);
  EXPECT_EQ(empty.elements[0].text, "peak.allocated");
  run({"SET", "k", "v"});
  const std::string stats = cli({"MEMORY", "STATS"});
  EXPECT_THAT(stats, HasSubstr("\"db.0\""));
  EXPECT_THAT(stats, HasSubstr("\"keys.count\"\n"));
  EXPECT_THAT(stats, HasSubstr("\"fragmentation.bytes\""));
  EXPECT_EQ(reply({"MEMORY", "STATS"}).elements.size(), 2u * 28);
}

TEST_F(ServerDiagnosticsTest, LatencyHistogramHasCommandsThatRan) {
  EXPECT_EQ(run({"LATENCY", "HISTOGRAM"}), "*0\r\n");
  run({"SET", "k", "v"});
  run({"SET", "k", "w"});
  const std::string all = cli({"LATENCY", "HISTOGRAM"});
  EXPECT_THAT(all, HasSubstr("\"set\""));
  EXPECT_THAT(all, HasSubstr("\"calls\"\n   2) (integer) 2"));
  EXPECT_EQ(run({"LATENCY", "HISTOGRAM", "get", "nosuch"}), "*0\r\n");
  EXPECT_THAT(cli({"LATENCY", "HISTOGRAM", "SET"}), HasSubstr("\"set\""));
}

TEST_F(ServerDiagnosticsTest, LatencyDoctorAndGraph) {
  EXPECT_THAT(reply({"LATENCY", "DOCTOR"}).text, HasSubstr("No latency spike"));
  EXPECT_EQ(run({"LATENCY", "GRAPH", "command"}),
            "-ERR No samples available for event 'command'\r\n");
  server().latency_monitor().add("command", runtime().wall_time_ms() / 1000, 250);
  EXPECT_THAT(reply({"LATENCY", "GRAPH", "command"}).text, HasSubstr("command - worst 250 ms"));
  EXPECT_THAT(reply({"LATENCY", "DOCTOR"}).text, HasSubstr("command: 1 spikes recorded"));
}

}  // namespace
}  // namespace ringcache::testing
