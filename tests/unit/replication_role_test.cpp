// Replication on one node, without connections: what dispatch lets through from the primary's
// stream on a replica (no MISCONF, the keyspace as the primary sees it), how writes reach the
// sinks (one encoding for the AOF and the stream), which sinks a replica registers, and the link
// states ROLE shows.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "core/replication/replication.h"
#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

// A sink that records what it was handed and can refuse writes as a failing AOF does.
class ProbeSink final : public server::PropagationSink {
 public:
  void propagate(const server::PropagatedUnit& unit) override {
    resp_seen.emplace_back(unit.resp);
    resp_at.push_back(unit.resp.data());
  }
  std::optional<std::string> write_refusal() const override { return refusal; }

  std::optional<std::string> refusal;
  std::vector<std::string> resp_seen;
  std::vector<const char*> resp_at;
};

class ReplicationRoleTest : public CommandFixture {
 protected:
  // The client a replica's link runs its primary's commands as.
  server::Client& primary_stream() {
    server::Client& master = connect();
    master.replication_master = true;
    return master;
  }
};

TEST_F(ReplicationRoleTest, AFailingDiskRefusesClientsButNeverThePrimarysStream) {
  ProbeSink sink;
  sink.refusal = "Errors writing to the AOF file: No space left on device";
  server().add_propagation_sink(&sink);
  const Reply refused = reply({"SET", "k", "client"});
  EXPECT_TRUE(refused.text.starts_with("MISCONF")) << refused.text;
  // The primary accepted this write already: refusing it would fork the replica's data off.
  EXPECT_EQ(run_as(primary_stream(), {"SET", "k", "primary"}), "+OK\r\n");
  EXPECT_EQ(run_as(primary_stream(), {"PING"}), "+PONG\r\n");
  sink.refusal.reset();
  EXPECT_EQ(cli({"GET", "k"}), "\"primary\"");
  server().remove_propagation_sink(&sink);
}

TEST_F(ReplicationRoleTest, ThePrimarysCommandsSeeKeysTheReplicaHidesAsExpired) {
  server().keyspace().set_expiry_mode(store::ExpiryMode::hide_expired);  // a replica
  run_as(primary_stream(), {"SADD", "src", "a", "b"});
  run_as(primary_stream(), {"PEXPIRE", "src", "100"});
  advance(std::chrono::milliseconds(200));  // past the TTL by the replica's clock
  EXPECT_EQ(cli({"EXISTS", "src"}), "(integer) 0");
  // The primary has not expired src yet: its SUNIONSTORE read two members, and so must ours.
  EXPECT_EQ(run_as(primary_stream(), {"SUNIONSTORE", "dst", "src"}), ":2\r\n");
  EXPECT_EQ(cli({"SCARD", "dst"}), "(integer) 2");
  // The context ended with the command: the replica's own clients still see src as gone.
  EXPECT_EQ(server().keyspace().expiry_mode(), store::ExpiryMode::hide_expired);
  EXPECT_EQ(cli({"EXISTS", "src"}), "(integer) 0");
}

// The primary sent PEXPIREAT with a deadline its own clock had not reached; this replica's clock
// runs ahead and has. Deleting the key would part the two for good at one offset (promoted, this
// node would never send the old primary a DEL for it): it stays, hidden, until the DEL comes.
TEST_F(ReplicationRoleTest, AReplicaKeepsAKeyWhoseDeadlineItsClockAlreadyPassed) {
  replication::Replication repl(server());
  ASSERT_TRUE(repl.follow("10.0.0.1", 7000).is_ok());
  run_as(primary_stream(), {"SET", "k", "v"});
  const int64_t past_ms = server().runtime().wall_time_ms() - 1000;
  EXPECT_EQ(run_as(primary_stream(), {"PEXPIREAT", "k", std::to_string(past_ms)}), ":1\r\n");
  EXPECT_EQ(cli({"EXISTS", "k"}), "(integer) 0");  // hidden from the replica's clients
  {
    store::ScopedExpiryMode keep(server().keyspace(), store::ExpiryMode::keep_expired);
    EXPECT_EQ(server().keyspace().size(), 1u);  // but still there
  }
  EXPECT_EQ(run_as(primary_stream(), {"DEL", "k"}), ":1\r\n");
  // A primary deletes at once, as Redis does.
  repl.stop_following();
  run({"SET", "j", "v"});
  EXPECT_EQ(cli({"PEXPIREAT", "j", std::to_string(past_ms)}), "(integer) 1");
  store::ScopedExpiryMode keep(server().keyspace(), store::ExpiryMode::keep_expired);
  EXPECT_EQ(server().keyspace().size(), 0u);
}

TEST_F(ReplicationRoleTest, AWriteIsEncodedOnceForEverySink) {
  ProbeSink aof, stream;
  server().add_propagation_sink(&aof);
  server().add_propagation_sink(&stream);
  run({"SET", "k", "v"});
  run({"MULTI"});
  run({"INCR", "n"});
  run({"EXEC"});
  const std::vector<std::string> expected = {
      "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n",
      "*1\r\n$5\r\nMULTI\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*1\r\n$4\r\nEXEC\r\n"};
  EXPECT_EQ(aof.resp_seen, expected);
  EXPECT_EQ(stream.resp_seen, expected);
  // The very same bytes, not two encodings of them.
  EXPECT_EQ(aof.resp_at, stream.resp_at);
  server().remove_propagation_sink(&aof);
  server().remove_propagation_sink(&stream);
}

TEST_F(ReplicationRoleTest, OnlyAPrimaryRegistersTheStreamAsASink) {
  replication::Replication repl(server());
  ASSERT_TRUE(repl.follow("10.0.0.1", 7000).is_ok());
  // A full sync gives the replica a backlog (it serves partial resyncs once promoted), but its
  // stream is its primary's bytes: nothing its dispatch propagates goes there.
  repl.synced(std::string(40, 'a'), 100);
  EXPECT_FALSE(server().has_propagation_sinks());
  repl.continued("");
  EXPECT_FALSE(server().has_propagation_sinks());
  run_as(primary_stream(), {"SET", "k", "v"});
  EXPECT_EQ(repl.offset(), 100u);  // only the link's verbatim bytes move it
  repl.stop_following();
  EXPECT_TRUE(server().has_propagation_sinks());
  run({"SET", "k", "w"});
  EXPECT_GT(repl.offset(), 100u);
  ASSERT_TRUE(repl.follow("10.0.0.1", 7000).is_ok());
  EXPECT_FALSE(server().has_propagation_sinks());
}

TEST_F(ReplicationRoleTest, RoleShowsRedisLinkStates) {
  replication::Replication repl(server());
  const auto role_state = [this] { return reply({"ROLE"}).elements.at(3).text; };
  ASSERT_TRUE(repl.follow("10.0.0.1", 7000).is_ok());
  // No link fiber has tried yet: the replica must connect (Redis' REPL_STATE_CONNECT).
  EXPECT_EQ(role_state(), "connect");
  using replication::LinkState;
  const std::vector<std::pair<LinkState, std::string>> states = {
      {LinkState::connect, "connect"},     {LinkState::connecting, "connecting"},
      {LinkState::handshake, "handshake"}, {LinkState::syncing, "sync"},
      {LinkState::connected, "connected"}};
  for (const auto& [state, name] : states) {
    repl.replica()->link = state;
    EXPECT_EQ(role_state(), name);
    EXPECT_EQ(reply({"ROLE"}).elements.at(4).integer, state == LinkState::connected ? 0 : -1);
  }
}

}  // namespace
}  // namespace ringcache::testing
