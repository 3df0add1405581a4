// Cluster mode through command sessions: CLUSTER subcommands, routing (MOVED, CROSSSLOT,
// CLUSTERDOWN, transactions), SELECT and INFO. The cluster is real membership engines on one
// manual clock, their datagrams handed over in memory (delivered at once, none lost), so the
// slot map every node computes is the one the engines committed.

#include <gmock/gmock.h>

#include <fmt/format.h>

#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/cluster/cluster_state.h"
#include "core/cluster/key_slot.h"
#include "core/cluster/node_file.h"
#include "core/protocol/resp_command.h"
#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;
using cluster::ClusterState;
using namespace std::chrono_literals;

constexpr uint16_t client_port = 7000;
constexpr uint16_t bus_port = 17000;

std::string ip_of(size_t node) { return "10.0.0." + std::to_string(node + 1); }

class ClusterCommandsTest : public CommandFixture {
 protected:
  int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               runtime().now().time_since_epoch())
        .count();
  }

  cluster::ClusterStateOptions options_for(size_t node, size_t count) {
    cluster::ClusterStateOptions options;
    options.announce_ip = ip_of(node);
    options.client_port = client_port;
    options.bus_port = bus_port;
    for (size_t i = 0; i < count; ++i) options.seeds.push_back({ip_of(i), bus_port});
    return options;
  }

  // `count` nodes from the same seed list (node 0 first: it creates the cluster), run until all
  // are members of one configuration and in contact; the fixture's node is node 0.
  void form(size_t count) {
    for (size_t i = 0; i < count; ++i) {
      nodes_.push_back(std::make_unique<ClusterState>(options_for(i, count), std::nullopt, rng_,
                                                       now_ms()));
    }
    ASSERT_TRUE(run_bus_until([&] { return formed(count); }, 120'000))
        << "members: " << nodes_[0]->membership().config().members.size();
    attach(0);
  }

  bool formed(size_t count) {
    for (auto& node : nodes_) {
      if (node->membership().config().members.size() != count || !node->serving(now_ms())) {
        return false;
      }
    }
    return true;
  }

  // Every node but `excluded` is a member of one configuration without it, and serving.
  bool formed_without(size_t excluded) {
    for (size_t i = 0; i < nodes_.size(); ++i) {
      if (i == excluded) continue;
      const auto& config = nodes_[i]->membership().config();
      if (config.members.size() != nodes_.size() - 1 || config.contains(nodes_[excluded]->my_id()) ||
          !nodes_[i]->serving(now_ms())) {
        return false;
      }
    }
    return true;
  }

  // The fixture's server runs in cluster mode as node `index`.
  void attach(size_t index) {
    if (!server().config().cluster.enabled) {
      restart([](server::Config& c) { c.cluster.enabled = true; });
    }
    server().set_cluster(nodes_[index].get());
  }

  // Ticks every node every 100 ms and delivers every datagram at once, until `done` or
  // `limit_ms` of manual time passed; nodes in `cut` neither send nor receive.
  template <typename Done>
  bool run_bus_until(Done done, int64_t limit_ms) {
    for (int64_t waited = 0; waited <= limit_ms; waited += constants::cluster_tick_interval_ms) {
      if (done()) return true;
      std::deque<std::pair<size_t, cluster::Outgoing>> queue;  // (sender, message)
      for (size_t i = 0; i < nodes_.size(); ++i) {
        if (cut_.count(i) != 0) continue;
        for (auto& out : nodes_[i]->membership().tick(now_ms(), rng_)) queue.emplace_back(i, out);
        for (auto& out : nodes_[i]->take_outbox()) queue.emplace_back(i, out);
        nodes_[i]->refresh(now_ms());
      }
      if (auto_migrate_) report_empty_moves();
      deliver(queue);
      advance(std::chrono::milliseconds(constants::cluster_tick_interval_ms));
    }
    return done();
  }

  void deliver(std::deque<std::pair<size_t, cluster::Outgoing>>& queue) {
    while (!queue.empty()) {
      auto [from, message] = std::move(queue.front());
      queue.pop_front();
      for (size_t to = 0; to < nodes_.size(); ++to) {
        if (cut_.count(to) != 0 || ip_of(to) != message.to.ip) continue;
        const cluster::BusAddress sender{ip_of(from), bus_port};
        for (auto& reply : nodes_[to]->membership().receive(sender, message.bytes, now_ms(), rng_)) {
          queue.emplace_back(to, reply);
        }
        nodes_[to]->refresh(now_ms());
      }
    }
  }

  // Stands in for the nodes' migrators when no node holds a key of a moving slot: each source
  // tells each node that ends the move, at once, that nothing is left.
  void report_empty_moves() {
    for (auto& source : nodes_) {
      const auto& sources = source->migration_sources();
      if (std::find(sources.begin(), sources.end(), source->my_id()) == sources.end()) continue;
      const uint64_t epoch = source->membership().config().epoch;
      for (const cluster::NodeId& finisher_id : source->migration_finishers()) {
        for (auto& finisher : nodes_) {
          if (finisher->my_id() == finisher_id) {
            (void)finisher->record_source_done(source->my_id(), epoch);
          }
        }
      }
    }
  }

  // Node `index` (not yet in nodes_) starts from the same seed list as the others.
  void add_node() {
    const size_t index = nodes_.size();
    nodes_.push_back(std::make_unique<ClusterState>(options_for(index, index), std::nullopt,
                                                     rng_, now_ms()));
  }

  // A third node joins the two formed ones and holds their configuration, with nothing migrated
  // to it yet (the test drives the migration). False when it did not get there in time.
  bool add_joiner_without_migrating() {
    auto_migrate_ = false;
    add_node();
    const cluster::NodeId joiner = nodes_[2]->my_id();
    return run_bus_until([&] {
      return nodes_[0]->membership().config().contains(joiner) &&
             nodes_[2]->membership().config().epoch == nodes_[0]->membership().config().epoch;
    }, 30'000);
  }

  // A key whose slot node `owner` owns.
  std::string key_owned_by(size_t owner) {
    for (int i = 0;; ++i) {
      std::string key = "key:" + std::to_string(i);
      if (nodes_[owner]->owns(cluster::key_slot(key))) return key;
    }
  }

  Rng rng_{7};
  std::vector<std::unique_ptr<ClusterState>> nodes_;
  std::set<size_t> cut_;
  bool auto_migrate_ = true;
};

TEST_F(ClusterCommandsTest, WithoutClusterModeTheCommandsSayItIsDisabled) {
  EXPECT_EQ(run({"CLUSTER", "INFO"}), "-ERR This instance has cluster support disabled\r\n");
  EXPECT_EQ(run({"ASKING"}), "-ERR This instance has cluster support disabled\r\n");
  EXPECT_EQ(run({"SELECT", "1"}), "-ERR DB index is out of range\r\n");
  EXPECT_THAT(cli({"INFO", "cluster"}), HasSubstr("cluster_enabled:0"));
  EXPECT_EQ(run({"MSET", "a", "1", "b", "2"}), "+OK\r\n");  // no slot checks at all
}

TEST_F(ClusterCommandsTest, KeyslotHashesAsRedisCluster) {
  form(1);
  EXPECT_EQ(run({"CLUSTER", "KEYSLOT", "foo"}), ":12182\r\n");
  EXPECT_EQ(run({"CLUSTER", "KEYSLOT", "{user1000}.following"}),
            run({"CLUSTER", "KEYSLOT", "{user1000}.followers"}));
  EXPECT_EQ(run({"CLUSTER", "KEYSLOT"}),
            "-ERR wrong number of arguments for 'cluster|keyslot' command\r\n");
}

TEST_F(ClusterCommandsTest, OneNodeClusterServesEverySlot) {
  form(1);
  const std::string info = reply({"CLUSTER", "INFO"}).text;
  EXPECT_THAT(info, HasSubstr("cluster_state:ok\r\n"));
  EXPECT_THAT(info, HasSubstr("cluster_slots_assigned:16384\r\n"));
  EXPECT_THAT(info, HasSubstr("cluster_slots_ok:16384\r\n"));
  EXPECT_THAT(info, HasSubstr("cluster_known_nodes:1\r\n"));
  EXPECT_THAT(info, HasSubstr("cluster_size:1\r\n"));
  EXPECT_EQ(reply({"CLUSTER", "MYID"}).text, nodes_[0]->my_id());
  EXPECT_EQ(cli({"CLUSTER", "SLOTS"}),
            "1) 1) (integer) 0\n   2) (integer) 16383\n   3) 1) \"10.0.0.1\"\n      2) (integer) "
            "7000\n      3) \"" + nodes_[0]->my_id() + "\"\n      4) (empty array)");
  EXPECT_EQ(reply({"CLUSTER", "NODES"}).text,
            nodes_[0]->my_id() + " 10.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-16383\n");
  EXPECT_EQ(run({"SET", "foo", "bar"}), "+OK\r\n");
  EXPECT_EQ(run({"GET", "foo"}), "$3\r\nbar\r\n");
  EXPECT_THAT(cli({"INFO", "cluster"}), HasSubstr("cluster_enabled:1"));
  EXPECT_THAT(cli({"INFO", "server"}), HasSubstr("redis_mode:cluster"));
}

TEST_F(ClusterCommandsTest, MultiKeyCommandsMustStayInOneSlot) {
  form(1);
  EXPECT_EQ(run({"MSET", "a", "1", "b", "2"}),
            "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
  EXPECT_EQ(run({"MSET", "{t}a", "1", "{t}b", "2"}), "+OK\r\n");
  EXPECT_EQ(cli({"MGET", "{t}a", "{t}b"}), "1) \"1\"\n2) \"2\"");
  EXPECT_EQ(run({"EXISTS", "a", "b"}),
            "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
}

TEST_F(ClusterCommandsTest, SelectIsRefusedAndDatabaseZeroWorks) {
  form(1);
  EXPECT_EQ(run({"SELECT", "0"}), "+OK\r\n");
  EXPECT_EQ(run({"SELECT", "1"}), "-ERR SELECT is not allowed in cluster mode\r\n");
}

TEST_F(ClusterCommandsTest, CountAndGetKeysInSlot) {
  form(1);
  const std::string slot = std::to_string(cluster::key_slot("{s}"));
  for (int i = 0; i < 5; ++i) run({"SET", "{s}" + std::to_string(i), "v"});
  run({"SET", "elsewhere", "v"});
  EXPECT_EQ(run({"CLUSTER", "COUNTKEYSINSLOT", slot}), ":5\r\n");
  EXPECT_EQ(reply({"CLUSTER", "GETKEYSINSLOT", slot, "3"}).elements.size(), 3u);
  const Reply all = reply({"CLUSTER", "GETKEYSINSLOT", slot, "100"});
  ASSERT_EQ(all.elements.size(), 5u);
  for (const Reply& key : all.elements) EXPECT_THAT(key.text, StartsWith("{s}"));
  EXPECT_EQ(run({"CLUSTER", "COUNTKEYSINSLOT", "16384"}), "-ERR Invalid or out of range slot\r\n");
  EXPECT_EQ(run({"CLUSTER", "GETKEYSINSLOT", slot, "-1"}),
            "-ERR Invalid slot or number of keys\r\n");
}

TEST_F(ClusterCommandsTest, KeysOfOtherNodesAreRedirected) {
  form(3);
  const std::string mine = key_owned_by(0);
  const std::string theirs = key_owned_by(2);
  EXPECT_EQ(run({"SET", mine, "v"}), "+OK\r\n");
  EXPECT_EQ(run({"GET", theirs}), fmt::format("-MOVED {} 10.0.0.3:7000\r\n",
                                               cluster::key_slot(theirs)));
  EXPECT_EQ(run({"PING"}), "+PONG\r\n");  // keyless commands run anywhere
  const std::string info = reply({"CLUSTER", "INFO"}).text;
  EXPECT_THAT(info, HasSubstr("cluster_state:ok\r\n"));
  EXPECT_THAT(info, HasSubstr("cluster_known_nodes:3\r\n"));
  EXPECT_THAT(info, HasSubstr("cluster_size:3\r\n"));
}

TEST_F(ClusterCommandsTest, EveryNodeGivesTheSameSlotsAndShards) {
  form(3);
  const std::string slots = run({"CLUSTER", "SLOTS"});
  const std::string shards = run({"CLUSTER", "SHARDS"});
  EXPECT_EQ(reply({"CLUSTER", "SHARDS"}).elements.size(), 3u);
  size_t covered = 0;
  for (const Reply& range : reply({"CLUSTER", "SLOTS"}).elements) {
    covered += static_cast<size_t>(range.elements[1].integer - range.elements[0].integer + 1);
  }
  EXPECT_EQ(covered, constants::cluster_slots);
  for (size_t node = 1; node < 3; ++node) {
    attach(node);
    EXPECT_EQ(run({"CLUSTER", "SLOTS"}), slots) << "node " << node;
    EXPECT_EQ(run({"CLUSTER", "SHARDS"}), shards) << "node " << node;
  }
}

TEST_F(ClusterCommandsTest, NodesListsEveryMemberWithItsSlots) {
  form(3);
  const std::string nodes = reply({"CLUSTER", "NODES"}).text;
  size_t lines = 0;
  for (size_t node = 0; node < 3; ++node) {
    const std::string id = nodes_[node]->my_id();
    EXPECT_THAT(nodes, HasSubstr(id + " " + ip_of(node) + ":7000@17000 "));
    ++lines;
  }
  EXPECT_EQ(std::count(nodes.begin(), nodes.end(), '\n'), 3);
  EXPECT_THAT(nodes, HasSubstr(" myself,master - 0 0 "));
  EXPECT_EQ(lines, 3u);
}

TEST_F(ClusterCommandsTest, TransactionWithAForeignKeyAborts) {
  form(3);
  const std::string mine = key_owned_by(0);
  const std::string theirs = key_owned_by(1);
  EXPECT_EQ(run({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(run({"SET", mine, "1"}), "+QUEUED\r\n");
  EXPECT_THAT(run({"SET", theirs, "1"}), StartsWith("-MOVED "));
  EXPECT_EQ(run({"EXEC"}),
            "-EXECABORT Transaction discarded because of previous errors.\r\n");
  EXPECT_EQ(run({"GET", mine}), "$-1\r\n");
}

TEST_F(ClusterCommandsTest, TransactionAcrossSlotsFailsAtExec) {
  form(1);
  EXPECT_EQ(run({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(run({"SET", "a", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(run({"SET", "b", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(run({"EXEC"}), "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
  EXPECT_EQ(run({"GET", "a"}), "$-1\r\n");
  EXPECT_EQ(run({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(run({"SET", "{x}a", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(run({"INCR", "{x}b"}), "+QUEUED\r\n");
  EXPECT_EQ(cli({"EXEC"}), "1) OK\n2) (integer) 1");
}

TEST_F(ClusterCommandsTest, NodeCutOffFromTheMajorityStopsServingItsSlots) {
  form(3);
  const std::string mine = key_owned_by(0);
  const std::string theirs = key_owned_by(1);  // before the others change the map without it
  EXPECT_EQ(run({"SET", mine, "v"}), "+OK\r\n");
  cut_ = {0};
  const int64_t timeout = nodes_[0]->options().node_timeout_ms;
  run_bus_until([] { return false; }, timeout + 200);
  EXPECT_EQ(run({"GET", mine}), "-CLUSTERDOWN The cluster is down\r\n");
  EXPECT_THAT(reply({"CLUSTER", "INFO"}).text, HasSubstr("cluster_state:fail"));
  // Keys of the others' slots are still redirected: their owners may well be serving.
  EXPECT_THAT(run({"GET", theirs}), StartsWith("-MOVED "));
}

TEST_F(ClusterCommandsTest, FailedNodeIsRemovedAndItsSlotsPassToTheOthers) {
  form(3);
  cut_ = {2};
  const size_t before = nodes_[0]->owned_slot_count();
  ASSERT_TRUE(run_bus_until(
      [&] { return nodes_[0]->membership().config().members.size() == 2 && formed_without(2); },
      60'000));
  EXPECT_GT(nodes_[0]->owned_slot_count(), before);
  EXPECT_THAT(reply({"CLUSTER", "INFO"}).text, HasSubstr("cluster_state:ok"));
  EXPECT_EQ(run({"SET", key_owned_by(0), "v"}), "+OK\r\n");
}

TEST_F(ClusterCommandsTest, ReadonlyReadwriteAndAskingAreAccepted) {
  form(1);
  EXPECT_EQ(run({"READONLY"}), "+OK\r\n");
  EXPECT_TRUE(client().readonly);
  EXPECT_EQ(run({"READWRITE"}), "+OK\r\n");
  EXPECT_FALSE(client().readonly);
  EXPECT_EQ(run({"ASKING"}), "+OK\r\n");
  EXPECT_TRUE(client().asking);
  run({"GET", "k"});
  EXPECT_FALSE(client().asking);  // for one command only
}

TEST_F(ClusterCommandsTest, LeaveIsRefusedToTheLastNode) {
  form(1);
  EXPECT_EQ(run({"CLUSTER", "LEAVE"}), "-ERR the last node of a cluster cannot leave it\r\n");
}

TEST_F(ClusterCommandsTest, LeavingNodeRedirectsEverythingOnceRemoved) {
  form(3);
  EXPECT_EQ(run({"CLUSTER", "LEAVE"}), "+OK\r\n");
  ASSERT_TRUE(run_bus_until([&] { return !nodes_[0]->is_member(); }, 30'000));
  EXPECT_THAT(run({"GET", "anything"}), StartsWith("-MOVED "));
  EXPECT_EQ(nodes_[1]->membership().config().members.size(), 2u);
}

// Joining is a planned move: the joiner is in the target map, not the serving map, until every
// source said it has nothing left for it. Meanwhile the source serves keys it still holds,
// sends missing ones to the joiner with -ASK, and the joiner serves the slot only after ASKING.
TEST_F(ClusterCommandsTest, JoinerImportsItsSlotsBeforeServingThem) {
  form(2);
  std::vector<std::string> tags;
  for (int i = 0; i < 400; ++i) {
    const std::string tag = "{t" + std::to_string(i) + "}";
    if (!nodes_[0]->owns(cluster::key_slot(tag))) continue;
    ASSERT_EQ(run({"SET", tag + "a", "old"}), "+OK\r\n");
    tags.push_back(tag);
  }
  ASSERT_TRUE(add_joiner_without_migrating());
  const cluster::NodeId joiner = nodes_[2]->my_id();
  EXPECT_EQ(nodes_[2]->member_state(), cluster::MemberState::joining);
  EXPECT_EQ(nodes_[0]->slot_map()->shards().size(), 2u);  // who serves: unchanged
  EXPECT_EQ(nodes_[0]->target_map()->shards().size(), 3u);
  EXPECT_FALSE(nodes_[2]->serving(now_ms()));
  EXPECT_THAT(nodes_[0]->migration_targets(), ::testing::Contains(joiner));
  EXPECT_EQ(nodes_[0]->migration_finishers(), std::vector<cluster::NodeId>{joiner});
  std::string tag;
  for (const std::string& t : tags) {
    const auto to = nodes_[0]->migrating_to(cluster::key_slot(t));
    if (to && to->member->node_id == joiner) tag = t;
  }
  ASSERT_FALSE(tag.empty()) << "no key of node 0 moves to the joiner";
  const std::string slot = std::to_string(cluster::key_slot(tag));
  EXPECT_EQ(run({"GET", tag + "a"}), "$3\r\nold\r\n");  // still here: served here
  EXPECT_EQ(run({"GET", tag + "b"}), "-ASK " + slot + " 10.0.0.3:7000\r\n");
  EXPECT_EQ(run({"MGET", tag + "a", tag + "b"}),
            "-TRYAGAIN Multiple keys request during rehashing of slot\r\n");
  server().cluster()->migration().begin_batch({tag + "a"});  // no wait queue here: TRYAGAIN
  EXPECT_THAT(run({"SET", tag + "a", "new"}), StartsWith("-TRYAGAIN"));
  server().cluster()->migration().end_batch();

  attach(2);
  EXPECT_EQ(run({"GET", tag + "c"}), "-MOVED " + slot + " 10.0.0.1:7000\r\n");
  const std::string epoch = std::to_string(nodes_[2]->membership().config().epoch);
  const std::string batch = "*2\r\n$3\r\nDEL\r\n$" + std::to_string(tag.size() + 1) + "\r\n" +
                            tag + "c\r\n*3\r\n$3\r\nSET\r\n$" +
                            std::to_string(tag.size() + 1) + "\r\n" + tag + "c\r\n$2\r\nhi\r\n";
  const cluster::NodeId source = nodes_[0]->my_id();
  EXPECT_THAT(run({"CLUSTER", "IMPORT", source, "1", "COMMIT", batch, "0"}),
              StartsWith("-TRYAGAIN"));
  EXPECT_THAT(run({"CLUSTER", "IMPORT", nodes_[1]->my_id(), epoch, "COMMIT", batch, "0"}),
              StartsWith("-TRYAGAIN"));
  EXPECT_EQ(run({"CLUSTER", "IMPORT", source, epoch, "MORE", batch.substr(0, 10), "0"}), "+OK\r\n");
  EXPECT_EQ(run({"CLUSTER", "IMPORT", source, epoch, "COMMIT", batch.substr(10), "0"}), "+OK\r\n");
  EXPECT_EQ(run({"ASKING"}), "+OK\r\n");
  EXPECT_EQ(run({"GET", tag + "c"}), "$2\r\nhi\r\n");
  EXPECT_THAT(cli({"INFO", "cluster"}), HasSubstr("cluster_migration_keys_received:1"));

  EXPECT_THAT(run({"CLUSTER", "MIGRATION-DONE", source, "1"}), StartsWith("-TRYAGAIN"));
  for (const cluster::NodeId& from : nodes_[2]->migration_sources()) {
    EXPECT_EQ(run({"CLUSTER", "MIGRATION-DONE", from, epoch}), "+OK\r\n");
  }
  ASSERT_TRUE(run_bus_until([&] { return formed(3); }, 30'000));
  for (auto& node : nodes_) EXPECT_EQ(node->member_state(), cluster::MemberState::active);
  EXPECT_EQ(run({"GET", tag + "c"}), "$2\r\nhi\r\n");  // its own slot now: no ASKING needed
}

// A batch's TTLs are what remained of them when the source collected it; the target takes off
// how old the batch was when its COMMIT chunk left the source (time spent paced or on a slow
// link must not lengthen them), keeping at least 1 ms so a key about to expire expires here.
TEST_F(ClusterCommandsTest, ImportTakesTheBatchAgeOffItsTtls) {
  form(2);
  ASSERT_TRUE(add_joiner_without_migrating());
  const cluster::NodeId joiner = nodes_[2]->my_id();
  std::string tag;
  for (int i = 0; i < 1000 && tag.empty(); ++i) {
    const std::string t = "{t" + std::to_string(i) + "}";
    const auto to = nodes_[0]->migrating_to(cluster::key_slot(t));
    if (to && to->member->node_id == joiner) tag = t;
  }
  ASSERT_FALSE(tag.empty()) << "no slot moves from node 0 to the joiner";
  std::string batch;
  const auto add = [&](std::vector<std::string_view> argv) {
    protocol::append_resp_command(batch, argv);
  };
  const std::string string_key = tag + "s", list_key = tag + "l", short_key = tag + "x",
                    lasting_key = tag + "p";
  add({"DEL", string_key});
  add({"SET", string_key, "v", "PX", "5000"});
  add({"DEL", list_key});
  add({"RPUSH", list_key, "a"});
  add({"PEXPIRE", list_key, "4000"});
  add({"DEL", short_key});
  add({"SET", short_key, "v", "PX", "100"});
  add({"DEL", lasting_key});
  add({"SET", lasting_key, "v"});

  attach(2);
  const std::string epoch = std::to_string(nodes_[2]->membership().config().epoch);
  const cluster::NodeId source = nodes_[0]->my_id();
  EXPECT_EQ(run({"CLUSTER", "IMPORT", source, epoch, "COMMIT", batch, "-1"}),
            "-ERR invalid batch age\r\n");
  // The COMMIT chunk's age is the one that counts: the batch is applied when it arrives.
  EXPECT_EQ(run({"CLUSTER", "IMPORT", source, epoch, "MORE", batch.substr(0, 10), "1"}), "+OK\r\n");
  EXPECT_EQ(run({"CLUSTER", "IMPORT", source, epoch, "COMMIT", batch.substr(10), "3000"}),
            "+OK\r\n");
  const auto asked = [&](std::vector<std::string> argv) {
    EXPECT_EQ(run({"ASKING"}), "+OK\r\n");
    return run(argv);
  };
  EXPECT_EQ(asked({"PTTL", string_key}), ":2000\r\n");
  EXPECT_EQ(asked({"PTTL", list_key}), ":1000\r\n");
  EXPECT_EQ(asked({"PTTL", short_key}), ":1\r\n");  // older than its TTL: 1 ms left
  EXPECT_EQ(asked({"PTTL", lasting_key}), ":-1\r\n");
  advance(std::chrono::milliseconds(2));
  EXPECT_EQ(asked({"EXISTS", short_key}), ":0\r\n");
  EXPECT_EQ(asked({"EXISTS", string_key}), ":1\r\n");
}

// CLUSTER LEAVE: the node serves on while leaving, sends missing keys to their new owners, and
// is removed once every target heard it has nothing left.
TEST_F(ClusterCommandsTest, LeaverServesWhileItsSlotsMove) {
  form(3);
  const std::string mine = key_owned_by(0);
  EXPECT_EQ(run({"SET", mine, "v"}), "+OK\r\n");
  auto_migrate_ = false;
  EXPECT_EQ(run({"CLUSTER", "LEAVE"}), "+OK\r\n");
  ASSERT_TRUE(run_bus_until(
      [&] { return nodes_[0]->member_state() == cluster::MemberState::leaving; }, 30'000));
  EXPECT_EQ(run({"GET", mine}), "$1\r\nv\r\n");
  EXPECT_THAT(run({"GET", "{" + mine + "}missing"}), StartsWith("-ASK "));
  EXPECT_EQ(nodes_[0]->migration_targets().size(), 2u);
  EXPECT_EQ(nodes_[0]->migration_finishers(), std::vector<cluster::NodeId>{nodes_[0]->my_id()});
  EXPECT_EQ(run({"CLUSTER", "LEAVE"}), "+OK\r\n");  // again: nothing changes
  auto_migrate_ = true;
  ASSERT_TRUE(run_bus_until([&] { return !nodes_[0]->is_member(); }, 30'000));
  EXPECT_EQ(nodes_[1]->membership().config().members.size(), 2u);
}

TEST_F(ClusterCommandsTest, MeetMakesALoneNodeJoinTheMetCluster) {
  form(2);
  // A third node started without seeds: a cluster of its own, until it meets node 0.
  cluster::ClusterStateOptions alone = options_for(2, 0);
  nodes_.push_back(std::make_unique<ClusterState>(alone, std::nullopt, rng_, now_ms()));
  ASSERT_EQ(nodes_[2]->membership().config().members.size(), 1u);
  attach(2);
  EXPECT_EQ(run({"CLUSTER", "MEET", ip_of(0), "7000"}), "+OK\r\n");
  ASSERT_TRUE(run_bus_until([&] { return formed(3); }, 60'000));
  EXPECT_EQ(nodes_[2]->membership().config().cluster_id,
            nodes_[0]->membership().config().cluster_id);
  EXPECT_EQ(run({"CLUSTER", "MEET", ip_of(0), "x"}), "-ERR Invalid base port specified: x\r\n");
}

TEST(ClusterNodeFile, RoundTripsAndRejectsDamage) {
  cluster::NodeFile file;
  file.my_id = std::string(40, 'a');
  file.shard_id = file.my_id;
  file.incarnation = 3;
  file.last_voted_epoch = 9;
  file.config.cluster_id = std::string(40, 'b');
  file.config.epoch = 8;
  file.config.members.push_back(cluster::NodeAddress{std::string(40, 'a'), std::string(40, 'a'),
                                                     cluster::NodeRole::primary, "10.0.0.1",
                                                     7000, 17000});
  file.config.members.push_back(cluster::ConfigMember(
      cluster::NodeAddress{std::string(40, 'c'), std::string(40, 'c'), cluster::NodeRole::primary,
                           "", 7001, 17001},
      cluster::MemberState::joining));
  const std::string text = cluster::format_node_file(file);
  Result<cluster::NodeFile> parsed = cluster::parse_node_file(text);
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed.value(), file);
  EXPECT_FALSE(cluster::parse_node_file("").is_ok());
  EXPECT_FALSE(cluster::parse_node_file(text.substr(0, text.size() / 2)).is_ok() &&
               cluster::parse_node_file(text.substr(0, text.size() / 2)).value() == file);
  std::string damaged = text;
  damaged.replace(damaged.find("epoch 8"), 7, "epoch x");
  EXPECT_EQ(cluster::parse_node_file(damaged).code(), Errc::corrupt);
  std::string bad_state = text;
  bad_state.replace(bad_state.find(" joining"), 8, " resting");
  EXPECT_EQ(cluster::parse_node_file(bad_state).code(), Errc::corrupt);
}

// A file written before members had a state reads as every member active.
TEST(ClusterNodeFile, VersionOneMembersAreActive) {
  const std::string id(40, 'a');
  const std::string text = "ringcache-cluster-file 1\nmyid " + id + "\nshard " + id +
                           "\nincarnation 0\nlast-voted-epoch 0\ncluster " + id +
                           "\nepoch 1\nmember " + id + " " + id + " primary - 7000 17000\n";
  Result<cluster::NodeFile> parsed = cluster::parse_node_file(text);
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  ASSERT_EQ(parsed.value().config.members.size(), 1u);
  EXPECT_EQ(parsed.value().config.members[0].state, cluster::MemberState::active);
}

TEST(ClusterOptions, ParseAsRedisNamesThem) {
  server::Config config;
  EXPECT_EQ(config.get("cluster-enabled"), "no");
  EXPECT_EQ(config.get("cluster-node-timeout"), "5000");
  EXPECT_EQ(config.get("cluster-config-file"), "nodes.conf");
  EXPECT_EQ(config.get("cluster-port"), "0");
  EXPECT_EQ(config.cluster_bus_port(), 6379 + 10000);
  EXPECT_TRUE(config.set("cluster-enabled", "yes").is_ok());
  EXPECT_TRUE(config.cluster.enabled);
  EXPECT_THAT(config.set("cluster-enabled", "maybe").message(),
              HasSubstr("argument must be 'yes' or 'no'"));
  EXPECT_TRUE(config.set("cluster-seeds", "10.0.0.1:17000,[::1]:17001 host:17002").is_ok());
  ASSERT_EQ(config.cluster.seeds.size(), 3u);
  EXPECT_EQ(config.cluster.seeds[1], (server::ClusterSeed{"::1", 17001}));
  EXPECT_EQ(config.get("cluster-seeds"), "10.0.0.1:17000,[::1]:17001,host:17002");
  EXPECT_THAT(config.set("cluster-seeds", "nohost").message(), HasSubstr("Invalid seed"));
  EXPECT_THAT(config.set("cluster-seeds", "h:70000").message(), HasSubstr("Invalid seed"));
  EXPECT_FALSE(config.set("cluster-node-timeout", "10").is_ok());
  EXPECT_FALSE(config.set("cluster-vnodes", "0").is_ok());
  EXPECT_TRUE(config.set("cluster-port", "20000").is_ok());
  EXPECT_EQ(config.cluster_bus_port(), 20000);
  EXPECT_EQ(config.cluster_announced_ip(), "127.0.0.1");
  EXPECT_TRUE(config.set("bind", "0.0.0.0").is_ok());
  EXPECT_EQ(config.cluster_announced_ip(), "");
  EXPECT_TRUE(config.set("cluster-announce-ip", "10.1.2.3").is_ok());
  EXPECT_EQ(config.cluster_announced_ip(), "10.1.2.3");
  Result<server::Config> parsed =
      server::parse_config_text("cluster-enabled yes\ncluster-vnodes 64\n");
  ASSERT_TRUE(parsed.is_ok());
  EXPECT_EQ(parsed.value().cluster.vnodes, 64u);
  EXPECT_FALSE(server::parse_config_text("cluster-enabled perhaps\n").is_ok());
}

// --- replicas (docs/replication.md, "Cluster mode") ---

class ClusterReplicasTest : public ClusterCommandsTest {
 protected:
  // A node started with cluster-replica-of `primary`'s client address and the same seeds.
  void add_replica_of(size_t primary) {
    const size_t index = nodes_.size();
    cluster::ClusterStateOptions options = options_for(index, index);
    options.replica_of_ip = ip_of(primary);
    options.replica_of_port = client_port;
    nodes_.push_back(std::make_unique<ClusterState>(options, std::nullopt, rng_, now_ms()));
  }
  // Every node holds `members` members, and node `replica` is a replica in all their views.
  bool replica_known(size_t replica, size_t members) {
    for (auto& node : nodes_) {
      const auto& config = node->membership().config();
      const cluster::ConfigMember* member = config.find(nodes_[replica]->my_id());
      if (config.members.size() != members || member == nullptr ||
          member->role != cluster::NodeRole::replica) {
        return false;
      }
    }
    return true;
  }
  // Three primaries and node 3, a replica of node 0.
  void form_with_replica() {
    form(3);
    add_replica_of(0);
    ASSERT_TRUE(run_bus_until([&] { return replica_known(3, 4); }, 60'000));
  }
  // As the node's bus wiring does (core/node/cluster_bus.cpp): once node `index` hears it was
  // declared failed, it rejoins as a new incarnation. False if it never hears it.
  bool rejoin_once_declared_failed(size_t index) {
    const bool declared = run_bus_until(
        [&] {
          return nodes_[index]->membership().self_state() == cluster::SelfState::declared_failed;
        },
        60'000);
    if (declared) nodes_[index]->rejoin(now_ms());
    return declared;
  }
  std::vector<std::string> slot_owners(size_t node) {
    std::vector<std::string> owners;
    const cluster::SlotMap* map = nodes_[node]->slot_map();
    for (cluster::Slot slot = 0; slot < constants::cluster_slots; ++slot) {
      owners.push_back(map->owner_id_of(slot));
    }
    return owners;
  }
};

TEST_F(ClusterReplicasTest, AReplicaJoinsItsPrimarysShardAndMovesNoSlot) {
  form(3);
  const std::vector<std::string> before = slot_owners(1);
  add_replica_of(0);
  ASSERT_TRUE(run_bus_until([&] { return replica_known(3, 4); }, 60'000));
  const cluster::ClusterConfig& config = nodes_[1]->membership().config();
  EXPECT_EQ(config.find(nodes_[3]->my_id())->shard_id, nodes_[0]->self().shard_id);
  EXPECT_EQ(config.majority(), 2u);  // of the three primaries
  EXPECT_EQ(slot_owners(1), before);
  EXPECT_EQ(slot_owners(3), before);
  EXPECT_TRUE(nodes_[3]->is_replica());
  EXPECT_EQ(nodes_[3]->owned_slot_count(), 0u);
  EXPECT_TRUE(nodes_[3]->replicates(cluster::key_slot(key_owned_by(0))));
  EXPECT_FALSE(nodes_[3]->replicates(cluster::key_slot(key_owned_by(1))));
  ASSERT_TRUE(nodes_[3]->primary_to_follow());
  EXPECT_EQ(nodes_[3]->primary_to_follow()->member->node_id, nodes_[0]->my_id());
  EXPECT_EQ(nodes_[3]->primary_to_follow()->ip, ip_of(0));
  EXPECT_FALSE(nodes_[0]->primary_to_follow());
  attach(3);
  const std::string info = reply({"CLUSTER", "INFO"}).text;
  EXPECT_THAT(info, HasSubstr("cluster_state:ok\r\n"));  // as its primary sees it
  EXPECT_THAT(info, HasSubstr("cluster_size:3\r\n"));
  EXPECT_FALSE(nodes_[3]->serving(now_ms()));  // it owns no slot: it accepts no write
}

TEST_F(ClusterReplicasTest, NodesSlotsAndShardsShowTheReplicaAsRedisDoes) {
  form_with_replica();
  const std::string primary = nodes_[0]->my_id();
  const std::string replica = nodes_[3]->my_id();
  attach(3);
  const std::string nodes = reply({"CLUSTER", "NODES"}).text;
  EXPECT_THAT(nodes, HasSubstr(replica + " 10.0.0.4:7000@17000 myself,slave " + primary +
                               " 0 0 "));
  const size_t at = nodes.find(replica + " ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_THAT(nodes.substr(at, nodes.find('\n', at) - at), EndsWith(" connected"));  // no slots
  attach(0);
  EXPECT_THAT(reply({"CLUSTER", "NODES"}).text,
              HasSubstr(replica + " 10.0.0.4:7000@17000 slave " + primary + " 0 "));
  size_t ranges_with_replica = 0;
  for (const Reply& range : reply({"CLUSTER", "SLOTS"}).elements) {
    if (range.elements[2].elements[2].text != primary) {
      EXPECT_EQ(range.elements.size(), 3u);
      continue;
    }
    ASSERT_EQ(range.elements.size(), 4u);
    EXPECT_EQ(range.elements[3].elements[0].text, "10.0.0.4");
    EXPECT_EQ(range.elements[3].elements[2].text, replica);
    ++ranges_with_replica;
  }
  EXPECT_GT(ranges_with_replica, 0u);
  size_t replicas_listed = 0;
  for (const Reply& shard : reply({"CLUSTER", "SHARDS"}).elements) {
    const Reply& nodes_of_shard = shard.elements[3];
    for (const Reply& node : nodes_of_shard.elements) {
      if (node.elements[1].text != replica) continue;
      EXPECT_EQ(node.elements[9].text, "replica");
      EXPECT_EQ(nodes_of_shard.elements[0].elements[1].text, primary);
      ++replicas_listed;
    }
  }
  EXPECT_EQ(replicas_listed, 1u);
}

TEST_F(ClusterReplicasTest, AReplicaRedirectsAllButReadonlyReadsOfItsShard) {
  form_with_replica();
  const std::string ours = key_owned_by(0);
  const std::string theirs = key_owned_by(1);
  const std::string moved = fmt::format("-MOVED {} 10.0.0.1:7000\r\n", cluster::key_slot(ours));
  attach(3);
  EXPECT_EQ(run({"GET", ours}), moved);
  EXPECT_EQ(run({"READONLY"}), "+OK\r\n");
  EXPECT_EQ(run({"GET", ours}), "$-1\r\n");
  EXPECT_EQ(run({"SET", ours, "v"}), moved);  // writes go to the primary, READONLY or not
  EXPECT_THAT(run({"GET", theirs}), StartsWith("-MOVED "));
  // The primary's stream applies whatever the slot.
  server::Client& stream = connect();
  stream.replication_master = true;
  EXPECT_EQ(run_as(stream, {"SET", ours, "from-primary"}), "+OK\r\n");
  EXPECT_EQ(run({"GET", ours}), "$12\r\nfrom-primary\r\n");
  EXPECT_EQ(run({"READWRITE"}), "+OK\r\n");
  EXPECT_EQ(run({"GET", ours}), moved);
}

TEST_F(ClusterReplicasTest, ReplicateMovesAReplicaAndRefusesAPrimaryWithSlots) {
  form_with_replica();
  attach(1);
  EXPECT_EQ(run({"CLUSTER", "REPLICATE", nodes_[0]->my_id()}),
            "-ERR To set a master the node must be empty and without assigned slots.\r\n");
  EXPECT_EQ(run({"CLUSTER", "REPLICATE", nodes_[1]->my_id()}), "-ERR Can't replicate myself\r\n");
  EXPECT_EQ(run({"CLUSTER", "REPLICATE", nodes_[3]->my_id()}),
            "-ERR I can only replicate a master, not a replica.\r\n");
  EXPECT_THAT(run({"CLUSTER", "REPLICATE", std::string(40, '0')}), StartsWith("-ERR Unknown node"));
  attach(3);
  EXPECT_EQ(run({"CLUSTER", "REPLICATE", nodes_[2]->my_id()}), "+OK\r\n");
  ASSERT_TRUE(run_bus_until(
      [&] {
        const auto* member = nodes_[0]->membership().config().find(nodes_[3]->my_id());
        return member != nullptr && member->shard_id == nodes_[2]->self().shard_id;
      },
      60'000));
  ASSERT_TRUE(run_bus_until([&] { return nodes_[3]->primary_to_follow().has_value(); }, 10'000));
  EXPECT_EQ(nodes_[3]->primary_to_follow()->member->node_id, nodes_[2]->my_id());
}

TEST_F(ClusterReplicasTest, AFailedPrimarysReplicaTakesOverItsShardWithoutMovingASlot) {
  form_with_replica();
  const std::vector<std::string> before = slot_owners(1);
  const std::string key = key_owned_by(0);
  cut_ = {0};
  ASSERT_TRUE(run_bus_until(
      [&] {
        const cluster::ClusterConfig& config = nodes_[1]->membership().config();
        return !config.contains(nodes_[0]->my_id()) && config.is_primary(nodes_[3]->my_id()) &&
               nodes_[3]->serving(now_ms());
      },
      60'000));
  EXPECT_EQ(slot_owners(1), before);  // the shard kept its name, so its tokens
  EXPECT_EQ(slot_owners(3), before);
  EXPECT_TRUE(nodes_[3]->owns(cluster::key_slot(key)));
  EXPECT_FALSE(nodes_[3]->is_replica());
  EXPECT_FALSE(nodes_[3]->primary_to_follow());
  attach(3);
  EXPECT_EQ(run({"SET", key, "v"}), "+OK\r\n");
  attach(1);
  EXPECT_EQ(run({"GET", key}), fmt::format("-MOVED {} 10.0.0.4:7000\r\n", cluster::key_slot(key)));
}

TEST_F(ClusterReplicasTest, TheMostUpToDateReplicaTakesOverNotTheFirst) {
  form_with_replica();
  add_replica_of(0);
  ASSERT_TRUE(run_bus_until([&] { return replica_known(4, 5); }, 60'000));
  // The replica with the higher node id has applied more of the stream.
  const size_t ahead = nodes_[3]->my_id() > nodes_[4]->my_id() ? 3 : 4;
  const size_t behind = ahead == 3 ? 4 : 3;
  nodes_[ahead]->membership().set_replication_offset(5000);
  nodes_[behind]->membership().set_replication_offset(4000);
  cut_ = {0};
  ASSERT_TRUE(run_bus_until(
      [&] { return !nodes_[1]->membership().config().contains(nodes_[0]->my_id()); }, 60'000));
  const cluster::ClusterConfig& config = nodes_[1]->membership().config();
  EXPECT_TRUE(config.is_primary(nodes_[ahead]->my_id()));
  EXPECT_FALSE(config.is_primary(nodes_[behind]->my_id()));
  EXPECT_EQ(config.find(nodes_[behind]->my_id())->shard_id, nodes_[0]->self().shard_id);
}

TEST_F(ClusterReplicasTest, APrimaryRestartedEmptyHandsItsShardToItsReplica) {
  form_with_replica();
  // Node 0 restarts at once (before anyone suspects it) without its keys: appendonly off.
  cluster::ClusterStateOptions options = options_for(0, 3);
  options.restarts_empty = true;
  const std::string old_id = nodes_[0]->my_id();
  nodes_[0] = std::make_unique<ClusterState>(options, nodes_[0]->node_file(), rng_, now_ms());
  EXPECT_TRUE(nodes_[0]->stepping_down());
  EXPECT_FALSE(nodes_[0]->serving(now_ms()));
  ASSERT_TRUE(run_bus_until([&] { return replica_known(0, 4); }, 60'000));
  EXPECT_EQ(nodes_[0]->my_id(), old_id);
  EXPECT_FALSE(nodes_[0]->stepping_down());
  EXPECT_TRUE(nodes_[1]->membership().config().is_primary(nodes_[3]->my_id()));
  ASSERT_TRUE(nodes_[0]->primary_to_follow());
  EXPECT_EQ(nodes_[0]->primary_to_follow()->member->node_id, nodes_[3]->my_id());
}

TEST_F(ClusterReplicasTest, AFailedPrimaryComesBackAsAReplicaOfItsShard) {
  form_with_replica();
  const std::string shard = nodes_[0]->self().shard_id;
  const std::vector<std::string> before = slot_owners(1);
  cut_ = {0};
  ASSERT_TRUE(run_bus_until(
      [&] { return nodes_[1]->membership().config().is_primary(nodes_[3]->my_id()); }, 60'000));
  cut_.clear();
  ASSERT_TRUE(rejoin_once_declared_failed(0));
  ASSERT_TRUE(run_bus_until([&] { return replica_known(0, 4); }, 60'000));
  EXPECT_EQ(nodes_[1]->membership().config().find(nodes_[0]->my_id())->shard_id, shard);
  EXPECT_TRUE(nodes_[0]->is_replica());
  EXPECT_EQ(nodes_[0]->owned_slot_count(), 0u);
  ASSERT_TRUE(nodes_[0]->primary_to_follow());
  EXPECT_EQ(nodes_[0]->primary_to_follow()->member->node_id, nodes_[3]->my_id());
  EXPECT_EQ(slot_owners(1), before);  // it claimed no slot of its own on the way back
}

// Slot moves into a shard wait for it to have replicas where others do (node/slot_migration.h):
// a node back from failure whose shard is gone follows a joining primary that has none, rather
// than ask to join as a primary, which would wait behind that move for good.
TEST_F(ClusterReplicasTest, ARejoiningNodeWithoutAShardFollowsAJoiningPrimaryWithoutReplicas) {
  form_with_replica();
  auto_migrate_ = false;  // node 4's move stays in flight
  add_node();
  const auto joining = [&](size_t node) {
    const cluster::ConfigMember* member = nodes_[1]->membership().config().find(nodes_[node]->my_id());
    return member != nullptr && member->state == cluster::MemberState::joining;
  };
  ASSERT_TRUE(run_bus_until([&] { return joining(4); }, 60'000));
  cut_ = {2};  // a primary without replicas: its shard ends with it
  ASSERT_TRUE(run_bus_until(
      [&] { return !nodes_[1]->membership().config().contains(nodes_[2]->my_id()); }, 60'000));
  cut_.clear();
  ASSERT_TRUE(rejoin_once_declared_failed(2));
  ASSERT_TRUE(run_bus_until([&] { return replica_known(2, 5); }, 60'000));
  EXPECT_EQ(nodes_[1]->membership().config().find(nodes_[2]->my_id())->shard_id,
            nodes_[4]->self().shard_id);
  EXPECT_TRUE(joining(4)) << "its move is still in flight";
  ASSERT_TRUE(nodes_[2]->primary_to_follow());
  EXPECT_EQ(nodes_[2]->primary_to_follow()->member->node_id, nodes_[4]->my_id());
}

}  // namespace
}  // namespace ringcache::testing
