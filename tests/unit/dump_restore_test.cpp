// DUMP and RESTORE as sessions: payloads redis-server 7.0.15 wrote, round trips of every type
// and encoding around the encoding thresholds, Redis' errors in its order, TTL options,
// IDLETIME/FREQ, propagation, the keyspace event, and damaged payloads.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/persistence/rdb_output.h"
#include "tests/support/command_fixture.h"
#include "tests/support/hex.h"
#include "tests/support/recording_sink.h"

namespace ringcache::testing {
namespace {

using Units = std::vector<std::string>;

// The payload with a fresh footer: damage past the checksum reaches the parser.
std::string resigned(std::string payload) {
  payload.resize(payload.size() - 10);
  persistence::rdb::append_dump_footer(payload);
  return payload;
}

class DumpRestoreTest : public CommandFixture {
 protected:
  std::string dump(const std::string& key) {
    const Reply r = reply({"DUMP", key});
    EXPECT_EQ(r.type, Reply::Type::bulk);
    return r.text;
  }
  // What a key reads as, whatever its type, and its encoding.
  std::string contents(const std::string& key) {
    const std::string type = reply({"TYPE", key}).text;
    std::string out = type + " " + reply({"OBJECT", "ENCODING", key}).text + ": ";
    if (type == "string") return out + cli({"GET", key});
    if (type == "list") return out + cli({"LRANGE", key, "0", "-1"});
    if (type == "zset") return out + cli({"ZRANGE", key, "0", "-1", "WITHSCORES"});
    std::vector<std::string> items;
    const Reply all = reply({type == "set" ? "SMEMBERS" : "HGETALL", key});
    for (size_t i = 0; i < all.elements.size(); i += type == "set" ? 1 : 2) {
      items.push_back(all.elements[i].text +
                      (type == "set" ? "" : "=" + all.elements[i + 1].text));
    }
    std::sort(items.begin(), items.end());
    for (const std::string& item : items) out += item + ",";
    return out;
  }
  // DUMP, then RESTORE under another name: both read the same.
  void expect_round_trip(const std::string& key) {
    const std::string payload = dump(key);
    EXPECT_EQ(cli({"RESTORE", key + "-copy", "0", payload}), "OK");
    EXPECT_EQ(contents(key + "-copy"), contents(key)) << key;
    run({"DEL", key + "-copy"});
  }
};

// Payloads redis-server 7.0.15 wrote, as `redis-cli --no-raw DUMP key` (python3-redis
// r.dump(k)) printed them after the command in each comment.
struct RedisPayload {
  const char* command;
  const char* hex;
  const char* contents;
};

const RedisPayload redis_payloads[] = {
    {"SET s bar", "00036261720a00e6be4960ee66fd17", "string embstr: \"bar\""},
    {"SET i 12345", "00c139300a009d94ea2793fc08b9", "string int: \"12345\""},
    {"SET neg -7", "00c0f90a005e26d130d7a242ab", "string int: \"-7\""},
    {"SET big 123456789012", "000c3132333435363738393031320a00911001b1d116e7ac",
     "string int: \"123456789012\""},
    {"SET lzf <100 a>", "00c3094064016161e057000161610a00e8a3b507b06df271",
     "string raw: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaa\""},
    {"RPUSH l a 1 -5000 hello 300000",
     "1201021c1c00000005008161020101f178ec038568656c6c6f06f2e0930404ff0a006f4f3c900c56a477",
     "list quicklist: 1) \"a\"\n2) \"1\"\n3) \"-5000\"\n4) \"hello\"\n5) \"300000\""},
    {"SADD is 1 2 70000", "0b1404000000030000000100000002000000701101000a0085d5c1065b1dd055",
     "set intset: 1,2,70000,"},
    {"SADD is16 5 -3", "0b0c0200000002000000fdff05000a0040e2062db5be7039", "set intset: -3,5,"},
    {"SADD is64 5 9000000000",
     "0b1808000000020000000500000000000000001a7118020000000a00076b94494f62a81b",
     "set intset: 5,9000000000,"},
    {"SADD ss a b", "0202016101620a00fe642125eb033d0d", "set hashtable: a,b,"},
    {"ZADD z 1.5 a 2 b -3 c",
     "111a1a0000000600816302dffd0281610283312e35048162020201ff0a0088c4c030f0ae8276",
     "zset listpack: 1) \"c\"\n2) \"-3\"\n3) \"a\"\n4) \"1.5\"\n5) \"b\"\n6) \"2\""},
    {"ZADD zinf inf a -inf b 0.1 c",
     "1130300000000600816202842d696e660581630293302e31303030303030303030303030303030311481610283"
     "696e6604ff0a004dced216cbaffd23",
     "zset listpack: 1) \"b\"\n2) \"-inf\"\n3) \"c\"\n4) \"0.10000000000000001\"\n5) \"a\"\n6) "
     "\"inf\""},
    {"HSET h f v n 10", "1012120000000400816602817602816e020a01ff0a0045f842d8ea0693ca",
     "hash listpack: f=v,n=10,"},
    {"HSET hh f v g w (hash-max-listpack-entries 1)", "040201660176016701770a00bc76c6208426f9f2",
     "hash listpack: f=v,g=w,"},
    {"ZADD zz 1.5 a 2 b (zset-max-listpack-entries 1)",
     "0502016200000000000000400161000000000000f83f0a00e77c0b139f4e671e",
     "zset listpack: 1) \"a\"\n2) \"1.5\"\n3) \"b\"\n4) \"2\""},
    // Three LZF-compressed listpack nodes (list-max-listpack-size 4): RPUSH lc of
    // element-element-element-0 .. -8.
    {"RPUSH lc ... (compressed nodes)",
     "120302c32740730e73000000040099656c656d656e742de0070701301ae0101a0031e0111a0032e0111a02331a"
     "ff02c32740730e73000000040099656c656d656e742de0070701341ae0101a0035e0111a0036e0111a02371aff"
     "02c317220e22000000010099656c656d656e742de0070702381aff0a0025852ace88e60198",
     ""},
    {"RPUSH plain <30 x> y (rdbcompression no)",
     "1201022a2a00000002009e7878787878787878787878787878787878787878787878787878787878781f8179"
     "02ff0a0018f69599b7a7b53e",
     "list quicklist: 1) \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n2) \"y\""},
};

TEST_F(DumpRestoreTest, RestoresRedisPayloads) {
  for (const RedisPayload& payload : redis_payloads) {
    const std::string key = std::string("k:") + payload.command;
    ASSERT_EQ(cli({"RESTORE", key, "0", from_hex(payload.hex)}), "OK") << payload.command;
    if (*payload.contents != '\0') {
      EXPECT_EQ(contents(key), payload.contents) << payload.command;
    }
  }
  EXPECT_EQ(cli({"LLEN", "k:RPUSH lc ... (compressed nodes)"}), "(integer) 9");
  EXPECT_EQ(cli({"LINDEX", "k:RPUSH lc ... (compressed nodes)", "8"}),
            "\"element-element-element-8\"");
}

TEST_F(DumpRestoreTest, RestoresRedisStream) {
  // XADD x 1-1 a 1; XGROUP CREATE x g 0; XREADGROUP GROUP g c STREAMS x > on redis-server
  // 7.0.15 (RDB_TYPE_STREAM_LISTPACKS_2: one node, a group, a consumer holding one entry).
  const std::string payload = from_hex(
      "130110000000000000000100000000000000011c1c0000000a00010100010101816102000102010001000101"
      "010401ff01010101010000010101670101010100000000000000010000000000000001e081c552a201000001"
      "010163e081c552a201000001000000000000000100000000000000010a0023e437f7b5197db9");
  ASSERT_EQ(cli({"RESTORE", "x", "0", payload}), "OK");
  EXPECT_EQ(cli({"XRANGE", "x", "-", "+"}), "1) 1) \"1-1\"\n   2) 1) \"a\"\n      2) \"1\"");
  EXPECT_EQ(cli({"XPENDING", "x", "g"}),
            "1) (integer) 1\n2) \"1-1\"\n3) \"1-1\"\n4) 1) 1) \"c\"\n      2) \"1\"");
  // And back: a dump of the restored stream restores to the same state.
  run({"XADD", "x", "2-0", "a", "2", "b", "3"});
  run({"XADD", "x", "3-0", "a", "4"});
  run({"XDEL", "x", "2-0"});
  run({"XGROUP", "CREATECONSUMER", "x", "g", "idle"});
  const std::string again = dump("x");
  ASSERT_EQ(cli({"RESTORE", "y", "0", again}), "OK");
  for (const std::vector<std::string>& read :
       {std::vector<std::string>{"XRANGE", "@", "-", "+"},
        std::vector<std::string>{"XINFO", "STREAM", "@", "FULL"},
        std::vector<std::string>{"XPENDING", "@", "g", "-", "+", "10"}}) {
    std::vector<std::string> on_x = read;
    std::vector<std::string> on_y = read;
    std::replace(on_x.begin(), on_x.end(), std::string("@"), std::string("x"));
    std::replace(on_y.begin(), on_y.end(), std::string("@"), std::string("y"));
    EXPECT_EQ(cli(on_y), cli(on_x)) << read[0];
  }
  // An empty stream stays a stream.
  run({"XADD", "e", "MAXLEN", "0", "5-5", "f", "v"});
  ASSERT_EQ(cli({"RESTORE", "e2", "0", dump("e")}), "OK");
  EXPECT_EQ(cli({"XINFO", "STREAM", "e2", "FULL"}), cli({"XINFO", "STREAM", "e", "FULL"}));
}

TEST_F(DumpRestoreTest, StringPayloadsAreRedisBytes) {
  // Strings dump to the very bytes redis-server writes (below LZF's reach).
  run({"SET", "s", "bar"});
  run({"SET", "i", "12345"});
  run({"SET", "big", "123456789012"});
  EXPECT_EQ(dump("s"), from_hex("00036261720a00e6be4960ee66fd17"));
  EXPECT_EQ(dump("i"), from_hex("00c139300a009d94ea2793fc08b9"));
  EXPECT_EQ(dump("big"), from_hex("000c3132333435363738393031320a00911001b1d116e7ac"));
  run({"RPUSH", "l", "a", "1", "-5000", "hello", "300000"});
  EXPECT_EQ(dump("l"), from_hex("1201021c1c00000005008161020101f178ec038568656c6c6f06f2e09304"
                                "04ff0a006f4f3c900c56a477"));
  EXPECT_EQ(cli({"DUMP", "nosuchkey"}), "(nil)");
  // Long repetitive strings go LZF-compressed, as Redis writes them.
  run({"SET", "lzf", std::string(100, 'a')});
  EXPECT_LT(dump("lzf").size(), 30u);
  EXPECT_EQ(static_cast<uint8_t>(dump("lzf")[1]), 0xc3);
}

TEST_F(DumpRestoreTest, RoundTripsAroundEncodingThresholds) {
  for (const int n : {1, 127, 128, 129, 600}) {
    const std::string suffix = std::to_string(n);
    for (int i = 0; i < n; ++i) {
      const std::string e = std::to_string(i * 37 - 1000);
      run({"RPUSH", "list" + suffix, e, "v" + e});
      run({"SADD", "intset" + suffix, e});
      run({"SADD", "set" + suffix, "m" + e});
      run({"ZADD", "zset" + suffix, std::to_string(i * 0.5), "m" + e});
      run({"HSET", "hash" + suffix, "f" + e, e});
    }
    for (const char* type : {"list", "intset", "set", "zset", "hash"}) {
      expect_round_trip(type + suffix);
    }
  }
  // Long elements: past hash-/zset-max-listpack-value (64) and past a list node's 8 KB.
  for (const size_t size : {63, 64, 65, 9000, 70000}) {
    const std::string big(size, 'z');
    const std::string suffix = std::to_string(size);
    run({"RPUSH", "biglist" + suffix, "a", big, "b"});
    run({"HSET", "bighash" + suffix, "f", big});
    run({"ZADD", "bigzset" + suffix, "1", big});
    run({"SET", "bigstring" + suffix, big});
    for (const char* type : {"biglist", "bighash", "bigzset", "bigstring"}) {
      expect_round_trip(type + suffix);
    }
  }
  run({"SET", "empty", ""});
  expect_round_trip("empty");
  run({"ZADD", "scores", "inf", "a", "-inf", "b", "0.1", "c", "-0", "d", "1e300", "e"});
  expect_round_trip("scores");
}

TEST_F(DumpRestoreTest, ErrorsInRedisOrder) {
  run({"SET", "k", "v"});
  const std::string payload = dump("k");
  EXPECT_EQ(cli({"RESTORE", "k", "0", "...", "bogus"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"RESTORE", "k", "0", "...", "IDLETIME", "1", "FREQ", "2"}),
            "(error) ERR syntax error");
  EXPECT_EQ(cli({"RESTORE", "k", "0", "...", "IDLETIME"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"RESTORE", "k", "0", "...", "IDLETIME", "-1"}),
            "(error) ERR Invalid IDLETIME value, must be >= 0");
  EXPECT_EQ(cli({"RESTORE", "k", "0", "...", "FREQ", "256"}),
            "(error) ERR Invalid FREQ value, must be >= 0 and <= 255");
  // The key is looked at before the TTL and the payload.
  EXPECT_EQ(cli({"RESTORE", "k", "x", "..."}),
            "(error) BUSYKEY Target key name already exists.");
  EXPECT_EQ(cli({"RESTORE", "n", "x", "..."}),
            "(error) ERR value is not an integer or out of range");
  EXPECT_EQ(cli({"RESTORE", "n", "-1", "..."}), "(error) ERR Invalid TTL value, must be >= 0");
  EXPECT_EQ(cli({"RESTORE", "n", "0", "..."}),
            "(error) ERR DUMP payload version or checksum are wrong");
  // A later RDB version, then a right footer over bytes that do not parse.
  std::string later = payload;
  later[later.size() - 10] = 11;
  EXPECT_EQ(cli({"RESTORE", "n", "0", later}),
            "(error) ERR DUMP payload version or checksum are wrong");
  EXPECT_EQ(cli({"RESTORE", "n", "0", resigned(from_hex("7f000a000000000000000000"))}),
            "(error) ERR Bad data format");
  EXPECT_EQ(cli({"EXISTS", "n"}), "(integer) 0");
  EXPECT_EQ(cli({"RESTORE", "k", "0", payload, "REPLACE"}), "OK");
}

TEST_F(DumpRestoreTest, TtlOptions) {
  run({"SET", "k", "v"});
  const std::string payload = dump("k");
  const int64_t now = runtime().wall_time_ms();
  EXPECT_EQ(cli({"RESTORE", "a", "5000", payload}), "OK");
  EXPECT_EQ(cli({"PTTL", "a"}), "(integer) 5000");
  EXPECT_EQ(cli({"RESTORE", "b", std::to_string(now + 3000), payload, "ABSTTL"}), "OK");
  EXPECT_EQ(cli({"PTTL", "b"}), "(integer) 3000");
  EXPECT_EQ(cli({"RESTORE", "c", "0", payload}), "OK");
  EXPECT_EQ(cli({"TTL", "c"}), "(integer) -1");
  // An absolute time in the past: OK, but no key; REPLACE still removes the old one.
  EXPECT_EQ(cli({"RESTORE", "d", std::to_string(now - 1), payload, "ABSTTL"}), "OK");
  EXPECT_EQ(cli({"EXISTS", "d"}), "(integer) 0");
  EXPECT_EQ(cli({"RESTORE", "c", "1", payload, "ABSTTL", "REPLACE"}), "OK");
  EXPECT_EQ(cli({"EXISTS", "c"}), "(integer) 0");
}

TEST_F(DumpRestoreTest, IdleTimeAndFrequency) {
  run({"SET", "k", "v"});
  const std::string payload = dump("k");
  run({"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"});
  EXPECT_EQ(cli({"RESTORE", "a", "0", payload, "IDLETIME", "1000"}), "OK");
  EXPECT_EQ(cli({"OBJECT", "IDLETIME", "a"}), "(integer) 1000");
  run({"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"});
  EXPECT_EQ(cli({"RESTORE", "b", "0", payload, "FREQ", "100"}), "OK");
  EXPECT_EQ(cli({"OBJECT", "FREQ", "b"}), "(integer) 100");
}

TEST_F(DumpRestoreTest, PropagatesAReplayableForm) {
  RecordingSink sink;
  server().add_propagation_sink(&sink);
  run({"SET", "k", "v"});
  const std::string payload = dump("k");
  const std::string at = std::to_string(runtime().wall_time_ms() + 5000);
  sink.units.clear();
  run({"RESTORE", "a", "5000", payload, "IDLETIME", "7"});
  run({"RESTORE", "b", "0", payload});
  run({"RESTORE", "k", "1", payload, "ABSTTL", "REPLACE"});
  run({"RESTORE", "gone", "1", payload, "ABSTTL"});
  EXPECT_EQ(sink.units, (Units{"RESTORE a " + at + " " + payload + " IDLETIME 7 ABSTTL",
                               "RESTORE b 0 " + payload, "DEL k"}));
}

TEST_F(DumpRestoreTest, EmitsRestoreEvent) {
  run({"CONFIG", "SET", "notify-keyspace-events", "KEA"});
  server::Client& listener = connect();
  run_as(listener, {"PSUBSCRIBE", "__keyevent*__:*"});
  listener.pushes.clear();
  run({"SET", "k", "v"});
  const std::string payload = dump("k");
  listener.pushes.clear();
  run({"RESTORE", "r", "0", payload});
  EXPECT_NE(listener.pushes.find("__keyevent@0__:restore"), std::string::npos);
}

TEST_F(DumpRestoreTest, DamagedPayloadsNeverCrash) {
  run({"RPUSH", "l", "a", "1", "-5000", "hello", "300000"});
  run({"SADD", "s", "1", "2", "3"});
  run({"SADD", "t", "a", "b"});
  run({"ZADD", "z", "1", "a", "2", "b"});
  run({"HSET", "h", "f", "v", "g", "w"});
  run({"SET", "str", "a string of some length"});
  run({"XADD", "xs", "1-1", "a", "1", "b", "2"});
  run({"XADD", "xs", "1-2", "a", "3", "b", "4"});
  run({"XADD", "xs", "2-0", "c", "5"});
  run({"XGROUP", "CREATE", "xs", "g", "0"});
  run({"XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "xs", ">"});
  for (const char* key : {"l", "s", "t", "z", "h", "str", "xs"}) {
    const std::string payload = dump(key);
    // Cut anywhere: the footer no longer checks (and cut again after re-signing, the parser
    // itself must refuse the short object).
    for (size_t cut = 0; cut < payload.size(); ++cut) {
      EXPECT_EQ(cli({"RESTORE", "x", "0", payload.substr(0, cut)}),
                "(error) ERR DUMP payload version or checksum are wrong");
      if (cut >= 10 && cut < payload.size() - 10) {
        const std::string reply =
            cli({"RESTORE", "x", "0", resigned(payload.substr(0, cut) + std::string(10, '\0'))});
        EXPECT_EQ(reply, "(error) ERR Bad data format") << key << " cut " << cut;
      }
    }
    // Every single bit flipped: caught by the checksum; re-signed, parsed or refused cleanly.
    for (size_t bit = 0; bit < payload.size() * 8; ++bit) {
      std::string flipped = payload;
      flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
      EXPECT_NE(cli({"RESTORE", "x", "0", flipped}), "OK");
      if (bit / 8 < payload.size() - 10) {
        run({"RESTORE", "y", "0", resigned(flipped), "REPLACE"});
      }
    }
  }
  EXPECT_EQ(cli({"PING"}), "PONG");
}

}  // namespace
}  // namespace ringcache::testing
