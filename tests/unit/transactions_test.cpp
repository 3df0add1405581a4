// MULTI/EXEC/DISCARD/WATCH as sessions; expectations are what redis-server 7.0 answers.

#include <chrono>
#include <string>

#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

class TransactionsTest : public CommandFixture {};

TEST_F(TransactionsTest, QueuedCommandsRunAtExecWithTheirOwnReplies) {
  EXPECT_EQ(cli({"MULTI"}), "OK");
  EXPECT_EQ(cli({"SET", "a", "1"}), "QUEUED");
  EXPECT_EQ(cli({"INCR", "a"}), "QUEUED");
  EXPECT_EQ(cli({"SET", "b", "x"}), "QUEUED");
  EXPECT_EQ(cli({"INCR", "b"}), "QUEUED") << "value errors show at EXEC";
  EXPECT_EQ(cli({"GET", "a"}), "QUEUED");
  EXPECT_EQ(cli({"EXEC"}),
            "1) OK\n2) (integer) 2\n3) OK\n4) (error) ERR value is not an integer or out of "
            "range\n5) \"2\"");
  EXPECT_EQ(cli({"EXEC"}), "(error) ERR EXEC without MULTI");
  EXPECT_FALSE(client().in_exec);
}

TEST_F(TransactionsTest, ErrorsWhileQueueingAbortExec) {
  EXPECT_EQ(cli({"MULTI"}), "OK");
  EXPECT_EQ(cli({"MULTI"}), "(error) ERR MULTI calls can not be nested");
  EXPECT_EQ(cli({"WATCH", "x"}), "(error) ERR WATCH inside MULTI is not allowed");
  EXPECT_EQ(cli({"SET", "a", "1"}), "QUEUED");
  EXPECT_EQ(cli({"GETX"}), "(error) ERR unknown command 'GETX', with args beginning with: ");
  EXPECT_EQ(cli({"GET"}), "(error) ERR wrong number of arguments for 'get' command");
  EXPECT_EQ(cli({"EXEC"}),
            "(error) EXECABORT Transaction discarded because of previous errors.");
  EXPECT_EQ(cli({"GET", "a"}), "(nil)") << "nothing ran";
}

