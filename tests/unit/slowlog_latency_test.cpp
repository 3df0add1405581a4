// SLOWLOG and LATENCY as a client sees them: Redis 7.0's reply shapes, config names, clipping
// and redaction, driven on a manual clock (DEBUG SLEEP moves it, so a command "takes" time).

#include <gmock/gmock.h>

#include "core/constants.h"
#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

using ::testing::HasSubstr;

class SlowlogLatencyTest : public CommandFixture {};

TEST_F(SlowlogLatencyTest, DefaultsAndConfigNames) {
  EXPECT_EQ(cli({"CONFIG", "GET", "slowlog-log-slower-than"}),
            "1) \"slowlog-log-slower-than\"\n2) \"10000\"");
  EXPECT_EQ(cli({"CONFIG", "GET", "slowlog-max-len"}), "1) \"slowlog-max-len\"\n2) \"128\"");
  EXPECT_EQ(cli({"CONFIG", "GET", "latency-monitor-threshold"}),
            "1) \"latency-monitor-threshold\"\n2) \"0\"");
  EXPECT_THAT(cli({"CONFIG", "SET", "slowlog-log-slower-than", "-2"}),
              HasSubstr("argument must be between -1 and"));
  EXPECT_EQ(cli({"SLOWLOG", "LEN"}), "(integer) 0");
  EXPECT_EQ(cli({"SLOWLOG", "GET"}), "(empty array)");
}

TEST_F(SlowlogLatencyTest, SlowCommandsAreLoggedNewestFirstWithRedisEntryShape) {
  client().name = "app";
  run({"CONFIG", "SET", "slowlog-log-slower-than", "100000"});  // 100 ms
  run({"DEBUG", "SLEEP", "0.25"});
  run({"GET", "fast"});  // takes no time on the manual clock: not logged
  run({"DEBUG", "SLEEP", "0.5"});
  EXPECT_EQ(cli({"SLOWLOG", "LEN"}), "(integer) 2");
  const Reply entries = reply({"SLOWLOG", "GET"});
  ASSERT_EQ(entries.elements.size(), 2u);
  const Reply& newest = entries.elements[0];
  ASSERT_EQ(newest.elements.size(), 6u);
  EXPECT_EQ(newest.elements[0].integer, 1);  // ids count from 0
  EXPECT_EQ(newest.elements[1].integer, runtime().wall_time_us() / 1'000'000);
  EXPECT_EQ(newest.elements[2].integer, 500000);  // microseconds
  EXPECT_EQ(newest.elements[3].cli(), "1) \"DEBUG\"\n2) \"SLEEP\"\n3) \"0.5\"");
  EXPECT_EQ(newest.elements[4].text, client().address);
  EXPECT_EQ(newest.elements[5].text, "app");
  EXPECT_EQ(entries.elements[1].elements[2].integer, 250000);
  EXPECT_EQ(reply({"SLOWLOG", "GET", "1"}).elements.size(), 1u);
  EXPECT_EQ(reply({"SLOWLOG", "GET", "-1"}).elements.size(), 2u);
  EXPECT_EQ(cli({"SLOWLOG", "GET", "-2"}), "(error) ERR count should be greater than or equal to -1");
  EXPECT_EQ(cli({"SLOWLOG", "GET", "x"}), "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"SLOWLOG", "GET", "1", "2"}),
            "(error) ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG "
            "HELP.");
  EXPECT_EQ(cli({"SLOWLOG", "RESET"}), "OK");
  EXPECT_EQ(cli({"SLOWLOG", "LEN"}), "(integer) 0");
}

TEST_F(SlowlogLatencyTest, ZeroLogsEverythingNegativeNothingAndMaxLenTrims) {
  run({"CONFIG", "SET", "slowlog-log-slower-than", "0", "slowlog-max-len", "3"});
  for (int i = 0; i < 5; ++i) run({"SET", "k", std::to_string(i)});
  EXPECT_EQ(cli({"SLOWLOG", "LEN"}), "(integer) 3");
  // Every command counts, SLOWLOG itself included: the newest entry is the SLOWLOG LEN above.
  EXPECT_EQ(reply({"SLOWLOG", "GET", "1"}).elements[0].elements[3].cli(),
            "1) \"SLOWLOG\"\n2) \"LEN\"");
  run({"CONFIG", "SET", "slowlog-log-slower-than", "-1"});
  run({"SLOWLOG", "RESET"});
  run({"GET", "k"});
  EXPECT_EQ(cli({"SLOWLOG", "LEN"}), "(integer) 0");
}

