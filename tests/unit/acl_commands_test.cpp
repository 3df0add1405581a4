// ACL through the commands: AUTH and HELLO as users, NOPERM refusals in dispatch, MULTI/EXEC and
// scripts, ACL LOG, killing clients of deleted users and of revoked subscriptions, requirepass.

#include <gtest/gtest.h>

#include "core/util/sha256.h"
#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

class AclCommands : public CommandFixture {
 protected:
  // A second client logged in as `user` (password "pw").
  server::Client& login(const std::string& user) {
    server::Client& other = connect();
    EXPECT_EQ(run_as(other, {"AUTH", user, "pw"}), "+OK\r\n");
    return other;
  }
};

TEST_F(AclCommands, UsersLogInAndAreRefusedWithRedisWords) {
  EXPECT_EQ(run({"ACL", "SETUSER", "alice", "on", ">pw", "+get", "~k*"}), "+OK\r\n");
  server::Client& alice = login("alice");
  EXPECT_EQ(run_as(alice, {"ACL", "WHOAMI"}),
            "-NOPERM this user has no permissions to run the 'acl|whoami' command\r\n");
  EXPECT_EQ(run_as(alice, {"GET", "k1"}), "$-1\r\n");
  EXPECT_EQ(run_as(alice, {"GET", "x"}),
            "-NOPERM this user has no permissions to access one of the keys used as "
            "arguments\r\n");
  EXPECT_EQ(run_as(alice, {"SET", "k1", "v"}),
            "-NOPERM this user has no permissions to run the 'set' command\r\n");
  EXPECT_EQ(run_as(alice, {"AUTH", "alice", "wrong"}),
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  EXPECT_EQ(run({"ACL", "SETUSER", "alice", "off"}), "+OK\r\n");
  EXPECT_EQ(run_as(connect(), {"AUTH", "alice", "pw"}),
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  EXPECT_EQ(server().acl().stats().denied_cmd, 2u);
  EXPECT_EQ(server().acl().stats().denied_key, 1u);
  EXPECT_EQ(server().acl().stats().denied_auth, 2u);
  EXPECT_NE(cli({"INFO", "stats"}).find("acl_access_denied_auth:2"), std::string::npos);
}

TEST_F(AclCommands, AclLogRecordsRefusalsAndGroupsLikeOnes) {
  run({"ACL", "SETUSER", "bob", "on", ">pw", "+get", "+set", "~k*"});
  server::Client& bob = login("bob");
  run_as(bob, {"GET", "secret"});
  run_as(bob, {"GET", "secret"});
  run_as(bob, {"MULTI"});
  run_as(connect(), {"AUTH", "nobody", "x"});
  const Reply log = reply({"ACL", "LOG"});
  ASSERT_EQ(log.elements.size(), 3u);
  // Newest first: the failed login, the refused MULTI, then the two GETs grouped.
  EXPECT_EQ(log.elements[0].elements[3].text, "auth");
  EXPECT_EQ(log.elements[0].elements[7].text, "AUTH");  // the command as sent
  EXPECT_EQ(log.elements[0].elements[9].text, "nobody");
  EXPECT_EQ(log.elements[1].elements[7].text, "multi");
  const Reply& grouped = log.elements[2];
  EXPECT_EQ(grouped.elements[0].text, "count");
  EXPECT_EQ(grouped.elements[1].integer, 2);
  EXPECT_EQ(grouped.elements[3].text, "key");
  EXPECT_EQ(grouped.elements[5].text, "toplevel");
  EXPECT_EQ(grouped.elements[7].text, "secret");
  EXPECT_EQ(grouped.elements[9].text, "bob");
  EXPECT_NE(grouped.elements[13].text.find("cmd=get user=bob"), std::string::npos);
  EXPECT_EQ(reply({"ACL", "LOG", "1"}).elements.size(), 1u);
  EXPECT_EQ(run({"ACL", "LOG", "RESET"}), "+OK\r\n");
  EXPECT_TRUE(reply({"ACL", "LOG"}).elements.empty());
}

TEST_F(AclCommands, TransactionsAreCheckedWhenQueuedAndAtExec) {
  run({"ACL", "SETUSER", "carol", "on", ">pw", "+@all", "~*"});
  server::Client& carol = login("carol");
  EXPECT_EQ(run_as(carol, {"MULTI"}), "+OK\r\n");
  EXPECT_EQ(run_as(carol, {"SET", "a", "1"}), "+QUEUED\r\n");
  // Permissions change between MULTI and EXEC: EXEC refuses the queued command with its own words.
  run({"ACL", "SETUSER", "carol", "resetkeys", "~b"});
  const Reply exec = decode_one(run_as(carol, {"EXEC"}));
  ASSERT_EQ(exec.elements.size(), 1u);
  EXPECT_EQ(exec.elements[0].text,
            "NOPERM ACLs rules changed between the moment the transaction was accumulated and "
            "the EXEC call. This command is no longer allowed for the following reason: no "
            "permission to touch the specified keys");
  EXPECT_EQ(run({"EXISTS", "a"}), ":0\r\n");
  // Refused while queueing: EXEC aborts the transaction.
  run_as(carol, {"MULTI"});
  EXPECT_EQ(run_as(carol, {"SET", "a", "1"}),
            "-NOPERM this user has no permissions to access one of the keys used as "
            "arguments\r\n");
  EXPECT_EQ(run_as(carol, {"EXEC"}),
            "-EXECABORT Transaction discarded because of previous errors.\r\n");
}

TEST_F(AclCommands, ScriptsRunAsTheirCaller) {
  run({"ACL", "SETUSER", "dave", "on", ">pw", "+eval", "+get", "~k*"});
  server::Client& dave = login("dave");
  const std::string denied = run_as(dave, {"EVAL", "return redis.call('set', 'k', 'v')", "0"});
  EXPECT_NE(denied.find("The user executing the script can't run this command or subcommand"),
            std::string::npos)
      << denied;
  const std::string key = run_as(dave, {"EVAL", "return redis.call('get', 'x')", "0"});
  EXPECT_NE(key.find("can't access at least one of the keys"), std::string::npos) << key;
  EXPECT_EQ(run_as(dave, {"EVAL", "return redis.call('get', 'k')", "0"}), "$-1\r\n");
  EXPECT_EQ(reply({"ACL", "LOG"}).elements[0].elements[5].text, "lua");
}

TEST_F(AclCommands, DeletingAUserClosesItsClients) {
  run({"ACL", "SETUSER", "erin", "on", ">pw", "+@all", "~*"});
  server::Client& erin = login("erin");
  EXPECT_EQ(run({"ACL", "DELUSER", "default"}), "-ERR The 'default' user cannot be removed\r\n");
  EXPECT_EQ(run({"ACL", "DELUSER", "erin", "nobody"}), ":1\r\n");
  ASSERT_EQ(killed().size(), 1u);
  EXPECT_EQ(killed()[0], erin.id);
  // Deleting itself: the reply goes out, then the connection closes.
  run({"ACL", "SETUSER", "frank", "on", ">pw", "+@all", "~*"});
  server::Client& frank = login("frank");
  EXPECT_EQ(run_as(frank, {"ACL", "DELUSER", "frank"}), ":1\r\n");
  EXPECT_TRUE(frank.close_after_reply);
}

TEST_F(AclCommands, SubscribersLosingAChannelAreClosed) {
  run({"ACL", "SETUSER", "gina", "on", ">pw", "+@all", "~*", "resetchannels", "&news", "&sport"});
  server::Client& gina = login("gina");
  run_as(gina, {"SUBSCRIBE", "news"});
  EXPECT_EQ(run_as(gina, {"SUBSCRIBE", "weather"}).find("-NOPERM"), 0u);
  run({"ACL", "SETUSER", "gina", "resetchannels", "&news"});  // still allowed
  EXPECT_TRUE(killed().empty());
  run({"ACL", "SETUSER", "gina", "resetchannels", "&sport"});
  ASSERT_EQ(killed().size(), 1u);
  EXPECT_EQ(killed()[0], gina.id);
}

TEST_F(AclCommands, RequirepassIsTheDefaultUsersPassword) {
  restart([](server::Config& c) { c.requirepass = "secret"; });
  EXPECT_EQ(run({"GET", "k"}), "-NOAUTH Authentication required.\r\n");
  EXPECT_EQ(run({"AUTH", "default", "nope"}),
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  EXPECT_EQ(run({"AUTH", "secret"}), "+OK\r\n");
  EXPECT_EQ(reply({"ACL", "GETUSER", "default"}).elements[3].elements[0].text,
            sha256_hex("secret"));
  run({"ACL", "SETUSER", "hal", "on", ">pw", "+@all", "~*"});
  server::Client& other = connect();
  EXPECT_EQ(decode_one(run_as(other, {"HELLO", "3", "AUTH", "hal", "pw"})).type, Reply::Type::map);
  EXPECT_EQ(run_as(other, {"ACL", "WHOAMI"}), "$3\r\nhal\r\n");
  EXPECT_NE(run_as(other, {"CLIENT", "INFO"}).find("user=hal"), std::string::npos);
  run_as(other, {"RESET"});
  EXPECT_EQ(run_as(other, {"GET", "k"}), "-NOAUTH Authentication required.\r\n");
}

TEST_F(AclCommands, GetUserListUsersCatGenpassDryrun) {
  run({"ACL", "SETUSER", "ivy", "on", "nopass", "%R~r*", "&c", "+get", "(+set ~w*)"});
  EXPECT_EQ(cli({"ACL", "USERS"}), "1) \"default\"\n2) \"ivy\"");
  EXPECT_EQ(cli({"ACL", "LIST"}),
            "1) \"user default on nopass ~* &* +@all\"\n"
            "2) \"user ivy on nopass %R~r* resetchannels &c -@all +get (~w* resetchannels -@all "
            "+set)\"");
  EXPECT_EQ(cli({"ACL", "GETUSER", "ivy"}),
            " 1) \"flags\"\n 2) 1) \"on\"\n    2) \"nopass\"\n 3) \"passwords\"\n"
            " 4) (empty array)\n 5) \"commands\"\n 6) \"-@all +get\"\n 7) \"keys\"\n"
            " 8) \"%R~r*\"\n 9) \"channels\"\n10) \"&c\"\n11) \"selectors\"\n"
            "12) 1) 1) \"commands\"\n       2) \"-@all +set\"\n       3) \"keys\"\n"
            "       4) \"~w*\"\n       5) \"channels\"\n       6) \"\"");
  EXPECT_EQ(run({"ACL", "GETUSER", "nobody"}), "$-1\r\n");
  EXPECT_EQ(run({"ACL", "DRYRUN", "ivy", "GET", "r1"}), "+OK\r\n");
  EXPECT_EQ(cli({"ACL", "DRYRUN", "ivy", "GET", "x"}),
            "\"This user has no permissions to access the 'x' key\"");
  EXPECT_EQ(cli({"ACL", "DRYRUN", "ivy", "DEL", "x"}),
            "\"This user has no permissions to run the 'del' command\"");
  EXPECT_EQ(run({"ACL", "DRYRUN", "nobody", "GET", "x"}), "-ERR User 'nobody' not found\r\n");
  EXPECT_EQ(run({"ACL", "DRYRUN", "ivy", "SET", "v"}),
            "-ERR wrong number of arguments for 'set' command\r\n");
  const Reply categories = reply({"ACL", "CAT"});
  EXPECT_EQ(categories.elements.size(), 21u);
  EXPECT_EQ(categories.elements[0].text, "keyspace");
  EXPECT_EQ(run({"ACL", "CAT", "nosuch"}), "-ERR Unknown category 'nosuch'\r\n");
  const std::string strings = run({"ACL", "CAT", "string"});
  EXPECT_NE(strings.find("$3\r\nget\r\n"), std::string::npos);
  EXPECT_EQ(strings.find("$4\r\nlpush\r\n"), std::string::npos);
  EXPECT_EQ(reply({"ACL", "GENPASS"}).text.size(), 64u);
  EXPECT_EQ(reply({"ACL", "GENPASS", "5"}).text.size(), 2u);
  EXPECT_NE(reply({"ACL", "GENPASS"}).text, reply({"ACL", "GENPASS"}).text);
  EXPECT_EQ(run({"ACL", "GENPASS", "5000"}).find("-ERR ACL GENPASS argument must be"), 0u);
}

TEST_F(AclCommands, ConfigUserLinesCreateUsers) {
  restart([](server::Config& c) {
    c.acl_user_lines = {{"default", "on", "nopass", "~*", "+@all", "-flushdb"},
                        {"jo", "on", ">pw", "+get", "~*"}};
  });
  EXPECT_EQ(run({"FLUSHDB"}),
            "-NOPERM this user has no permissions to run the 'flushdb' command\r\n");
  EXPECT_EQ(run({"AUTH", "jo", "pw"}), "+OK\r\n");
}

}  // namespace
}  // namespace ringcache::testing