TEST_F(TransactionsTest, ExecRefusedBeforeRunningDiscardsTheTransaction) {
  run({"MULTI"});
  run({"SET", "a", "1"});
  EXPECT_EQ(cli({"EXEC", "x"}),
            "(error) EXECABORT Transaction discarded because of: wrong number of arguments for "
            "'exec' command");
  EXPECT_EQ(cli({"EXEC"}), "(error) ERR EXEC without MULTI");
  EXPECT_EQ(cli({"GET", "a"}), "(nil)");
  run({"SUBSCRIBE", "q"});
  EXPECT_EQ(cli({"EXEC"}),
            "(error) EXECABORT Transaction discarded because of: Can't execute 'exec': only "
            "(P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
}

TEST_F(TransactionsTest, NestingAndWatchErrorsAloneDoNotAbort) {
  run({"MULTI"});
  run({"MULTI"});
  run({"WATCH", "k"});
  run({"SET", "a", "1"});
  EXPECT_EQ(cli({"EXEC"}), "1) OK");
}

TEST_F(TransactionsTest, Discard) {
  EXPECT_EQ(cli({"DISCARD"}), "(error) ERR DISCARD without MULTI");
  run({"MULTI"});
  run({"SET", "a", "1"});
  EXPECT_EQ(cli({"DISCARD"}), "OK");
  EXPECT_EQ(cli({"GET", "a"}), "(nil)");
  EXPECT_EQ(cli({"EXEC"}), "(error) ERR EXEC without MULTI");
}

TEST_F(TransactionsTest, WatchedKeyChangedByAnotherClientFailsExec) {
  server::Client& other = connect();
  EXPECT_EQ(cli({"WATCH", "k"}), "OK");
  run_as(other, {"SET", "k", "theirs"});
  run({"MULTI"});
  run({"SET", "k", "mine"});
  EXPECT_EQ(run({"EXEC"}), "*-1\r\n");
  EXPECT_EQ(cli({"GET", "k"}), "\"theirs\"");
  // Unwatched after EXEC: the next transaction runs.
  run_as(other, {"SET", "k", "again"});
  run({"MULTI"});
  run({"SET", "k", "mine"});
  EXPECT_EQ(cli({"EXEC"}), "1) OK");
}

TEST_F(TransactionsTest, Resp3ExecAbortIsNull) {
  client().resp_version = 3;
  run({"WATCH", "k"});
  run({"SET", "k", "1"});  // our own write counts too
  run({"MULTI"});
  EXPECT_EQ(run({"EXEC"}), "_\r\n");
}

TEST_F(TransactionsTest, SmoveTouchesTheDestinationOnlyWhenItAdds) {
  run({"SADD", "src", "a", "b"});
  run({"SADD", "dst", "a"});
  run({"WATCH", "dst"});
  auto& other = connect();
  EXPECT_EQ(run_as(other, {"SMOVE", "src", "dst", "a"}), ":1\r\n");
  run({"MULTI"});
  run({"SADD", "dst", "c"});
  EXPECT_EQ(cli({"EXEC"}), "1) (integer) 1") << "dst did not change";
  run({"WATCH", "dst"});
  EXPECT_EQ(run_as(other, {"SMOVE", "src", "dst", "b"}), ":1\r\n");
  run({"MULTI"});
  run({"SCARD", "dst"});
  EXPECT_EQ(cli({"EXEC"}), "(nil)") << "dst gained b";
}

TEST_F(TransactionsTest, UnwatchAndUnchangedKeys) {
  run({"SET", "k", "1"});
  run({"WATCH", "k", "other"});
  run({"GET", "k"});  // reads change nothing
  run({"MULTI"});
  run({"INCR", "k"});
  EXPECT_EQ(cli({"EXEC"}), "1) (integer) 2");
  run({"WATCH", "k"});
  run({"SET", "k", "1"});
  EXPECT_EQ(cli({"UNWATCH"}), "OK");
  run({"MULTI"});
  run({"GET", "k"});
  EXPECT_EQ(cli({"EXEC"}), "1) \"1\"");
}

TEST_F(TransactionsTest, WatchedKeyExpiringFailsExec) {
  run({"SET", "k", "v", "PX", "100"});
  run({"WATCH", "k"});
  advance(std::chrono::milliseconds(200));
  run({"MULTI"});
  run({"PING"});
  EXPECT_EQ(run({"EXEC"}), "*-1\r\n") << "expired after WATCH, as Redis 7.0";
}

TEST_F(TransactionsTest, KeyAlreadyExpiredAtWatchIsNoChange) {
  run({"SET", "k", "v", "PX", "100"});
  advance(std::chrono::milliseconds(200));
  run({"WATCH", "k"});
  run({"MULTI"});
  run({"PING"});
  EXPECT_EQ(cli({"EXEC"}), "1) PONG");
}

TEST_F(TransactionsTest, FlushallTouchesOnlyExistingWatchedKeys) {
  run({"SET", "k", "v"});
  run({"WATCH", "absent"});
  run({"FLUSHALL"});
  run({"MULTI"});
  run({"PING"});
  EXPECT_EQ(cli({"EXEC"}), "1) PONG");
  run({"SET", "k", "v"});
  run({"WATCH", "k"});
  connect();
  run_as(*server().clients().rbegin()->second, {"FLUSHALL"});
  run({"MULTI"});
  run({"PING"});
  EXPECT_EQ(run({"EXEC"}), "*-1\r\n");
}

TEST_F(TransactionsTest, InExecIsSetOnlyWhileQueuedCommandsRun) {
  run({"MULTI"});
  run({"CLIENT", "ID"});
  EXPECT_FALSE(client().in_exec);
  run({"EXEC"});
  EXPECT_FALSE(client().in_exec);
  EXPECT_FALSE(client().in_multi);
}

TEST_F(TransactionsTest, ClientListShowsMulti) {
  run({"MULTI"});
  run({"SET", "a", "1"});
  run({"EXEC"});
  run({"MULTI"});
  run({"SET", "a", "1"});
  run({"DISCARD"});
  EXPECT_NE(cli({"CLIENT", "INFO"}).find("multi=-1"), std::string::npos);
}

}  // namespace
}  // namespace ringcache::testing
