// Server-side scripting: EVAL's Lua <-> RESP conversions, the sandbox (no OS, read-only globals,
// the node's own random numbers), limits, propagation as MULTI/EXEC, and SCRIPT's subcommands.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/scripting/engine.h"
#include "core/util/sha1.h"
#include "tests/support/command_fixture.h"
#include "tests/support/recording_sink.h"

namespace ringcache::testing {
namespace {

class ScriptingTest : public CommandFixture {
 protected:
  std::string eval(const std::string& script, std::vector<std::string> keys_and_args = {},
                   int numkeys = 0) {
    std::vector<std::string> argv{"EVAL", script, std::to_string(numkeys)};
    argv.insert(argv.end(), keys_and_args.begin(), keys_and_args.end());
    return run(argv);
  }
};

TEST(Sha1Test, MatchesKnownDigests) {
  EXPECT_EQ(sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(sha1_hex("Pizza & Mandolino"), "74822d82031af7493c20eefa13bd07ec4fada82f");
  // 56 bytes: the length no longer fits the first padding block.
  EXPECT_EQ(sha1_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

TEST_F(ScriptingTest, LuaValuesBecomeRedisReplies) {
  EXPECT_EQ(eval("return 100.5"), ":100\r\n");
  EXPECT_EQ(eval("return 'hello'"), "$5\r\nhello\r\n");
  EXPECT_EQ(eval("return true"), ":1\r\n");
  EXPECT_EQ(eval("return false"), "$-1\r\n");
  EXPECT_EQ(eval("return nil"), "$-1\r\n");
  EXPECT_EQ(eval("return {ok='fine'}"), "+fine\r\n");
  EXPECT_EQ(eval("return {err='My Error'}"), "-My Error\r\n");
  EXPECT_EQ(eval("return redis.error_reply('My Error')"), "-My Error\r\n");
  EXPECT_EQ(eval("return redis.error_reply('Oops')"), "-ERR Oops\r\n");
  EXPECT_EQ(eval("return redis.status_reply('FINE')"), "+FINE\r\n");
  EXPECT_EQ(eval("return {1,2,3,'ciao',{1,2}}"),
            "*5\r\n:1\r\n:2\r\n:3\r\n$4\r\nciao\r\n*2\r\n:1\r\n:2\r\n");
  // An array ends at its first nil; metatables are never consulted.
  EXPECT_EQ(eval("return {1,nil,3}"), "*1\r\n:1\r\n");
  EXPECT_EQ(eval("local a = {}; setmetatable(a, {__index=function() error('x') end}) return a"),
            "*0\r\n");
}

TEST_F(ScriptingTest, Resp3TypesAfterSetresp) {
  client().resp_version = 3;
  EXPECT_EQ(eval("redis.setresp(3); return true"), "#t\r\n");
  EXPECT_EQ(eval("redis.setresp(3); return false"), "#f\r\n");
  EXPECT_EQ(eval("return false"), "_\r\n");  // RESP2 rules until setresp(3)
  EXPECT_EQ(eval("return {double=3.5}"), ",3.5\r\n");
  EXPECT_EQ(eval("return {map={a=1}}"), "%1\r\n$1\r\na\r\n:1\r\n");
  EXPECT_EQ(eval("return {set={a=true}}"), "~1\r\n$1\r\na\r\n");
  run({"HSET", "h", "f", "v"});
  EXPECT_EQ(eval("redis.setresp(3); return redis.call('hgetall', KEYS[1])['map']['f']", {"h"}, 1),
            "$1\r\nv\r\n");
  EXPECT_EQ(eval("redis.setresp(3); return redis.call('get', 'nokey') == nil"), "#t\r\n");
}

TEST_F(ScriptingTest, RedisRepliesBecomeLuaValues) {
  run({"SET", "x", "0"});
  EXPECT_EQ(eval("return type(redis.call('incr', KEYS[1]))", {"x"}, 1), "$6\r\nnumber\r\n");
  EXPECT_EQ(eval("return redis.call('get', 'nokey') == false"), ":1\r\n");
  EXPECT_EQ(eval("return redis.call('set', 'k', 'v').ok"), "$2\r\nOK\r\n");
  EXPECT_EQ(eval("return redis.pcall('incr', 'k').err"),
            "$43\r\nERR value is not an integer or out of range\r\n");
  run({"RPUSH", "l", "a", "b"});
  EXPECT_EQ(eval("return redis.call('lrange', KEYS[1], 0, -1)", {"l"}, 1),
            "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  // Numbers go to commands in full.
  EXPECT_EQ(eval("redis.call('set', 'n', 9007199254740991) return redis.call('get', 'n')"),
            "$16\r\n9007199254740991\r\n");
}

TEST_F(ScriptingTest, ErrorsNameTheScriptAndLine) {
  const std::string sha = sha1_hex("return redis.call('nosuchcommand')");
  EXPECT_EQ(eval("return redis.call('nosuchcommand')"),
            "-ERR Unknown Redis command called from script script: " + sha +
                ", on @user_script:1.\r\n");
  EXPECT_NE(eval("redis.call('set', 'x')").find("Wrong number of args calling Redis command"),
            std::string::npos);
  EXPECT_NE(eval("redis.call('multi')").find("This Redis command is not allowed from script"),
            std::string::npos);
  EXPECT_NE(eval("return redis.call()").find("one argument"), std::string::npos);
  EXPECT_NE(eval("error('boom')").find("-ERR user_script:1: boom script:"), std::string::npos);
  EXPECT_EQ(eval("return +").rfind("-ERR Error compiling script (new function): user_script:1:", 0),
            0u);
}

TEST_F(ScriptingTest, SandboxHasNoOsAndReadOnlyGlobals) {
  EXPECT_NE(eval("return a").find("Script attempted to access nonexistent global variable 'a'"),
            std::string::npos);
  for (const char* script :
       {"a = 10", "redis = 1", "redis.call = 1", "cjson.encode = 1", "bit.lshift = 1", "struct = 1",
        "struct.pack = 1", "setmetatable(struct, {})", "string.upper = 1", "setmetatable(_G, {})",
        "getmetatable(_G).__index = {}", "rawset(_G, 'a', 1)", "_G.x = 1",
        "getmetatable('').x = 1"}) {
    EXPECT_NE(eval(script).find("Attempt to modify a readonly table"), std::string::npos) << script;
  }
  // The string metatable hides the string library behind it: methods still work.
  EXPECT_EQ(eval("return getmetatable('').__index == nil"), ":1\r\n");
  EXPECT_EQ(eval("return ('a'):upper()"), "$1\r\nA\r\n");
  for (const char* name : {"os", "io", "print", "dofile", "loadfile", "require", "debug", "package",
                           "getfenv", "setfenv", "load"}) {
    EXPECT_NE(eval(std::string("return ") + name).find("nonexistent global variable"),
              std::string::npos)
        << name;
  }
  // Precompiled chunks are refused: bytecode is not verified.
  EXPECT_EQ(eval("return loadstring(string.dump(function() return 1 end)) == nil"), ":1\r\n");
  EXPECT_NE(eval("\x1bLua").find("-ERR Error compiling script"), std::string::npos);
  EXPECT_EQ(eval("return loadstring('return 7')()"), ":7\r\n");
}

TEST_F(ScriptingTest, LibrariesCjsonAndBit) {
  EXPECT_EQ(eval("return cjson.encode({1,2})"), "$5\r\n[1,2]\r\n");
  EXPECT_EQ(eval("return cjson.decode('{\"a\":5}').a"), ":5\r\n");
  EXPECT_EQ(eval("return bit.band(7, 3)"), ":3\r\n");
  EXPECT_EQ(eval("return redis.sha1hex('')"),
            "$40\r\nda39a3ee5e6b4b0d3255bfef95601890afd80709\r\n");
  EXPECT_EQ(eval("return redis.REDIS_VERSION"), "$6\r\n7.0.15\r\n");
}

TEST_F(ScriptingTest, CmsgpackEncodesAsRedisDoes) {
  const std::string hex =
      "local e = cmsgpack.pack(ARGV[1] == 'f' and 0.1 or -1099511627776) local h = '' "
      "for i = 1, #e do h = h .. string.format('%02x', string.byte(e, i)) end return h";
  EXPECT_EQ(eval(hex, {"f"}), "$18\r\ncb3fb999999999999a\r\n");
  EXPECT_EQ(eval(hex, {"i"}), "$18\r\nd3ffffff0000000000\r\n");
  EXPECT_EQ(eval("local t = cmsgpack.unpack(cmsgpack.pack({1, 'two', {a = true}})) "
                 "return {t[1], t[2], tostring(t[3].a)}"),
            "*3\r\n:1\r\n$3\r\ntwo\r\n$4\r\ntrue\r\n");
  EXPECT_EQ(eval("local s = cmsgpack.pack('a', 'b') local o, x = cmsgpack.unpack_limit(s, 1, 0) "
                 "local p, y = cmsgpack.unpack_one(s, o) return {o, x, p, y}"),
            "*4\r\n:2\r\n$1\r\na\r\n:-1\r\n$1\r\nb\r\n");
  // A table containing itself encodes to a bounded depth; malformed input is an error.
  EXPECT_EQ(eval("local a = {} a[1] = a return #cmsgpack.pack(a) > 0"), ":1\r\n");
  EXPECT_NE(eval("return cmsgpack.unpack('\\220\\255')").find("Missing bytes in input"),
            std::string::npos);
}

TEST_F(ScriptingTest, ShebangScriptsThatMayWriteAreRefusedOverMaxmemory) {
  run({"SET", "k", std::string(1000, 'x')});
  run({"CONFIG", "SET", "maxmemory", "1"});
  EXPECT_EQ(eval("#!lua\nreturn 1"),
            "-OOM command not allowed when used memory > 'maxmemory'.\r\n");
  EXPECT_EQ(eval("#!lua flags=no-writes\nreturn 1"), ":1\r\n");
  EXPECT_EQ(eval("#!lua flags=allow-oom\nreturn 1"), ":1\r\n");
  EXPECT_EQ(eval("return 1"), ":1\r\n");  // no shebang: each command is checked as it runs
  run({"CONFIG", "SET", "maxmemory", "0"});
}

TEST_F(ScriptingTest, RandomNumbersComeFromTheSeededGenerator) {
  const std::string seeded = "math.randomseed(ARGV[1]); return tostring(math.random())";
  EXPECT_EQ(eval(seeded, {"10"}), eval(seeded, {"10"}));
  EXPECT_NE(eval(seeded, {"10"}), eval(seeded, {"11"}));
  EXPECT_EQ(eval("local r = math.random(3, 5) return r >= 3 and r <= 5"), ":1\r\n");
  // A node seeded alike draws alike (the simulator replays).
  const std::string first = eval("return tostring(math.random())");
  restart([](server::Config&) {});
  runtime().rng().reseed(1);
  const std::string again = eval("return tostring(math.random())");
  restart([](server::Config&) {});
  runtime().rng().reseed(1);
  EXPECT_EQ(eval("return tostring(math.random())"), again);
  (void)first;
}

TEST_F(ScriptingTest, EvalshaAndScriptSubcommands) {
  const std::string sha = sha1_hex("return 1");
  EXPECT_EQ(run({"EVALSHA", sha, "0"}), "-NOSCRIPT No matching script. Please use EVAL.\r\n");
  EXPECT_EQ(run({"SCRIPT", "LOAD", "return 1"}), "$40\r\n" + sha + "\r\n");
  EXPECT_EQ(run({"EVALSHA", sha, "0"}), ":1\r\n");
  std::string upper = sha;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  EXPECT_EQ(run({"EVALSHA", upper, "0"}), ":1\r\n");
  EXPECT_EQ(run({"SCRIPT", "EXISTS", sha, "ffff"}), "*2\r\n:1\r\n:0\r\n");
  EXPECT_EQ(run({"SCRIPT", "FLUSH"}), "+OK\r\n");
  EXPECT_EQ(run({"SCRIPT", "EXISTS", sha}), "*1\r\n:0\r\n");
  EXPECT_EQ(run({"SCRIPT", "KILL"}), "-NOTBUSY No scripts in execution right now.\r\n");
  EXPECT_EQ(run({"EVAL", "return 1", "-1"}), "-ERR Number of keys can't be negative\r\n");
  EXPECT_EQ(run({"EVAL", "return 1", "2", "a"}),
            "-ERR Number of keys can't be greater than number of args\r\n");
}

TEST_F(ScriptingTest, ReadOnlyScriptsMayNotWrite) {
  EXPECT_NE(run({"EVAL_RO", "return redis.call('set', 'x', 1)", "0"})
                .find("Write commands are not allowed from read-only scripts"),
            std::string::npos);
  EXPECT_NE(eval("#!lua flags=no-writes\nreturn redis.call('set', 'x', 1)")
                .find("Write commands are not allowed from read-only scripts"),
            std::string::npos);
  EXPECT_EQ(run({"EVAL_RO", "#!lua\nreturn 1", "0"}),
            "-ERR Can not execute a script with write flag using *_ro command.\r\n");
  EXPECT_EQ(run({"EVAL_RO", "#!lua flags=no-writes\nreturn 1", "0"}), ":1\r\n");
  EXPECT_NE(eval("#!notlua\nreturn 1").find("Unexpected engine in script shebang"),
            std::string::npos);
  EXPECT_NE(eval("#!lua flags=what\nreturn 1").find("Unexpected flag in script shebang"),
            std::string::npos);
  EXPECT_EQ(run({"GET", "x"}), "$-1\r\n");
}

TEST_F(ScriptingTest, DeepAndSelfContainingRepliesEndInAnError) {
  const std::string reply = eval("local t = {} t[1] = t return t");
  EXPECT_NE(reply.find("-ERR reached lua stack limit"), std::string::npos);
  EXPECT_NE(eval("local function f() return f() + 1 end return f()").find("stack overflow"),
            std::string::npos);
  EXPECT_EQ(run({"PING"}), "+PONG\r\n");
}

TEST_F(ScriptingTest, AScriptPropagatesItsEffectsAsOneTransaction) {
  RecordingSink sink;
  server().add_propagation_sink(&sink);
  eval("redis.call('set', KEYS[1], ARGV[1]) redis.call('incr', 'n') redis.call('get', 'n')",
       {"k", "v"}, 1);
  eval("return redis.call('get', 'k')");
  eval("redis.call('set', 'k', 'w') error('after a write')");
  server().remove_propagation_sink(&sink);
  // Reads propagate nothing; a script that fails after writing keeps (and propagates) its writes,
  // as in Redis.
  EXPECT_EQ(sink.units, (std::vector<std::string>{"MULTI | set k v | incr n | EXEC",
                                                  "MULTI | set k w | EXEC"}));
}

std::string library(const std::string& name, const std::string& function, const std::string& body,
                    const std::string& flags = "") {
  const std::string registration =
      flags.empty()
          ? "redis.register_function('" + function + "', function(KEYS, ARGV) " + body + " end)"
          : "redis.register_function{function_name='" + function +
                "', callback=function(KEYS, ARGV) " + body + " end, flags={" + flags + "}}";
  return "#!lua name=" + name + "\n" + registration;
}

TEST_F(ScriptingTest, FunctionsLoadCallListAndDelete) {
  EXPECT_EQ(run({"FUNCTION", "LOAD", library("lib", "hello", "return 'hi ' .. ARGV[1]")}),
            "$3\r\nlib\r\n");
  EXPECT_EQ(run({"FCALL", "hello", "0", "you"}), "$6\r\nhi you\r\n");
  EXPECT_EQ(run({"FCALL", "HELLO", "0", "x"}), "$4\r\nhi x\r\n");  // names ignore case
  EXPECT_EQ(run({"FUNCTION", "LOAD", library("lib", "hello", "return 1")}),
            "-ERR Library 'lib' already exists\r\n");
  EXPECT_NE(run({"FUNCTION", "LOAD", library("other", "hello", "return 1")})
                .find("Function hello already exists"),
            std::string::npos);
  EXPECT_EQ(run({"FUNCTION", "LOAD", "REPLACE", library("lib", "hello", "return 2")}),
            "$3\r\nlib\r\n");
  EXPECT_EQ(run({"FCALL", "hello", "0"}), ":2\r\n");
  const Reply list = reply({"FUNCTION", "LIST"});
  ASSERT_EQ(list.elements.size(), 1u);
  const Reply& lib = list.elements[0];
  ASSERT_EQ(lib.elements.size(), 6u);  // RESP2: the map as key, value pairs
  EXPECT_EQ(lib.elements[1].text, "lib");
  EXPECT_EQ(lib.elements[3].text, "LUA");
  ASSERT_EQ(lib.elements[5].elements.size(), 1u);
  const Reply& function = lib.elements[5].elements[0];
  ASSERT_EQ(function.elements.size(), 6u);
  EXPECT_EQ(function.elements[1].text, "hello");
  EXPECT_EQ(function.elements[3].type, Reply::Type::null);
  EXPECT_TRUE(function.elements[5].elements.empty());
  EXPECT_EQ(run({"FCALL", "nothere", "0"}), "-ERR Function not found\r\n");
  EXPECT_EQ(run({"FCALL", "hello", "x"}), "-ERR Bad number of keys provided\r\n");
  EXPECT_EQ(run({"FUNCTION", "DELETE", "lib"}), "+OK\r\n");
  EXPECT_EQ(run({"FUNCTION", "DELETE", "lib"}), "-ERR Library not found\r\n");
  EXPECT_EQ(run({"FCALL", "hello", "0"}), "-ERR Function not found\r\n");
}

TEST_F(ScriptingTest, LibraryCodeSeesOnlyTheLoadApi) {
  EXPECT_NE(run({"FUNCTION", "LOAD", "#!lua name=l\nlocal x = math.random()"})
                .find("nonexistent global variable 'math'"),
            std::string::npos);
  EXPECT_NE(run({"FUNCTION", "LOAD", "#!lua name=l\nredis.call('ping')"})
                .find("nonexistent global variable 'call'"),
            std::string::npos);
  EXPECT_EQ(run({"FUNCTION", "LOAD", "#!lua name=l\nlocal x = 1"}),
            "-ERR No functions registered\r\n");
  EXPECT_EQ(run({"FUNCTION", "LOAD", "return 1"}), "-ERR Missing library metadata\r\n");
  EXPECT_EQ(run({"FUNCTION", "LOAD", "#!py name=l\n"}), "-ERR Engine 'py' not found\r\n");
  EXPECT_EQ(run({"FUNCTION", "LOAD", "#!lua\n"}), "-ERR Library name was not given\r\n");
  // At run time the full API is there, and register_function is not.
  run({"FUNCTION", "LOAD",
       library("l", "f",
               "return redis.register_function == nil and "
               "math.floor(2.5)")});
  EXPECT_EQ(run({"FCALL", "f", "0"}), ":2\r\n");
}

// The library itself is tested in lua_struct_test.cpp; here, that scripts and functions have it.
TEST_F(ScriptingTest, StructIsThereAsInRedis) {
  EXPECT_EQ(eval("return {struct.unpack('>hc0', struct.pack('>hc0', 3, ARGV[1]))}", {"abc"}),
            "*2\r\n$3\r\nabc\r\n:6\r\n");
  EXPECT_EQ(eval("return struct.pack('>I2 c2', 258, 'ok')"), "$4\r\n\x01\x02ok\r\n");
  const std::string bad = "return struct.pack('z')";
  EXPECT_EQ(eval(bad),
            "-ERR user_script:1: bad argument #1 to 'pack' (invalid format option 'z') script: " +
                sha1_hex(bad) + ", on @user_script:1.\r\n");
  run({"FUNCTION", "LOAD", library("st", "sz", "return struct.size('!8 b d')")});
  EXPECT_EQ(run({"FCALL", "sz", "0"}), ":16\r\n");
  EXPECT_NE(run({"FUNCTION", "LOAD", "#!lua name=l\nlocal x = struct.size('b')"})
                .find("nonexistent global variable 'struct'"),
            std::string::npos);
}

TEST_F(ScriptingTest, FunctionFlagsDumpRestoreAndStats) {
  run({"FUNCTION", "LOAD",
       library("ro", "reader", "return redis.call('get', KEYS[1])", "'no-writes'")});
  run({"FUNCTION", "LOAD", library("rw", "writer", "return redis.call('set', KEYS[1], 'v')")});
  EXPECT_EQ(run({"FCALL_RO", "writer", "1", "k"}),
            "-ERR Can not execute a script with write flag using *_ro command.\r\n");
  EXPECT_EQ(run({"FCALL", "writer", "1", "k"}), "+OK\r\n");
  EXPECT_EQ(run({"FCALL_RO", "reader", "1", "k"}), "$1\r\nv\r\n");
  const Reply dump = reply({"FUNCTION", "DUMP"});
  EXPECT_EQ(run({"FUNCTION", "FLUSH"}), "+OK\r\n");
  EXPECT_EQ(run({"FUNCTION", "RESTORE", "garbage"}),
            "-ERR payload version or checksum are wrong\r\n");
  EXPECT_EQ(run({"FUNCTION", "RESTORE", dump.text}), "+OK\r\n");
  EXPECT_EQ(run({"FCALL_RO", "reader", "1", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(run({"FUNCTION", "RESTORE", dump.text}), "-ERR Library ro already exists\r\n");
  EXPECT_EQ(run({"FUNCTION", "RESTORE", dump.text, "REPLACE"}), "+OK\r\n");
  const Reply stats = reply({"FUNCTION", "STATS"});
  ASSERT_EQ(stats.elements.size(), 4u);
  EXPECT_EQ(stats.elements[1].type, Reply::Type::null);  // nothing running
  const Reply& lua = stats.elements[3].elements[1];
  ASSERT_EQ(lua.elements.size(), 4u);
  EXPECT_EQ(lua.elements[1].integer, 2);  // libraries
  EXPECT_EQ(lua.elements[3].integer, 2);  // functions
  EXPECT_EQ(run({"FUNCTION", "KILL"}), "-NOTBUSY No scripts in execution right now.\r\n");
}

TEST_F(ScriptingTest, FunctionChangesPropagateAndSnapshot) {
  RecordingSink sink;
  server().add_propagation_sink(&sink);
  const std::string code = library("lib", "f", "return redis.call('incr', KEYS[1])");
  run({"FUNCTION", "LOAD", code});
  run({"FCALL", "f", "1", "n"});
  run({"FUNCTION", "DELETE", "lib"});
  server().remove_propagation_sink(&sink);
  EXPECT_EQ(sink.units, (std::vector<std::string>{"FUNCTION LOAD " + code, "MULTI | incr n | EXEC",
                                                  "FUNCTION DELETE lib"}));
  run({"FUNCTION", "LOAD", code});
  ASSERT_NE(server().scripting(), nullptr);
  EXPECT_EQ(server().scripting()->snapshot_commands(),
            (std::vector<std::vector<std::string>>{{"FUNCTION", "LOAD", code}}));
}

// A host for the engine alone: commands answer +OK; interrupted() after `interrupt_after` checks.
class CountingHost final : public scripting::Host {
 public:
  std::string call(std::span<const std::string_view>, int) override { return "+OK\r\n"; }
  void log(int, std::string_view) override {}
  bool interrupted() override { return ++checks > interrupt_after; }
  int checks = 0;
  int interrupt_after = 1000000;
};

std::string run_engine(scripting::Engine& engine, scripting::Host& host, std::string_view body) {
  Result<std::string> sha = engine.load(body);
  EXPECT_TRUE(sha.is_ok());
  std::string out;
  protocol::ReplyWriter writer(out);
  engine.run(*sha, {}, {}, host, writer);
  return out;
}

TEST(ScriptEngineTest, AnInterruptedScriptEndsEvenUnderPcall) {
  scripting::Engine engine(1, 0);
  CountingHost host;
  host.interrupt_after = 3;
  EXPECT_NE(run_engine(engine, host, "while true do end").find("Script killed by user"),
            std::string::npos);
  host.checks = 0;
  EXPECT_NE(run_engine(engine, host, "while true do pcall(function() while true do end end) end")
                .find("Script killed by user"),
            std::string::npos);
  host.checks = 0;
  host.interrupt_after = 1000000;
  EXPECT_EQ(run_engine(engine, host, "return 1"), ":1\r\n");
}

TEST(ScriptEngineTest, TheHeapLimitEndsAGreedyScript) {
  constexpr size_t limit = 8 * 1024 * 1024;
  scripting::Engine engine(1, limit);
  CountingHost host;
  const std::string reply = run_engine(
      engine, host, "local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 100) .. i end");
  EXPECT_NE(reply.find("not enough memory"), std::string::npos) << reply;
  EXPECT_LE(engine.heap_bytes(), limit);
  // The interpreter is still usable afterwards.
  EXPECT_EQ(run_engine(engine, host, "return 2"), ":2\r\n");
}

}  // namespace
}  // namespace ringcache::testing
