// Keyspace notifications (notify-keyspace-events): the option's parsing and CONFIG GET form,
// and the events string and generic commands publish; expectations are redis-server 7.0's.

#include <chrono>
#include <string>
#include <vector>

#include "core/server/pubsub/keyspace_events.h"
#include "tests/support/command_fixture.h"
#include "tests/support/push_reader.h"

namespace ringcache::testing {
namespace {

using Strings = std::vector<std::string>;

TEST(KeyspaceEventsOption, ParsesAndPrintsAsRedis) {
  const auto show = [](std::string_view letters) {
    const auto classes = server::parse_keyspace_events(letters);
    return classes ? server::format_keyspace_events(*classes) : std::string("invalid");
  };
  EXPECT_EQ(show("KEg$lshzxetdmn"), "AKEm");
  EXPECT_EQ(show("nKE$"), "$nKE");
  EXPECT_EQ(show("mdtehn"), "hetdnm");
  EXPECT_EQ(show("An"), "A");
  EXPECT_EQ(show("gK"), "gK");
  EXPECT_EQ(show("Ex$"), "$xE");
  EXPECT_EQ(show(""), "");
  EXPECT_EQ(show("Kq"), "invalid");
}

class KeyspaceEventsTest : public CommandFixture {
 protected:
  server::Client& listen(std::string_view classes) {
    EXPECT_EQ(cli({"CONFIG", "SET", "notify-keyspace-events", std::string(classes)}), "OK");
    server::Client& listener = connect();
    run_as(listener, {"PSUBSCRIBE", "__key*__:*"});
    take_pushes(listener);
    return listener;
  }
  // Each pmessage as "channel payload".
  Strings events(server::Client& listener) {
    Strings out;
    std::string_view input(listener.pushes);
    while (auto push = decode_reply(input)) {
      out.push_back(push->elements[2].text + " " + push->elements[3].text);
    }
    listener.pushes.clear();
    return out;
  }
};

TEST_F(KeyspaceEventsTest, ConfigOption) {
  EXPECT_EQ(cli({"CONFIG", "GET", "notify-keyspace-events"}),
            "1) \"notify-keyspace-events\"\n2) \"\"");
  EXPECT_EQ(cli({"CONFIG", "SET", "notify-keyspace-events", "Kq"}),
            "(error) ERR CONFIG SET failed (possibly related to argument "
            "'notify-keyspace-events') - Invalid event class character. Use "
            "'Ag$lshzxeKEtmdn'.");
  EXPECT_EQ(cli({"CONFIG", "SET", "notify-keyspace-events", "Ex$"}), "OK");
  EXPECT_EQ(cli({"CONFIG", "GET", "notify-keyspace-events"}),
            "1) \"notify-keyspace-events\"\n2) \"$xE\"");
}

TEST_F(KeyspaceEventsTest, StringAndGenericCommands) {
  server::Client& listener = listen("KEA");
  run({"SET", "k", "1", "EX", "100"});
  EXPECT_EQ(events(listener),
            (Strings{"__keyspace@0__:k set", "__keyevent@0__:set k", "__keyspace@0__:k expire",
                     "__keyevent@0__:expire k"}));
  run({"INCRBY", "k", "2"});
  run({"APPEND", "k", "x"});
  run({"PERSIST", "k"});
  run({"RENAME", "k", "j"});
  run({"DEL", "j", "absent"});
  EXPECT_EQ(events(listener),
            (Strings{"__keyspace@0__:k incrby", "__keyevent@0__:incrby k",
                     "__keyspace@0__:k append", "__keyevent@0__:append k",
                     "__keyspace@0__:k persist", "__keyevent@0__:persist k",
                     "__keyspace@0__:k rename_from", "__keyevent@0__:rename_from k",
                     "__keyspace@0__:j rename_to", "__keyevent@0__:rename_to j",
                     "__keyspace@0__:j del", "__keyevent@0__:del j"}));
}

TEST_F(KeyspaceEventsTest, ClassesFilter) {
  server::Client& listener = listen("E$");
  run({"SET", "k", "1"});
  run({"DEL", "k"});  // generic: not enabled
  run({"SETRANGE", "k", "0", "ab"});
  run({"INCRBYFLOAT", "n", "1.5"});
  EXPECT_EQ(events(listener), (Strings{"__keyevent@0__:set k", "__keyevent@0__:setrange k",
                                       "__keyevent@0__:incrbyfloat n"}));
}

TEST_F(KeyspaceEventsTest, ExpiredKeysAreReported) {
  server::Client& listener = listen("Ex");
  run({"SET", "k", "1", "PX", "10"});
  advance(std::chrono::milliseconds(20));
  EXPECT_EQ(cli({"GET", "k"}), "(nil)");
  EXPECT_EQ(events(listener), (Strings{"__keyevent@0__:expired k"}));
}

// "n": a key created where none was, before the command's own event; RENAME's destination too,
// an overwritten value or a STORE over a present key not (as redis-server 7.0.15 publishes).
TEST_F(KeyspaceEventsTest, NewKeys) {
  server::Client& listener = listen("Eng$lz");
  run({"SET", "a", "1"});
  run({"SET", "a", "2"});
  run({"RPUSH", "l", "x"});
  run({"RENAME", "a", "b"});
  run({"ZADD", "z1", "1", "m"});
  run({"ZUNIONSTORE", "z2", "1", "z1"});
  run({"ZUNIONSTORE", "z2", "1", "z1"});
  run({"LMOVE", "l", "l2", "LEFT", "LEFT"});
  run({"SADD", "s", "1"});  // "s" class off: only "new"
  EXPECT_EQ(events(listener),
            (Strings{"__keyevent@0__:new a", "__keyevent@0__:set a", "__keyevent@0__:set a",
                     "__keyevent@0__:new l", "__keyevent@0__:rpush l", "__keyevent@0__:new b",
                     "__keyevent@0__:rename_from a", "__keyevent@0__:rename_to b",
                     "__keyevent@0__:new z1", "__keyevent@0__:zadd z1",
                     "__keyevent@0__:new z2", "__keyevent@0__:zunionstore z2",
                     "__keyevent@0__:zunionstore z2", "__keyevent@0__:new l2",
                     "__keyevent@0__:lpush l2", "__keyevent@0__:lpop l", "__keyevent@0__:del l",
                     "__keyevent@0__:new s"}));
  // "A" does not include "n".
  server::Client& all = listen("EA");
  run({"SET", "fresh", "1"});
  EXPECT_EQ(events(all), (Strings{"__keyevent@0__:set fresh"}));
}

TEST_F(KeyspaceEventsTest, NothingWhenDisabled) {
  server::Client& listener = connect();
  run_as(listener, {"PSUBSCRIBE", "*"});
  take_pushes(listener);
  run({"SET", "k", "1"});
  EXPECT_TRUE(listener.pushes.empty());
}

}  // namespace
}  // namespace ringcache::testing
