// What write commands propagate to the AOF and replicas: Redis 7.0's deterministic rewrites
// (relative TTLs as absolute ones, GETDEL as DEL, INCRBYFLOAT as SET KEEPTTL, ...), nothing for
// reads and no-op writes, expiries and evictions as DEL, transactions as MULTI ... EXEC.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/command_fixture.h"
#include "tests/support/recording_sink.h"

namespace ringcache::testing {
namespace {

class PropagationTest : public CommandFixture {
 protected:
  PropagationTest() { server().add_propagation_sink(&sink_); }
  // The units propagated by running `argv`.
  std::vector<std::string> propagated(std::vector<std::string> argv) {
    sink_.units.clear();
    run(std::move(argv));
    return sink_.units;
  }
  std::string now_plus_ms(int64_t ms) {
    return std::to_string(runtime().wall_time_ms() + ms);
  }
  RecordingSink sink_;
};

using Units = std::vector<std::string>;

TEST_F(PropagationTest, PlainWritesPropagateAsSent) {
  EXPECT_EQ(propagated({"SET", "k", "1"}), Units{"SET k 1"});
  EXPECT_EQ(propagated({"INCR", "k"}), Units{"INCR k"});
  EXPECT_EQ(propagated({"APPEND", "k", "x"}), Units{"APPEND k x"});
  EXPECT_EQ(propagated({"DEL", "k", "nothere"}), Units{"DEL k nothere"});
}

TEST_F(PropagationTest, ReadsAndNoOpWritesPropagateNothing) {
  run({"SET", "k", "v"});
  EXPECT_EQ(propagated({"GET", "k"}), Units{});
  EXPECT_EQ(propagated({"DEL", "missing"}), Units{});
  EXPECT_EQ(propagated({"SET", "k", "w", "NX"}), Units{});
  EXPECT_EQ(propagated({"EXPIRE", "missing", "10"}), Units{});
  EXPECT_EQ(propagated({"INCR", "k"}), Units{});  // an error changes nothing
}

TEST_F(PropagationTest, RelativeTtlsBecomeAbsolute) {
  const std::string at = now_plus_ms(10'000);
  EXPECT_EQ(propagated({"SET", "k", "v", "EX", "10"}), Units{"SET k v PXAT " + at});
  EXPECT_EQ(propagated({"SET", "k", "v", "PX", "10000", "XX"}), Units{"SET k v PXAT " + at});
  EXPECT_EQ(propagated({"SETEX", "k", "10", "v"}), Units{"SET k v PXAT " + at});
  EXPECT_EQ(propagated({"PSETEX", "k", "10000", "v"}), Units{"SET k v PXAT " + at});
  EXPECT_EQ(propagated({"SET", "k", "v", "PXAT", at}), Units{"SET k v PXAT " + at});
  EXPECT_EQ(propagated({"EXPIRE", "k", "10"}), Units{"PEXPIREAT k " + at});
  EXPECT_EQ(propagated({"PEXPIRE", "k", "10000", "GT"}), Units{});  // not greater: no change
  EXPECT_EQ(propagated({"PEXPIRE", "k", "20000"}), Units{"PEXPIREAT k " + now_plus_ms(20'000)});
  EXPECT_EQ(propagated({"GETEX", "k", "EX", "10"}), Units{"PEXPIREAT k " + at});
  EXPECT_EQ(propagated({"GETEX", "k", "PERSIST"}), Units{"PERSIST k"});
}

TEST_F(PropagationTest, ExpiryInThePastBecomesDel) {
  run({"SET", "k", "v"});
  EXPECT_EQ(propagated({"EXPIRE", "k", "-1"}), Units{"DEL k"});
  run({"SET", "k", "v"});
  EXPECT_EQ(propagated({"GETEX", "k", "PXAT", "1"}), Units{"DEL k"});
}

TEST_F(PropagationTest, NonDeterministicFormsAreReplaced) {
  run({"SET", "k", "v"});
  EXPECT_EQ(propagated({"GETDEL", "k"}), Units{"DEL k"});
  EXPECT_EQ(propagated({"GETSET", "k", "v2"}), Units{"SET k v2"});
  EXPECT_EQ(propagated({"INCRBYFLOAT", "f", "1.50"}), Units{"SET f 1.5 KEEPTTL"});
}

TEST_F(PropagationTest, ExpiredKeysPropagateAsDelBeforeTheCommand) {
  run({"SET", "k", "v", "PX", "100"});
  advance(std::chrono::milliseconds(200));
  EXPECT_EQ(propagated({"GET", "k"}), Units{"DEL k"});
  run({"SET", "k", "1", "PX", "100"});
  advance(std::chrono::milliseconds(200));
  EXPECT_EQ(propagated({"INCR", "k"}), (Units{"DEL k", "INCR k"}));
}

TEST_F(PropagationTest, TransactionsAreWrappedInMultiExec) {
  server().begin_transaction();
  run({"SET", "a", "1"});
  run({"GET", "a"});
  run({"SETEX", "b", "10", "2"});
  EXPECT_EQ(sink_.units, Units{});
  server().end_transaction();
  EXPECT_EQ(sink_.units,
            Units{"MULTI | SET a 1 | SET b 2 PXAT " + now_plus_ms(10'000) + " | EXEC"});
  sink_.units.clear();
  server().begin_transaction();
  run({"GET", "a"});
  server().end_transaction();
  EXPECT_EQ(sink_.units, Units{});
}

TEST_F(PropagationTest, NothingIsPropagatedWhileLoading) {
  server().set_loading(true);
  server::Client& loader = connect();
  loader.aof_loader = true;
  sink_.units.clear();
  run_as(loader, {"SET", "k", "v"});
  EXPECT_EQ(sink_.units, Units{});
  EXPECT_EQ(run({"GET", "k"}), "-LOADING Redis is loading the dataset in memory\r\n");
  server().set_loading(false);
  EXPECT_EQ(cli({"GET", "k"}), "\"v\"");
}

}  // namespace
}  // namespace ringcache::testing
