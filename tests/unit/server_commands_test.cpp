// Server and connection commands through the command fixture, checked against Redis 7.0's words.

#include <gmock/gmock.h>

#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class ServerCommandsTest : public CommandFixture {};

TEST_F(ServerCommandsTest, PingAndEcho) {
  EXPECT_EQ(run({"PING"}), "+PONG\r\n");
  EXPECT_EQ(run({"ping", "hello"}), "$5\r\nhello\r\n");
  EXPECT_EQ(run({"PING", "a", "b"}), "-ERR wrong number of arguments for 'ping' command\r\n");
  EXPECT_EQ(run({"ECHO", "x y"}), "$3\r\nx y\r\n");
  EXPECT_EQ(run({"ECHO"}), "-ERR wrong number of arguments for 'echo' command\r\n");
}

TEST_F(ServerCommandsTest, SelectOnlyDatabaseZero) {
  EXPECT_EQ(run({"SELECT", "0"}), "+OK\r\n");
  EXPECT_EQ(run({"SELECT", "1"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(run({"SELECT", "x"}), "-ERR value is not an integer or out of range\r\n");
}

TEST_F(ServerCommandsTest, QuitRepliesThenCloses) {
  EXPECT_EQ(run({"QUIT"}), "+OK\r\n");
  EXPECT_TRUE(client().close_after_reply);
}

TEST_F(ServerCommandsTest, TimeIsTheRuntimeWallClock) {
  runtime().set_wall_time_ms(1'700'000'123'456);
  EXPECT_EQ(cli({"TIME"}), "1) \"1700000123\"\n2) \"456000\"");
}

TEST_F(ServerCommandsTest, UnknownCommandQuotesItsArguments) {
  EXPECT_EQ(run({"FOO", "a", "b"}),
            "-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n");
  EXPECT_EQ(run({"nope"}), "-ERR unknown command 'nope', with args beginning with: \r\n");
}

TEST_F(ServerCommandsTest, UnknownCommandQuotesAtMost128BytesOfArguments) {
  const std::string long_arg(300, 'x');
  const std::string reply = run({"FOO", long_arg, "next"});
  EXPECT_EQ(reply, "-ERR unknown command 'FOO', with args beginning with: '" +
                       std::string(128, 'x') + "' \r\n");
}

TEST_F(ServerCommandsTest, SubcommandErrorsNameTheContainer) {
  EXPECT_EQ(run({"CONFIG", "foo"}), "-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n");
  EXPECT_EQ(run({"client", "nope"}), "-ERR unknown subcommand 'nope'. Try CLIENT HELP.\r\n");
  EXPECT_EQ(run({"CONFIG"}), "-ERR wrong number of arguments for 'config' command\r\n");
  EXPECT_EQ(run({"CONFIG", "GET"}), "-ERR wrong number of arguments for 'config|get' command\r\n");
}

TEST_F(ServerCommandsTest, RequirePassRefusesCommandsUntilAuth) {
  restart([](server::Config& c) { c.requirepass = "secret"; });
  EXPECT_EQ(run({"PING"}), "-NOAUTH Authentication required.\r\n");
  EXPECT_EQ(run({"AUTH", "wrong"}),
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  EXPECT_EQ(run({"AUTH", "other", "secret"}),
            "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  EXPECT_EQ(run({"AUTH", "secret"}), "+OK\r\n");
  EXPECT_EQ(run({"PING"}), "+PONG\r\n");
  EXPECT_EQ(run({"RESET"}), "+RESET\r\n");
  EXPECT_EQ(run({"PING"}), "-NOAUTH Authentication required.\r\n");
  EXPECT_EQ(run({"AUTH", "default", "secret"}), "+OK\r\n");
}

TEST_F(ServerCommandsTest, UnknownCommandIsReportedBeforeNoauth) {
  restart([](server::Config& c) { c.requirepass = "secret"; });
  EXPECT_THAT(run({"FOO"}), StartsWith("-ERR unknown command 'FOO'"));
}

TEST_F(ServerCommandsTest, AuthWithoutPasswordConfigured) {
  EXPECT_EQ(run({"AUTH", "x"}),
            "-ERR AUTH <password> called without any password configured for the default user. "
            "Are you sure your configuration is correct?\r\n");
  EXPECT_EQ(run({"AUTH", "default", "anything"}), "+OK\r\n");
  EXPECT_EQ(run({"AUTH", "a", "b", "c"}), "-ERR syntax error\r\n");
}

TEST_F(ServerCommandsTest, HelloSwitchesToResp3AndRepliesAMap) {
  const Reply hello = reply({"HELLO", "3"});
  ASSERT_EQ(hello.type, Reply::Type::map);
  ASSERT_EQ(hello.elements.size(), 14u);
  EXPECT_EQ(hello.elements[0].text, "server");
  EXPECT_EQ(hello.elements[3].text, "7.0.15");
  EXPECT_EQ(hello.elements[4].text, "proto");
  EXPECT_EQ(hello.elements[5].integer, 3);
  EXPECT_EQ(hello.elements[7].integer, static_cast<int64_t>(client().id));
  EXPECT_EQ(client().resp_version, 3);
  EXPECT_EQ(run({"CLIENT", "GETNAME"}), "_\r\n");
  EXPECT_EQ(reply({"HELLO", "2"}).type, Reply::Type::array);
  EXPECT_EQ(run({"CLIENT", "GETNAME"}), "$-1\r\n");
}

TEST_F(ServerCommandsTest, HelloErrors) {
  EXPECT_EQ(run({"HELLO", "4"}), "-NOPROTO unsupported protocol version\r\n");
  EXPECT_EQ(run({"HELLO", "x"}), "-ERR Protocol version is not an integer or out of range\r\n");
  EXPECT_EQ(run({"HELLO", "3", "AUTH", "u"}), "-ERR Syntax error in HELLO option 'AUTH'\r\n");
  EXPECT_EQ(client().resp_version, 2);
}

TEST_F(ServerCommandsTest, HelloAuthenticatesAndNames) {
  restart([](server::Config& c) { c.requirepass = "pw"; });
  EXPECT_THAT(run({"HELLO", "3"}), StartsWith("-NOAUTH HELLO must be called"));
  EXPECT_THAT(run({"HELLO", "3", "AUTH", "default", "bad"}), StartsWith("-WRONGPASS"));
  EXPECT_EQ(reply({"HELLO", "3", "AUTH", "default", "pw", "SETNAME", "app"}).type,
            Reply::Type::map);
  EXPECT_EQ(run({"CLIENT", "GETNAME"}), "$3\r\napp\r\n");
}

TEST_F(ServerCommandsTest, ClientIdNameAndList) {
  EXPECT_EQ(reply({"CLIENT", "ID"}).integer, static_cast<int64_t>(client().id));
  EXPECT_EQ(run({"CLIENT", "GETNAME"}), "$-1\r\n");
  EXPECT_EQ(run({"CLIENT", "SETNAME", "worker-1"}), "+OK\r\n");
  EXPECT_EQ(run({"CLIENT", "GETNAME"}), "$8\r\nworker-1\r\n");
  EXPECT_EQ(run({"CLIENT", "SETNAME", "a b"}),
            "-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
  auto& other = connect();
  const std::string list = reply({"CLIENT", "LIST"}).text;
  EXPECT_THAT(list, HasSubstr("id=" + std::to_string(client().id) + " addr=" + client().address));
  EXPECT_THAT(list, HasSubstr("name=worker-1 "));
  EXPECT_THAT(list, HasSubstr("id=" + std::to_string(other.id) + " "));
  EXPECT_THAT(list, HasSubstr("cmd=client|list user=default redir=-1 resp=2\n"));
  EXPECT_EQ(std::count(list.begin(), list.end(), '\n'), 2);
  const std::string info = reply({"CLIENT", "INFO"}).text;
  EXPECT_THAT(info, StartsWith("id=" + std::to_string(client().id) + " "));
}

TEST_F(ServerCommandsTest, ClientKillByAddressAndId) {
  auto& other = connect();
  EXPECT_EQ(run({"CLIENT", "KILL", "1.2.3.4:5"}), "-ERR No such client\r\n");
  EXPECT_EQ(run({"CLIENT", "KILL", other.address}), "+OK\r\n");
  EXPECT_EQ(killed(), std::vector<uint64_t>{other.id});
  EXPECT_EQ(run({"CLIENT", "KILL", "ID", std::to_string(other.id)}), ":1\r\n");
  EXPECT_EQ(run({"CLIENT", "KILL", "ID", "x"}), "-ERR client-id should be greater than 0\r\n");
  EXPECT_EQ(run({"CLIENT", "KILL", "FOO", "bar"}), "-ERR syntax error\r\n");
  // SKIPME defaults to yes: the caller survives a filter that matches it.
  EXPECT_EQ(run({"CLIENT", "KILL", "ID", std::to_string(client().id)}), ":0\r\n");
  EXPECT_EQ(run({"CLIENT", "KILL", "ID", std::to_string(client().id), "SKIPME", "no"}),
            ":1\r\n");
  EXPECT_TRUE(client().close_after_reply);
}

TEST_F(ServerCommandsTest, ConfigGetSet) {
  EXPECT_EQ(cli({"CONFIG", "GET", "maxmemory"}), "1) \"maxmemory\"\n2) \"0\"");
  EXPECT_EQ(run({"CONFIG", "SET", "maxmemory", "10mb"}), "+OK\r\n");
  EXPECT_EQ(cli({"CONFIG", "GET", "maxmemory"}), "1) \"maxmemory\"\n2) \"10485760\"");
  EXPECT_EQ(server().keyspace().eviction_config().maxmemory_bytes, 10485760u);
  EXPECT_EQ(cli({"CONFIG", "GET", "maxmemory-p*"}),
            "1) \"maxmemory-policy\"\n2) \"noeviction\"");
  EXPECT_EQ(run({"CONFIG", "SET", "foo", "bar"}),
            "-ERR Unknown option or number of arguments for CONFIG SET - 'foo'\r\n");
  EXPECT_EQ(run({"CONFIG", "SET", "hz", "abc"}),
            "-ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be "
            "parsed into an integer\r\n");
  EXPECT_EQ(run({"CONFIG", "SET", "daemonize", "yes"}),
            "-ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set "
            "immutable config\r\n");
  // Moving the port is the node's (tests/process/test_server_cli.py); a server alone has none.
  EXPECT_EQ(run({"CONFIG", "SET", "port", "1"}),
            "-ERR CONFIG SET failed (possibly related to argument 'port') - no listener to "
            "move\r\n");
  EXPECT_EQ(run({"CONFIG", "SET", "hz", "10", "hz", "11"}),
            "-ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter\r\n");
  EXPECT_EQ(run({"CONFIG", "SET", "hz", "10", "maxmemory"}), "-ERR syntax error\r\n");
}

TEST_F(ServerCommandsTest, ConfigSetIsAllOrNothing) {
  EXPECT_THAT(run({"CONFIG", "SET", "hz", "20", "maxmemory", "lots"}),
              HasSubstr("argument must be a memory value"));
  EXPECT_EQ(server().config().hz, constants::hz_default);
  EXPECT_EQ(run({"CONFIG", "SET", "hz", "20", "timeout", "5"}), "+OK\r\n");
  EXPECT_EQ(server().config().hz, 20);
  EXPECT_EQ(server().config().timeout_seconds, 5);
}

TEST_F(ServerCommandsTest, InfoHasRedisFieldNames) {
  run({"PING"});
  const std::string info = reply({"INFO"}).text;
  for (const char* field :
       {"# Server\r\n", "redis_version:7.0.15\r\n", "tcp_port:6379\r\n", "connected_clients:1\r\n",
        "maxmemory_policy:noeviction\r\n", "total_commands_processed:1\r\n",
        "total_connections_received:1\r\n", "# Keyspace\r\n", "keyspace_misses:0\r\n"}) {
    EXPECT_THAT(info, HasSubstr(field));
  }
  EXPECT_THAT(info, ::testing::Not(HasSubstr("# Commandstats")));
}

TEST_F(ServerCommandsTest, InfoSections) {
  const std::string memory = reply({"INFO", "memory"}).text;
  EXPECT_THAT(memory, StartsWith("# Memory\r\nused_memory:"));
  EXPECT_THAT(memory, ::testing::Not(HasSubstr("# Server")));
  run({"PING"});
  EXPECT_THAT(reply({"INFO", "commandstats"}).text,
              HasSubstr("cmdstat_ping:calls=1,usec=0,usec_per_call=0.00,rejected_calls=0,"
                        "failed_calls=0\r\n"));
  EXPECT_THAT(reply({"INFO", "everything"}).text, HasSubstr("# Commandstats"));
  EXPECT_EQ(reply({"INFO", "nosuchsection"}).text, "");
}

TEST_F(ServerCommandsTest, CommandCountInfoAndGetkeys) {
  EXPECT_EQ(reply({"COMMAND", "COUNT"}).integer,
            static_cast<int64_t>(server().commands().size()));
  const Reply ping = reply({"COMMAND", "INFO", "ping", "nosuch"});
  ASSERT_EQ(ping.elements.size(), 2u);
  ASSERT_EQ(ping.elements[0].elements.size(), 10u);
  EXPECT_EQ(ping.elements[0].elements[0].text, "ping");
  EXPECT_EQ(ping.elements[0].elements[1].integer, -1);
  EXPECT_EQ(ping.elements[1].type, Reply::Type::null);
  const Reply config = reply({"COMMAND", "INFO", "config"});
  EXPECT_EQ(config.elements[0].elements[9].elements.size(), 5u);  // its subcommands
  EXPECT_EQ(run({"COMMAND", "GETKEYS", "ping"}),
            "-ERR wrong number of arguments for 'command|getkeys' command\r\n");  // arity -4
  EXPECT_EQ(run({"COMMAND", "GETKEYS", "ping", "x"}),
            "-ERR The command has no key arguments\r\n");
  EXPECT_EQ(run({"COMMAND", "GETKEYS", "nosuch", "a"}), "-ERR Invalid command specified\r\n");
  EXPECT_THAT(cli({"COMMAND", "LIST", "FILTERBY", "PATTERN", "config|g*"}), "1) \"config|get\"");
}

// Redis checks a known command, then one with key specs, then the arity, then this call's keys.
TEST_F(ServerCommandsTest, CommandGetkeysErrorsInRedisOrder) {
  EXPECT_EQ(run({"COMMAND", "GETKEYS", "echo", "a", "b"}),
            "-ERR The command has no key arguments\r\n");
  EXPECT_EQ(run({"COMMAND", "GETKEYS", "spublish", "c", "m"}),  // shard channels are not keys
            "-ERR The command has no key arguments\r\n");
  EXPECT_EQ(run({"COMMAND", "GETKEYS", "get", "a", "b"}),
            "-ERR Invalid number of arguments specified for command\r\n");
  EXPECT_EQ(run({"COMMAND", "GETKEYS", "zunion", "0", "a"}),
            "-ERR Invalid arguments specified for command\r\n");
  // Scripts may name no key at all (no_mandatory_keys).
  EXPECT_EQ(cli({"COMMAND", "GETKEYS", "eval", "return 1", "0"}), "(empty array)");
  EXPECT_EQ(cli({"COMMAND", "GETKEYS", "fcall_ro", "f", "0"}), "(empty array)");
  EXPECT_EQ(cli({"COMMAND", "GETKEYS", "evalsha", "abc", "1", "k"}), "1) \"k\"");
  EXPECT_EQ(cli({"COMMAND", "GETKEYS", "memory", "usage", "k"}), "1) \"k\"");
}

TEST_F(ServerCommandsTest, CommandGetkeysandflagsGivesKeySpecFlags) {
  EXPECT_EQ(cli({"COMMAND", "GETKEYSANDFLAGS", "mset", "k1", "v1", "k2", "v2"}),
            "1) 1) \"k1\"\n   2) 1) OW\n      2) update\n"
            "2) 1) \"k2\"\n   2) 1) OW\n      2) update");
  EXPECT_EQ(cli({"COMMAND", "GETKEYSANDFLAGS", "lmove", "k1", "k2", "left", "right"}),
            "1) 1) \"k1\"\n   2) 1) RW\n      2) access\n      3) delete\n"
            "2) 1) \"k2\"\n   2) 1) RW\n      2) insert");
  EXPECT_EQ(cli({"COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "get"}),
            "1) 1) \"k\"\n   2) 1) RW\n      2) access\n      3) update");
  EXPECT_EQ(cli({"COMMAND", "GETKEYSANDFLAGS", "exists", "k"}), "1) 1) \"k\"\n   2) 1) RO");
  EXPECT_EQ(cli({"COMMAND", "GETKEYSANDFLAGS", "eval_ro", "return 1", "1", "k"}),
            "1) 1) \"k\"\n   2) 1) RO\n      2) access");
  // COMMAND INFO shows what the arguments may change (SET's variable_flags) and the flags that
  // tell clients to ask for the keys.
  const Reply set = reply({"COMMAND", "INFO", "set"});
  EXPECT_EQ(set.elements[0].elements[8].elements[0].elements[1].elements.size(), 4u);
  const Reply eval = reply({"COMMAND", "INFO", "eval", "sort_ro"});
  EXPECT_EQ(eval.elements[0].elements[2].elements.size(), 5u);  // ... no_mandatory_keys movablekeys
  EXPECT_EQ(eval.elements[0].elements[2].elements[3].text, "no_mandatory_keys");
  EXPECT_EQ(eval.elements[1].elements[2].elements[1].text, "movablekeys");
}

TEST_F(ServerCommandsTest, ShutdownRequestsStopWithoutReply) {
  EXPECT_EQ(run({"SHUTDOWN", "BOGUS"}), "-ERR syntax error\r\n");
  EXPECT_FALSE(server().shutdown_requested());
  EXPECT_EQ(run({"SHUTDOWN", "NOSAVE"}), "");
  EXPECT_TRUE(server().shutdown_requested());
}

TEST_F(ServerCommandsTest, DebugSleepWaitsOnTheRuntimeClock) {
  const Instant before = runtime().now();
  EXPECT_EQ(run({"DEBUG", "SLEEP", "1.5"}), "+OK\r\n");
  EXPECT_EQ(runtime().now() - before, std::chrono::milliseconds(1500));
  EXPECT_EQ(run({"DEBUG", "SLEEP", "-1"}), "-ERR DEBUG SLEEP takes 0 to 3600 seconds\r\n");
  EXPECT_THAT(run({"DEBUG", "WHAT"}), StartsWith("-ERR unknown subcommand or wrong number"));
}

// Test suites call it in their setup (functions themselves: scripting_test.cpp).
TEST_F(ServerCommandsTest, FunctionFlushTakesSyncOrAsync) {
  EXPECT_EQ(run({"FUNCTION", "FLUSH"}), "+OK\r\n");
  EXPECT_EQ(run({"FUNCTION", "FLUSH", "ASYNC"}), "+OK\r\n");
  EXPECT_EQ(run({"FUNCTION", "FLUSH", "LATER"}),
            "-ERR FUNCTION FLUSH only supports SYNC|ASYNC option\r\n");
}

TEST_F(ServerCommandsTest, ConfigResetstatClearsCounters) {
  run({"PING"});
  EXPECT_EQ(run({"CONFIG", "RESETSTAT"}), "+OK\r\n");
  // Counted after it ran, as Redis counts it.
  EXPECT_EQ(server().stats().total_commands_processed, 1u);
  EXPECT_THAT(reply({"INFO", "commandstats"}).text, ::testing::Not(HasSubstr("cmdstat_ping")));
}

TEST_F(ServerCommandsTest, HelpRepliesAreStatusLines) {
  const Reply help = reply({"CONFIG", "HELP"});
  ASSERT_FALSE(help.elements.empty());
  EXPECT_EQ(help.elements[0].text,
            "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  EXPECT_EQ(help.elements.back().text, "    Prints this help.");
}

class MemoryCommandsTest : public CommandFixture {
 protected:
  int64_t usage(const std::string& key) { return reply({"MEMORY", "USAGE", key}).integer; }
  int64_t used_memory() {
    const std::string info = reply({"INFO", "memory"}).text;
    const size_t at = info.find("used_memory:") + std::string("used_memory:").size();
    return std::stoll(info.substr(at, info.find("\r\n", at) - at));
  }
};

TEST_F(MemoryCommandsTest, UsageIsWhatUsedMemoryCountsForTheKey) {
  EXPECT_EQ(cli({"MEMORY", "USAGE", "missing"}), "(nil)");
  const int64_t before = used_memory();
  run({"SET", "small", "v"});
  const int64_t small = usage("small");
  EXPECT_GT(small, 0);
  EXPECT_EQ(used_memory() - before, small);  // one key, no table growth at this size
  run({"SET", "big", std::string(1000, 'x')});
  EXPECT_GE(usage("big") - small, 1000 - 16);  // malloc rounds to 16 bytes
  run({"RPUSH", "list", "a", "b", "c"});
  run({"HSET", "hash", "f", std::string(500, 'y')});
  EXPECT_GT(usage("hash"), 500);
  EXPECT_GT(usage("list"), 0);
  // Reading the size is not an access: the key's idle time keeps growing.
  advance(std::chrono::seconds(20));
  usage("small");
  EXPECT_EQ(cli({"OBJECT", "IDLETIME", "small"}), "(integer) 20");
}

TEST_F(MemoryCommandsTest, UsageArgumentsAsRedisChecksThem) {
  run({"SET", "k", "v"});
  EXPECT_EQ(cli({"MEMORY", "USAGE", "k", "SAMPLES", "0"}), cli({"MEMORY", "USAGE", "k"}));
  EXPECT_EQ(cli({"MEMORY", "USAGE", "k", "SAMPLES", "x"}),
            "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"MEMORY", "USAGE", "k", "SAMPLES", "-1"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"MEMORY", "USAGE", "k", "FOO"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"MEMORY", "USAGE", "k", "SAMPLES"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"MEMORY", "USAGE"}),
            "(error) ERR wrong number of arguments for 'memory|usage' command");
  EXPECT_EQ(cli({"MEMORY", "PURGE"}), "OK");
  EXPECT_THAT(reply({"MEMORY", "HELP"}).elements.at(0).text,
              ::testing::StartsWith("MEMORY <subcommand>"));
  EXPECT_THAT(cli({"MEMORY", "DOCTOR"}), ::testing::HasSubstr("used_memory"));
}

TEST_F(MemoryCommandsTest, RoleIsAPrimaryWithoutReplicas) {
  EXPECT_EQ(run({"ROLE"}), "*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n");
}

}  // namespace
}  // namespace ringcache::testing