TEST_F(SlowlogLatencyTest, ArgumentsAreClippedAndSecretsRedacted) {
  run({"CONFIG", "SET", "slowlog-log-slower-than", "0"});
  std::vector<std::string> many{"MSET"};
  for (int i = 0; i < 40; ++i) many.push_back(i == 1 ? std::string(200, 'v') : "a");
  run(many);
  const Reply args = reply({"SLOWLOG", "GET", "1"}).elements[0].elements[3];
  ASSERT_EQ(args.elements.size(), constants::slowlog_entry_args_max);
  EXPECT_EQ(args.elements[2].text, std::string(128, 'v') + "... (72 more bytes)");
  EXPECT_EQ(args.elements.back().text, "... (10 more arguments)");
  run({"AUTH", "secret"});
  run({"HELLO", "2", "AUTH", "user", "pw", "SETNAME", "n"});
  const Reply log = reply({"SLOWLOG", "GET", "2"});
  EXPECT_EQ(log.elements[0].elements[3].cli(),
            "1) \"HELLO\"\n2) \"2\"\n3) \"AUTH\"\n4) \"(redacted)\"\n5) \"(redacted)\"\n"
            "6) \"SETNAME\"\n7) \"n\"");
  EXPECT_EQ(log.elements[1].elements[3].cli(), "1) \"AUTH\"\n2) \"(redacted)\"");
}

TEST_F(SlowlogLatencyTest, HelpListsTheSubcommands) {
  EXPECT_THAT(cli({"SLOWLOG", "HELP"}), HasSubstr("1) SLOWLOG <subcommand>"));
  EXPECT_THAT(cli({"LATENCY", "HELP"}), HasSubstr("LATEST"));
  EXPECT_EQ(cli({"SLOWLOG", "NOPE"}), "(error) ERR unknown subcommand 'NOPE'. Try SLOWLOG HELP.");
}

TEST_F(SlowlogLatencyTest, LatencyMonitorKeepsOneWorstSamplePerSecond) {
  EXPECT_EQ(cli({"LATENCY", "LATEST"}), "(empty array)");
  run({"DEBUG", "SLEEP", "0.2"});  // monitor off (threshold 0): nothing recorded
  EXPECT_EQ(cli({"LATENCY", "LATEST"}), "(empty array)");
  run({"CONFIG", "SET", "latency-monitor-threshold", "100"});
  run({"DEBUG", "SLEEP", "0.15"});
  const int64_t first_second = runtime().wall_time_us() / 1'000'000;
  advance(std::chrono::seconds(3));
  run({"DEBUG", "SLEEP", "0.3"});
  run({"DEBUG", "SLEEP", "0.2"});  // same second as the 300 ms one: keeps 300
  run({"DEBUG", "SLEEP", "0.05"});  // under the threshold
  const int64_t second = runtime().wall_time_us() / 1'000'000;
  const Reply latest = reply({"LATENCY", "LATEST"});
  ASSERT_EQ(latest.elements.size(), 1u);
  EXPECT_EQ(latest.elements[0].elements[0].text, "command");  // DEBUG is not a fast command
  EXPECT_EQ(latest.elements[0].elements[3].integer, 300);
  const Reply history = reply({"LATENCY", "HISTORY", "command"});
  ASSERT_EQ(history.elements.size(), 2u);
  EXPECT_EQ(history.elements[0].elements[0].integer, first_second);
  EXPECT_EQ(history.elements[0].elements[1].integer, 150);
  EXPECT_EQ(history.elements[1].elements[1].integer, 300);
  EXPECT_LE(history.elements[1].elements[0].integer, second);
  EXPECT_EQ(cli({"LATENCY", "HISTORY", "nothing"}), "(empty array)");
  EXPECT_EQ(cli({"LATENCY", "RESET", "nothing"}), "(integer) 0");
  EXPECT_EQ(cli({"LATENCY", "RESET"}), "(integer) 1");
  EXPECT_EQ(cli({"LATENCY", "LATEST"}), "(empty array)");
}

TEST_F(SlowlogLatencyTest, CommandstatsAndMetricsShareTheDurationHistogram) {
  run({"DEBUG", "SLEEP", "1"});
  EXPECT_THAT(reply({"INFO", "commandstats"}).text,
              HasSubstr("cmdstat_debug:calls=1,usec=1000000,usec_per_call=1000000.00,"));
  std::string text;
  server().metrics().render(text);
  EXPECT_THAT(text, HasSubstr("ringcache_command_duration_seconds_bucket{cmd=\"debug\",le=\"0.5\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("ringcache_command_duration_seconds_bucket{cmd=\"debug\",le=\"1\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("ringcache_command_duration_seconds_sum{cmd=\"debug\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("ringcache_commands_total{cmd=\"debug\"} 1\n"));
  run({"CONFIG", "RESETSTAT"});
  text.clear();
  server().metrics().render(text);
  EXPECT_THAT(text, ::testing::Not(HasSubstr("cmd=\"debug\"")));
}

}  // namespace
}  // namespace ringcache::testing
