// CLIENT TRACKING (client-side caching): options, errors and invalidations; expectations are
// what redis-server 7.0 answers.

#include <chrono>
#include <string>
#include <vector>

#include "tests/support/command_fixture.h"
#include "tests/support/push_reader.h"

namespace ringcache::testing {
namespace {

using Strings = std::vector<std::string>;

constexpr const char* invalidate_k_push = "1) \"invalidate\"\n2) 1) \"k\"";

class TrackingTest : public CommandFixture {
 protected:
  // A RESP3 client tracking in default mode (plus `options`).
  server::Client& tracker(std::vector<std::string> options = {}) {
    server::Client& client = connect();
    client.resp_version = 3;
    std::vector<std::string> argv{"CLIENT", "TRACKING", "on"};
    argv.insert(argv.end(), options.begin(), options.end());
    EXPECT_EQ(run_as(client, argv), "+OK\r\n");
    return client;
  }
};

TEST_F(TrackingTest, Resp3DefaultModeInvalidatesKeysItRead) {
  server::Client& t = tracker();
  run_as(t, {"GET", "k"});
  run_as(t, {"GET", "unread-later"});
  run({"SET", "k", "1"});
  EXPECT_EQ(take_pushes(t), Strings{invalidate_k_push});
  run({"SET", "k", "2"});
  EXPECT_TRUE(take_pushes(t).empty()) << "invalidated once until read again";
  run({"SET", "other", "1"});
  EXPECT_TRUE(take_pushes(t).empty()) << "never read";
}

TEST_F(TrackingTest, OwnWritesAreInvalidatedAfterTheReplyUnlessNoloop) {
  server::Client& t = tracker();
  run_as(t, {"GET", "k"});
  EXPECT_EQ(run_as(t, {"SET", "k", "1"}), "+OK\r\n") << "the push is not in line with the reply";
  EXPECT_EQ(take_pushes(t), Strings{invalidate_k_push});
  server::Client& quiet = tracker({"NOLOOP"});
  run_as(quiet, {"GET", "k"});
  run_as(quiet, {"SET", "k", "2"});
  EXPECT_TRUE(take_pushes(quiet).empty());
}

TEST_F(TrackingTest, Resp2RedirectGoesToInvalidateChannelSubscriber) {
  server::Client& listener = connect();
  run_as(listener, {"SUBSCRIBE", "__redis__:invalidate"});
  take_pushes(listener);
  EXPECT_EQ(cli({"CLIENT", "TRACKING", "on", "REDIRECT", std::to_string(listener.id)}), "OK");
  EXPECT_EQ(cli({"CLIENT", "GETREDIR"}), "(integer) " + std::to_string(listener.id));
  run({"GET", "k"});
  run({"SET", "k", "1"});
  EXPECT_EQ(take_pushes(listener),
            Strings{"1) \"message\"\n2) \"__redis__:invalidate\"\n3) 1) \"k\""});
  run({"FLUSHALL"});
  EXPECT_EQ(take_pushes(listener),
            Strings{"1) \"message\"\n2) \"__redis__:invalidate\"\n3) (nil)"});
}

TEST_F(TrackingTest, FlushSendsNullInvalidation) {
  server::Client& t = tracker();
  run({"FLUSHALL"});
  EXPECT_EQ(t.pushes, ">2\r\n$10\r\ninvalidate\r\n_\r\n");
}

TEST_F(TrackingTest, ExpiryInvalidates) {
  server::Client& t = tracker();
  run({"SET", "k", "1", "PX", "10"});
  run_as(t, {"GET", "k"});
  advance(std::chrono::milliseconds(20));
  run({"GET", "k"});
  EXPECT_EQ(take_pushes(t), Strings{invalidate_k_push});
}

TEST_F(TrackingTest, BcastPrefixes) {
  server::Client& t = tracker({"BCAST", "PREFIX", "user:", "PREFIX", "obj:"});
  run({"SET", "user:1", "a"});
  run({"SET", "other", "b"});
  run({"SET", "obj:9", "c"});
  EXPECT_EQ(take_pushes(t), (Strings{"1) \"invalidate\"\n2) 1) \"user:1\"",
                                     "1) \"invalidate\"\n2) 1) \"obj:9\""}));
  EXPECT_EQ(cli({"CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a", "PREFIX", "ab"}),
            "(error) ERR Prefix 'a' overlaps with another provided prefix 'ab'. Prefixes for a "
            "single client must not overlap.");
  EXPECT_EQ(run_as(t, {"CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "user:x"}),
            "-ERR Prefix 'user:x' overlaps with an existing prefix 'user:'. Prefixes for a "
            "single client must not overlap.\r\n");
}

// Redis collects BCAST changes and sends them once per event-loop iteration: one message per
// prefix with every key changed under it; a NOLOOP tracker's own changes are left out.
TEST_F(TrackingTest, BcastSendsOneMessagePerPrefixPerCommand) {
  server::Client& t = tracker({"BCAST", "PREFIX", "user:", "PREFIX", "obj:", "NOLOOP"});
  run({"MSET", "user:2", "a", "obj:1", "b", "user:1", "c", "other", "d"});
  EXPECT_EQ(take_pushes(t),
            (Strings{"1) \"invalidate\"\n2) 1) \"obj:1\"",
                     "1) \"invalidate\"\n2) 1) \"user:1\"\n   2) \"user:2\""}));
  run_as(t, {"MSET", "user:1", "own", "user:3", "own"});
  EXPECT_TRUE(take_pushes(t).empty()) << "NOLOOP: its own changes";
  run_as(t, {"SET", "user:5", "own"});
  run({"SET", "user:5", "theirs"});
  EXPECT_EQ(take_pushes(t), Strings{"1) \"invalidate\"\n2) 1) \"user:5\""});
}

TEST_F(TrackingTest, OptinTracksOnlyAfterCachingYes) {
  server::Client& t = tracker({"OPTIN"});
  run_as(t, {"GET", "a"});
  EXPECT_EQ(run_as(t, {"CLIENT", "CACHING", "yes"}), "+OK\r\n");
  run_as(t, {"GET", "b"});
  run_as(t, {"GET", "c"});  // the choice held for one command
  run({"MSET", "a", "1", "b", "1", "c", "1"});
  EXPECT_EQ(take_pushes(t), Strings{"1) \"invalidate\"\n2) 1) \"b\""});
}

TEST_F(TrackingTest, OptoutSkipsAfterCachingNo) {
  server::Client& t = tracker({"OPTOUT"});
  run_as(t, {"CLIENT", "CACHING", "no"});
  run_as(t, {"GET", "a"});
  run_as(t, {"GET", "b"});
  run({"MSET", "a", "1", "b", "1"});
  EXPECT_EQ(take_pushes(t), Strings{"1) \"invalidate\"\n2) 1) \"b\""});
}

// As Redis 7.0: a script that runs a read-only command makes its caller track the keys it
// declared (not those it read); one that only writes tracks nothing.
TEST_F(TrackingTest, ScriptsTrackTheirDeclaredKeysOnceTheyRead) {
  server::Client& t = tracker();
  run_as(t, {"EVAL", "redis.call('set', 'k3', 'bar')", "2", "k1", "k2"});
  run({"MSET", "k1", "1", "k2", "1"});
  EXPECT_TRUE(take_pushes(t).empty()) << "a script that only writes tracks nothing";
  run_as(t, {"EVAL", "redis.call('get', 'k3')", "2", "k1", "k2"});
  run({"MSET", "k3", "2", "k2", "2", "k1", "2"});
  EXPECT_EQ(take_pushes(t), (Strings{"1) \"invalidate\"\n2) 1) \"k2\"",
                                     "1) \"invalidate\"\n2) 1) \"k1\""}));
  run_as(t, {"EVAL_RO", "redis.call('ping')", "1", "k1"});
  run({"SET", "k1", "3"});
  EXPECT_TRUE(take_pushes(t).empty()) << "PING reads no key";
}

TEST_F(TrackingTest, ScriptWritesAreTheCallersOwnForNoloop) {
  server::Client& quiet = tracker({"NOLOOP"});
  run_as(quiet, {"GET", "k"});
  EXPECT_EQ(run_as(quiet, {"EVAL", "return redis.call('set', 'k', '2')", "1", "k"}), "+OK\r\n");
  EXPECT_TRUE(take_pushes(quiet).empty());
  server::Client& t = tracker();
  run_as(t, {"GET", "k"});
  run_as(t, {"EVAL", "return redis.call('set', 'k', '3')", "1", "k"});
  EXPECT_EQ(take_pushes(t), Strings{invalidate_k_push}) << "without NOLOOP it hears of it";
}

TEST_F(TrackingTest, ErrorsAsRedis) {
  EXPECT_EQ(cli({"CLIENT", "TRACKING", "on", "OPTIN", "OPTOUT"}),
            "(error) ERR You can't specify both OPTIN mode and OPTOUT mode");
  EXPECT_EQ(cli({"CLIENT", "TRACKING", "on", "BCAST", "OPTIN"}),
            "(error) ERR OPTIN and OPTOUT are not compatible with BCAST");
  EXPECT_EQ(cli({"CLIENT", "TRACKING", "on", "PREFIX", "a"}),
            "(error) ERR PREFIX option requires BCAST mode to be enabled");
  EXPECT_EQ(cli({"CLIENT", "TRACKING", "on", "REDIRECT", "9999"}),
            "(error) ERR The client ID you want redirect to does not exist");
  EXPECT_EQ(cli({"CLIENT", "TRACKING", "maybe"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"CLIENT", "TRACKING", "on", "FOO"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"CLIENT", "CACHING", "yes"}),
            "(error) ERR CLIENT CACHING can be called only when the client is in tracking mode "
            "with OPTIN or OPTOUT mode enabled");
  EXPECT_EQ(cli({"CLIENT", "TRACKING", "on", "OPTIN"}), "OK");
  EXPECT_EQ(cli({"CLIENT", "TRACKING", "on", "OPTOUT"}),
            "(error) ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this "
            "client, and then re-enabling it with a different mode.");
  EXPECT_EQ(cli({"CLIENT", "TRACKING", "on", "BCAST"}),
            "(error) ERR You can't switch BCAST mode on/off before disabling tracking for this "
            "client, and then re-enabling it with a different mode.");
  EXPECT_EQ(cli({"CLIENT", "CACHING", "no"}),
            "(error) ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT "
            "mode.");
}

TEST_F(TrackingTest, TrackingInfoAndGetredir) {
  EXPECT_EQ(cli({"CLIENT", "TRACKINGINFO"}),
            "1) \"flags\"\n2) 1) \"off\"\n3) \"redirect\"\n4) (integer) -1\n5) \"prefixes\"\n"
            "6) (empty array)");
  EXPECT_EQ(cli({"CLIENT", "GETREDIR"}), "(integer) -1");
  run({"CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a", "PREFIX", "b", "NOLOOP"});
  EXPECT_EQ(cli({"CLIENT", "TRACKINGINFO"}),
            "1) \"flags\"\n2) 1) \"on\"\n   2) \"bcast\"\n   3) \"noloop\"\n3) \"redirect\"\n"
            "4) (integer) 0\n5) \"prefixes\"\n6) 1) \"a\"\n   2) \"b\"");
  EXPECT_EQ(cli({"CLIENT", "GETREDIR"}), "(integer) 0");
  EXPECT_EQ(cli({"CLIENT", "TRACKING", "off"}), "OK");
  EXPECT_EQ(cli({"CLIENT", "GETREDIR"}), "(integer) -1");
}

TEST_F(TrackingTest, TableIsBoundedAndEvictsOldestWithInvalidation) {
  run({"CONFIG", "SET", "tracking-table-max-keys", "2"});
  server::Client& t = tracker();
  run_as(t, {"GET", "a"});
  run_as(t, {"GET", "b"});
  EXPECT_TRUE(take_pushes(t).empty());
  run_as(t, {"GET", "c"});
  EXPECT_EQ(take_pushes(t), Strings{"1) \"invalidate\"\n2) 1) \"a\""});
  EXPECT_EQ(server().tracking().table_keys(), 2u);
}

}  // namespace
}  // namespace ringcache::testing
