// Pub/sub as sessions between clients of one node; expectations are what redis-server 7.0
// answers (checked by running it).

#include <string>
#include <vector>

#include "tests/support/command_fixture.h"
#include "tests/support/push_reader.h"

namespace ringcache::testing {
namespace {

using Strings = std::vector<std::string>;

class PubSubTest : public CommandFixture {};

TEST_F(PubSubTest, SubscribeRepliesCountChannelsAndPatterns) {
  EXPECT_EQ(run({"SUBSCRIBE", "a", "b"}),
            "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n");
  EXPECT_EQ(run({"SUBSCRIBE", "a"}), "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:2\r\n")
      << "subscribing twice keeps one subscription";
  EXPECT_EQ(run({"PSUBSCRIBE", "p*"}), "*3\r\n$10\r\npsubscribe\r\n$2\r\np*\r\n:3\r\n");
  EXPECT_EQ(run({"UNSUBSCRIBE", "zz"}), "*3\r\n$11\r\nunsubscribe\r\n$2\r\nzz\r\n:3\r\n");
  EXPECT_EQ(run({"UNSUBSCRIBE"}),
            "*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:2\r\n*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:1\r\n");
  EXPECT_EQ(run({"PUNSUBSCRIBE"}), "*3\r\n$12\r\npunsubscribe\r\n$2\r\np*\r\n:0\r\n");
  EXPECT_EQ(run({"UNSUBSCRIBE"}), "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n")
      << "nothing to leave: one reply with a nil channel";
  EXPECT_EQ(cli({"GET", "x"}), "(nil)") << "no subscriptions left: any command runs";
}

TEST_F(PubSubTest, Resp2SubscribedModeAllowsOnlySubscriptionCommands) {
  run({"SUBSCRIBE", "a"});
  EXPECT_EQ(cli({"GET", "x"}),
            "(error) ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
            "QUIT / RESET are allowed in this context");
  EXPECT_EQ(run({"PING"}), "*2\r\n$4\r\npong\r\n$0\r\n\r\n");
  EXPECT_EQ(run({"PING", "hi"}), "*2\r\n$4\r\npong\r\n$2\r\nhi\r\n");
  EXPECT_EQ(cli({"RESET"}), "RESET");
  EXPECT_EQ(cli({"GET", "x"}), "(nil)") << "RESET left subscribed mode";
  EXPECT_EQ(cli({"PUBSUB", "NUMSUB", "a"}), "1) \"a\"\n2) (integer) 0");
}

TEST_F(PubSubTest, PublishReachesChannelAndPatternSubscribersInOrder) {
  server::Client& sub = connect();
  server::Client& psub = connect();
  run_as(sub, {"SUBSCRIBE", "news"});
  run_as(psub, {"PSUBSCRIBE", "n*", "x"});
  EXPECT_EQ(cli({"PUBLISH", "news", "one"}), "(integer) 2");
  EXPECT_EQ(cli({"PUBLISH", "news", "two"}), "(integer) 2");
  EXPECT_EQ(cli({"PUBLISH", "other", "three"}), "(integer) 0");
  EXPECT_EQ(take_pushes(sub), (Strings{"1) \"message\"\n2) \"news\"\n3) \"one\"",
                                       "1) \"message\"\n2) \"news\"\n3) \"two\""}));
  EXPECT_EQ(take_pushes(psub),
            (Strings{"1) \"pmessage\"\n2) \"n*\"\n3) \"news\"\n4) \"one\"",
                     "1) \"pmessage\"\n2) \"n*\"\n3) \"news\"\n4) \"two\""}));
}

TEST_F(PubSubTest, Resp3SubscriberGetsPushesAndMayRunAnyCommand) {
  client().resp_version = 3;
  EXPECT_EQ(run({"SUBSCRIBE", "a"}), ">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n");
  EXPECT_EQ(run({"GET", "x"}), "_\r\n");
  // Publishing to oneself: the message comes before PUBLISH's reply, as in Redis.
  EXPECT_EQ(run({"PUBLISH", "a", "m"}), ">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$1\r\nm\r\n:1\r\n");
  EXPECT_EQ(run({"PING"}), "+PONG\r\n");
}

TEST_F(PubSubTest, ShardChannelsAreTheirOwnNamespace) {
  server::Client& sub = connect();
  EXPECT_EQ(run_as(sub, {"SSUBSCRIBE", "s"}), "*3\r\n$10\r\nssubscribe\r\n$1\r\ns\r\n:1\r\n");
  EXPECT_EQ(cli({"PUBLISH", "s", "m"}), "(integer) 0");
  EXPECT_EQ(cli({"SPUBLISH", "s", "m"}), "(integer) 1");
  EXPECT_EQ(take_pushes(sub), (Strings{"1) \"smessage\"\n2) \"s\"\n3) \"m\""}));
  EXPECT_EQ(cli({"PUBSUB", "SHARDCHANNELS"}), "1) \"s\"");
  EXPECT_EQ(cli({"PUBSUB", "SHARDNUMSUB", "s"}), "1) \"s\"\n2) (integer) 1");
  EXPECT_EQ(cli({"PUBSUB", "CHANNELS"}), "(empty array)");
  EXPECT_EQ(run_as(sub, {"SUNSUBSCRIBE"}), "*3\r\n$12\r\nsunsubscribe\r\n$1\r\ns\r\n:0\r\n");
}

TEST_F(PubSubTest, PubsubIntrospection) {
  server::Client& a = connect();
  server::Client& b = connect();
  run_as(a, {"SUBSCRIBE", "news.1", "news.2", "sport"});
  run_as(b, {"SUBSCRIBE", "news.1"});
  run_as(a, {"PSUBSCRIBE", "n*", "s*"});
  run_as(b, {"PSUBSCRIBE", "n*"});
  EXPECT_EQ(cli({"PUBSUB", "CHANNELS"}), "1) \"news.1\"\n2) \"news.2\"\n3) \"sport\"");
  EXPECT_EQ(cli({"PUBSUB", "CHANNELS", "news.*"}), "1) \"news.1\"\n2) \"news.2\"");
  EXPECT_EQ(cli({"PUBSUB", "NUMSUB", "news.1", "none"}),
            "1) \"news.1\"\n2) (integer) 2\n3) \"none\"\n4) (integer) 0");
  EXPECT_EQ(cli({"PUBSUB", "NUMSUB"}), "(empty array)");
  EXPECT_EQ(cli({"PUBSUB", "NUMPAT"}), "(integer) 2") << "distinct patterns";
  EXPECT_EQ(cli({"PUBSUB", "CHANNELS", "a", "b"}),
            "(error) ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try "
            "PUBSUB HELP.");
  EXPECT_EQ(cli({"PUBSUB", "NUMPAT", "x"}),
            "(error) ERR wrong number of arguments for 'pubsub|numpat' command");
  server().forget_client_state(a);
  EXPECT_EQ(cli({"PUBSUB", "CHANNELS"}), "1) \"news.1\"");
  EXPECT_EQ(cli({"PUBSUB", "NUMPAT"}), "(integer) 1");
}

TEST_F(PubSubTest, SubscriberOverTheOutputLimitIsDisconnected) {
  server::Client& slow = connect();
  run_as(slow, {"SUBSCRIBE", "c"});
  const std::string payload(1024 * 1024, 'x');
  size_t published = 0;
  while (killed().empty() && published < 64) {
    run({"PUBLISH", "c", payload});
    ++published;
  }
  ASSERT_EQ(killed(), std::vector<uint64_t>{slow.id});
  EXPECT_EQ(published, constants::push_output_bytes_max / payload.size())
      << "closed at the first message past the limit";
  EXPECT_TRUE(slow.pushes.empty()) << "its pending pushes are freed";
}

}  // namespace
}  // namespace ringcache::testing
