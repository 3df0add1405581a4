// Membership engines (core/cluster/membership.h) on the in-process bus of
// tests/support/bus_harness.h: joining, failure detection, rejoin after being declared failed,
// quorum contact in a minority, and configuration commits (never two configurations with one
// epoch), under latency, loss, duplication and clock differences.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <optional>

#include "core/cluster/membership.h"
#include "tests/support/bus_harness.h"

namespace ringcache::cluster {
namespace {

using testing::BusHarness;
using testing::BusHarnessOptions;

constexpr int64_t kTimeout = 5000;

bool in_config(BusHarness& bus, size_t holder, size_t subject) {
  return bus.node(holder).config().contains(bus.id(subject));
}

// Every live node holds the same configuration, and it has exactly the given members.
bool config_is(BusHarness& bus, size_t reference, const std::vector<size_t>& members) {
  if (!bus.converged(reference)) return false;
  if (bus.node(reference).config().members.size() != members.size()) return false;
  return std::all_of(members.begin(), members.end(),
                     [&](size_t member) { return in_config(bus, reference, member); });
}

// The nodes `holders` hold one configuration, with exactly the given members.
bool config_among(BusHarness& bus, const std::vector<size_t>& holders,
                  const std::vector<size_t>& members) {
  for (size_t holder : holders) {
    if (bus.node(holder).config_digest() != bus.node(holders[0]).config_digest()) return false;
    if (bus.node(holder).config().members.size() != members.size()) return false;
    for (size_t member : members) {
      if (!in_config(bus, holder, member)) return false;
    }
  }
  return true;
}

TEST(ClusterMembership, FormedClusterKeepsEveryoneAliveAndInContact) {
  BusHarness bus(BusHarnessOptions{.nodes = 10, .seed = 1});
  bus.run_until(30000);
  for (size_t i = 0; i < bus.size(); ++i) {
    EXPECT_EQ(bus.node(i).nodes().size(), bus.size() - 1);
    for (size_t j = 0; j < bus.size(); ++j) {
      if (j == i) continue;
      EXPECT_EQ(bus.node(i).node(bus.id(j))->status, NodeStatus::alive);
    }
    EXPECT_TRUE(bus.node(i).has_quorum_contact(bus.local_ms(i)));
    EXPECT_EQ(bus.node(i).config().epoch, 1u);
    EXPECT_EQ(bus.node(i).stats().decode_errors, 0u);
  }
  EXPECT_EQ(bus.config_conflicts(), 0u);
}

TEST(ClusterMembership, SeedsBootstrapAndConcurrentSelfAddsCommitOneConfigPerEpoch) {
  BusHarness bus(
      BusHarnessOptions{.nodes = 5, .seed = 2, .loss = 0.02, .duplicate = 0.02, .formed = false});
  ASSERT_TRUE(bus.run_until_true(
      [&] {
        for (size_t i = 1; i < bus.size(); ++i) {
          if (!bus.all_see(i, NodeStatus::alive) || bus.node(i).config().empty()) return false;
        }
        return true;
      },
      5000));
  EXPECT_EQ(bus.node(0).config().members.size(), 1u);
  for (size_t i = 1; i < bus.size(); ++i) ASSERT_TRUE(bus.node(i).propose_add(bus.node(i).self()));
  ASSERT_TRUE(bus.run_until_true([&] { return config_is(bus, 0, {0, 1, 2, 3, 4}); }, 120000));
  EXPECT_GE(bus.node(0).config().epoch, 2u);
  EXPECT_EQ(bus.config_conflicts(), 0u);
  for (size_t i = 0; i < bus.size(); ++i) EXPECT_EQ(bus.node(i).stats().config_conflicts, 0u);
}

TEST(ClusterMembership, DeadNodeIsFailedEverywhereWithinTimeoutAndRemoved) {
  BusHarness bus(BusHarnessOptions{.nodes = 10, .seed = 3, .loss = 0.01});
  bus.run_until(10000);
  bus.kill(4);
  const int64_t died = bus.now_ms();
  ASSERT_TRUE(bus.run_until_true([&] { return bus.all_see(4, NodeStatus::failed); },
                                 died + kTimeout + 2000));
  std::vector<size_t> survivors = {0, 1, 2, 3, 5, 6, 7, 8, 9};
  ASSERT_TRUE(bus.run_until_true([&] { return config_is(bus, 0, survivors); }, died + 20000));
  EXPECT_GE(bus.node(0).config().epoch, 2u);
  EXPECT_EQ(bus.config_conflicts(), 0u);
}

TEST(ClusterMembership, NodeDeclaredFailedWhileAliveLearnsItAndRejoinsAsNewIncarnation) {
  BusHarness bus(BusHarnessOptions{.nodes = 5, .seed = 4});
  bus.run_until(5000);
  bus.set_group(2, 1);
  ASSERT_TRUE(bus.run_until_true(
      [&] {
        return config_among(bus, {0, 1, 3, 4}, {0, 1, 3, 4});
      },
      bus.now_ms() + 20000));
  EXPECT_EQ(bus.node(2).self_state(), SelfState::active);  // it cannot tell yet
  EXPECT_FALSE(bus.node(2).has_quorum_contact(bus.local_ms(2)));
  bus.heal();
  ASSERT_TRUE(
      bus.run_until_true([&] { return bus.node(2).self_state() == SelfState::declared_failed; },
                         bus.now_ms() + kTimeout));
  bus.rejoin(2);
  EXPECT_GT(bus.node(2).incarnation(), 0u);
  // Its configuration still names it a member, but the others may have removed it meanwhile:
  // until it knows, it must not act as one (a replica would follow its primary, and WAIT count
  // its acknowledgements).
  EXPECT_TRUE(bus.node(2).unsure_of_membership(bus.local_ms(2)));
  ASSERT_TRUE(
      bus.run_until_true([&] { return bus.all_see(2, NodeStatus::alive); }, bus.now_ms() + 5000));
  ASSERT_TRUE(bus.run_until_true([&] { return bus.converged(0); }, bus.now_ms() + 5000));
  EXPECT_FALSE(in_config(bus, 2, 2));
  EXPECT_FALSE(bus.node(2).unsure_of_membership(bus.local_ms(2)));  // it learned the removal
  ASSERT_TRUE(bus.node(2).propose_add(bus.node(2).self()));
  ASSERT_TRUE(bus.run_until_true(
      [&] {
        return config_is(bus, 0, {0, 1, 2, 3, 4});
      },
      bus.now_ms() + 20000));
  EXPECT_EQ(bus.config_conflicts(), 0u);
}

TEST(ClusterMembership, MinorityLosesQuorumContactAndCommitsNothing) {
  BusHarness bus(BusHarnessOptions{.nodes = 5, .seed = 5});
  bus.run_until(5000);
  for (size_t i = 0; i < bus.size(); ++i)
    ASSERT_TRUE(bus.node(i).has_quorum_contact(bus.local_ms(i)));
  bus.set_group(0, 1);
  bus.set_group(1, 1);
  bus.run_for(kTimeout + 1000);
  for (size_t i : {0, 1}) EXPECT_FALSE(bus.node(i).has_quorum_contact(bus.local_ms(i)));
  for (size_t i : {2, 3, 4}) EXPECT_TRUE(bus.node(i).has_quorum_contact(bus.local_ms(i)));
  ASSERT_TRUE(bus.run_until_true(
      [&] {
        return config_among(bus, {2, 3, 4}, {2, 3, 4});
      },
      bus.now_ms() + 20000));
  bus.run_for(10000);
  for (size_t i : {0, 1}) {
    EXPECT_EQ(bus.node(i).config().epoch, 1u);
    EXPECT_EQ(bus.node(i).config().members.size(), 5u);
  }
  for (size_t i : {2, 3, 4}) {
    EXPECT_EQ(bus.node(i).config().members.size(), 3u);
    EXPECT_FALSE(in_config(bus, i, 0));
    EXPECT_FALSE(in_config(bus, i, 1));
  }
  EXPECT_EQ(bus.config_conflicts(), 0u);
}

// True when `node` believes it has quorum contact although fewer than a majority of its
// configuration (itself included) heard from it within the node timeout: the others may be
// passing its slots on while it serves them.
bool contact_unfounded(BusHarness& bus, size_t node) {
  if (!bus.node(node).has_quorum_contact(bus.local_ms(node))) return false;
  size_t heard_by = 1;  // itself
  for (size_t i = 0; i < bus.size(); ++i) {
    if (i == node || !bus.node(node).config().contains(bus.id(i))) continue;
    const std::optional<NodeView> view = bus.node(i).node(bus.id(node));
    if (view && bus.local_ms(i) - view->last_heard_ms <= kTimeout) ++heard_by;
  }
  return heard_by < bus.node(node).config().majority();
}

// A one-way cut: node 2 still hears everyone (their pings arrive), but nothing it sends gets
// through, so the others stop hearing it, suspect it and pass its slots on. Whenever node 2
// believes it has quorum contact, a majority (itself included) must have heard from it within
// the node timeout: the datagrams that keep arriving from the majority do not show that.
TEST(ClusterMembership, NodeThatHearsTheMajorityButIsNotHeardLosesQuorumContact) {
  BusHarness bus(BusHarnessOptions{.nodes = 5, .seed = 6});
  bus.run_until(5000);
  ASSERT_TRUE(bus.node(2).has_quorum_contact(bus.local_ms(2)));
  for (size_t to : {0, 1, 3, 4}) bus.cut_one_way(2, to);
  const uint64_t received_before = bus.node(2).stats().messages_received;
  const bool violated =
      bus.run_until_true([&] { return contact_unfounded(bus, 2); }, bus.now_ms() + 3 * kTimeout);
  EXPECT_FALSE(violated) << "node 2 kept quorum contact at " << bus.now_ms();
  EXPECT_GT(bus.node(2).stats().messages_received, received_before);  // it does hear them
  EXPECT_FALSE(bus.node(2).has_quorum_contact(bus.local_ms(2)));
  for (size_t i : {0, 1, 3, 4}) EXPECT_TRUE(bus.node(i).has_quorum_contact(bus.local_ms(i)));
}

// A pause longer than the node timeout: the others suspect the node and pass its slots on; when
// it resumes, the pings that queued up for it arrive at once. They show it hears the others, not
// that they hear it, so it must not serve on them.
TEST(ClusterMembership, NodeResumedAfterALongPauseDoesNotServeOnQueuedDatagrams) {
  BusHarness bus(BusHarnessOptions{.nodes = 5, .seed = 9});
  bus.run_until(5000);
  bus.pause(2);
  bus.run_for(2 * kTimeout);
  bus.resume(2);
  const bool violated =
      bus.run_until_true([&] { return contact_unfounded(bus, 2); }, bus.now_ms() + kTimeout);
  EXPECT_FALSE(violated) << "node 2 served on stale contact at " << bus.now_ms();
}

// Contact is a round trip in both directions: a node whose pings are never answered (its
// inbound direction is cut) loses quorum contact too, while the nodes it can reach keep theirs.
TEST(ClusterMembership, NodeThatIsHeardButHearsNobodyLosesQuorumContact) {
  BusHarness bus(BusHarnessOptions{.nodes = 5, .seed = 7});
  bus.run_until(5000);
  for (size_t from : {0, 1, 3, 4}) bus.cut_one_way(from, 2);
  bus.run_for(kTimeout + 500);
  EXPECT_FALSE(bus.node(2).has_quorum_contact(bus.local_ms(2)));
  for (size_t i : {0, 1, 3, 4}) EXPECT_TRUE(bus.node(i).has_quorum_contact(bus.local_ms(i)));
  bus.heal();
  ASSERT_TRUE(bus.run_until_true([&] { return bus.node(2).has_quorum_contact(bus.local_ms(2)); },
                                 bus.now_ms() + kTimeout));
}

// Forming a cluster one join at a time: every proposal needs the vote of every member that may
// lose slots to the joiner (one of one, then two of two), and a voter stops serving until it
// holds the configuration it voted for, so no node serves at an older epoch while another node
// serves at a newer one (which may have moved the older one's slots), even when the committed
// configuration's message to a voter is lost.
TEST(ClusterMembership, VotersStopServingUntilTheyHoldTheConfigurationTheyVotedFor) {
  BusHarness bus(BusHarnessOptions{.nodes = 3, .seed = 8, .loss = 0.05, .formed = false});
  ASSERT_TRUE(bus.run_until_true(
      [&] {
        return bus.all_see(1, NodeStatus::alive) && bus.all_see(2, NodeStatus::alive) &&
               !bus.node(1).config().empty() && !bus.node(2).config().empty();
      },
      5000));
  auto serving_at_two_epochs = [&] {
    std::optional<uint64_t> epoch;
    for (size_t i = 0; i < bus.size(); ++i) {
      // A node serves while it is a member with quorum contact (ClusterState::serving).
      if (!in_config(bus, i, i) || !bus.node(i).has_quorum_contact(bus.local_ms(i))) continue;
      if (epoch && *epoch != bus.node(i).config().epoch) return true;
      epoch = bus.node(i).config().epoch;
    }
    return false;
  };
  ASSERT_TRUE(bus.node(1).propose_add(bus.node(1).self()));
  bus.run_until_true(
      [&] {
        return serving_at_two_epochs() || config_is(bus, 0, {0, 1});
      },
      bus.now_ms() + 30000);
  ASSERT_FALSE(serving_at_two_epochs()) << "two epochs served at " << bus.now_ms();
  ASSERT_TRUE(bus.node(2).propose_add(bus.node(2).self()));
  bus.run_until_true(
      [&] {
        return serving_at_two_epochs() || config_is(bus, 0, {0, 1, 2});
      },
      bus.now_ms() + 30000);
  ASSERT_FALSE(serving_at_two_epochs()) << "two epochs served at " << bus.now_ms();
  ASSERT_TRUE(config_is(bus, 0, {0, 1, 2}));
  bus.run_for(3000);
  for (size_t i = 0; i < bus.size(); ++i) {
    EXPECT_TRUE(bus.node(i).has_quorum_contact(bus.local_ms(i)));
  }
}

// A leaver that commits its own removal may be the only node that knows it committed (the
// configuration it broadcasts can be lost): it stays on the bus, offering the configuration,
// until a majority of the remaining members carry its epoch, and only then departs.
TEST(ClusterMembership, LeaverStaysUntilAMajorityHoldsItsRemoval) {
  BusHarness bus(BusHarnessOptions{.nodes = 3, .seed = 10});
  bus.run_until(5000);
  const uint64_t before = bus.node(2).config().epoch;
  bus.cut_one_way(2, 1);
  bus.node(2).depart();
  ASSERT_TRUE(bus.node(2).propose_remove(bus.id(2)));
  // Node 0 votes for the removal, then stops before the committed configuration reaches it.
  ASSERT_TRUE(bus.run_until_true([&] { return bus.node(0).last_voted_epoch() > before; },
                                 bus.now_ms() + 5000));
  bus.pause(0);
  ASSERT_TRUE(bus.run_until_true([&] { return !in_config(bus, 2, 2); }, bus.now_ms() + 5000));
  const uint64_t removal = bus.node(2).config().epoch;
  bus.run_for(kTimeout / 2);
  EXPECT_EQ(bus.node(2).self_state(), SelfState::active) << "departed while nobody knew";
  EXPECT_LT(bus.node(1).config().epoch, removal);
  bus.heal();
  bus.resume(0);
  ASSERT_TRUE(bus.run_until_true([&] { return bus.node(2).self_state() == SelfState::left; },
                                 bus.now_ms() + kTimeout));
  size_t holding = 0;
  for (size_t i : {0, 1}) holding += bus.node(i).config().epoch >= removal ? 1 : 0;
  EXPECT_EQ(holding, 2u) << "the majority of two members is both";
  ASSERT_TRUE(bus.run_until_true([&] { return config_among(bus, {0, 1}, {0, 1}); },
                                 bus.now_ms() + kTimeout));
  EXPECT_EQ(bus.config_conflicts(), 0u);
}

// A proposer whose proposal is overtaken (another configuration with the same change commits
// first) drops it and serves again at once: only it could have committed it. Voting for its own
// proposal must not hold it off for cluster_vote_hold_ms as a vote for another's does.
TEST(ClusterMembership, ProposerServesAgainOnceItsOvertakenProposalIsDropped) {
  BusHarness bus(BusHarnessOptions{.nodes = 3, .seed = 11});
  bus.run_until(5000);
  const size_t newcomer = bus.add_node({0});
  ASSERT_TRUE(bus.run_until_true([&] { return bus.all_see(newcomer, NodeStatus::alive); },
                                 bus.now_ms() + 5000));
  // Node 2's vote requests are lost; it still hears the others.
  bus.cut_one_way(2, 0);
  bus.cut_one_way(2, 1);
  ASSERT_TRUE(bus.node(2).propose_add(bus.node(newcomer).self()));
  const uint64_t proposals = bus.node(2).stats().proposals_started;
  ASSERT_TRUE(bus.run_until_true(
      [&] { return bus.node(2).stats().proposals_started > proposals; }, bus.now_ms() + 1000));
  EXPECT_FALSE(bus.node(2).has_quorum_contact(bus.local_ms(2))) << "its proposal may commit";
  const int64_t proposed = bus.now_ms();
  ASSERT_TRUE(bus.node(newcomer).propose_add(bus.node(newcomer).self()));
  ASSERT_TRUE(
      bus.run_until_true([&] { return in_config(bus, 2, newcomer); }, proposed + 1500));
  bus.heal();
  EXPECT_TRUE(bus.run_until_true([&] { return bus.node(2).has_quorum_contact(bus.local_ms(2)); },
                                 proposed + constants::cluster_vote_hold_ms - 1))
      << "held off as long as a vote for another's proposal";
}

TEST(ClusterMembership, LossDuplicationLatencyAndClockSkewNeverForkTheConfiguration) {
  for (uint64_t seed = 10; seed < 14; ++seed) {
    BusHarness bus(BusHarnessOptions{.nodes = 7,
                                     .seed = seed,
                                     .latency_min_ms = 1,
                                     .latency_max_ms = 80,
                                     .loss = 0.1,
                                     .duplicate = 0.05,
                                     .clock_offset_max_ms = 100000,
                                     .clock_rate_ppm_max = 500});
    bus.run_until(15000);
    bus.kill(3);
    const std::vector<size_t> survivors = {0, 1, 2, 4, 5, 6};
    ASSERT_TRUE(bus.run_until_true([&] { return config_is(bus, 0, survivors); }, 60000))
        << "seed " << seed;
    bus.run_for(30000);  // no live node is ever declared failed by loss alone
    for (size_t i : survivors) {
      EXPECT_EQ(bus.node(i).self_state(), SelfState::active) << "seed " << seed;
      EXPECT_TRUE(in_config(bus, 0, i)) << "seed " << seed;
    }
    EXPECT_EQ(bus.config_conflicts(), 0u) << "seed " << seed;
  }
}

struct Figures {
  double bytes_per_node_per_s_mean = 0;
  double bytes_per_node_per_s_max = 0;
  int64_t join_known_ms = 0;
  int64_t join_committed_ms = 0;
  int64_t failure_marked_ms = 0;
};

// The measurements bench/README.md reports: steady-state bus bytes per node, time for a join to
// reach every node (and for the configuration adding it to commit everywhere), and time from a
// node's death to every live node marking it failed.
Figures measure(size_t nodes, uint64_t seed) {
  BusHarness bus(BusHarnessOptions{
      .nodes = nodes, .seed = seed, .latency_min_ms = 1, .latency_max_ms = 10, .loss = 0.01});
  bus.run_until(15000);
  std::vector<uint64_t> before(nodes);
  for (size_t i = 0; i < nodes; ++i) before[i] = bus.bytes_sent(i);
  const int64_t window_ms = 30000;
  bus.run_for(window_ms);
  Figures figures;
  for (size_t i = 0; i < nodes; ++i) {
    const double rate = static_cast<double>(bus.bytes_sent(i) - before[i]) * 1000.0 / window_ms;
    figures.bytes_per_node_per_s_mean += rate / static_cast<double>(nodes);
    figures.bytes_per_node_per_s_max = std::max(figures.bytes_per_node_per_s_max, rate);
  }
  const int64_t joined = bus.now_ms();
  const size_t newcomer = bus.add_node({0});
  const bool known = bus.run_until_true(
      [&] {
        return bus.all_see(newcomer, NodeStatus::alive) &&
               bus.node(newcomer).nodes().size() == nodes;
      },
      joined + 30000);
  figures.join_known_ms = known ? bus.now_ms() - joined : -1;
  EXPECT_TRUE(bus.node(newcomer).propose_add(bus.node(newcomer).self()));
  const bool committed = bus.run_until_true(
      [&] { return bus.converged(0) && in_config(bus, 0, newcomer); }, joined + 60000);
  figures.join_committed_ms = committed ? bus.now_ms() - joined : -1;
  bus.run_for(10000);
  const size_t victim = nodes / 2;
  bus.kill(victim);
  const int64_t died = bus.now_ms();
  const bool marked =
      bus.run_until_true([&] { return bus.all_see(victim, NodeStatus::failed); }, died + 30000);
  figures.failure_marked_ms = marked ? bus.now_ms() - died : -1;
  EXPECT_EQ(bus.config_conflicts(), 0u);
  return figures;
}

void report(size_t nodes, const Figures& figures) {
  std::printf(
      "cluster bus, %zu nodes, node timeout %lld ms: bytes/s per node mean %.0f max %.0f; "
      "join known everywhere %lld ms, committed everywhere %lld ms; failure marked everywhere "
      "%lld ms after death\n",
      nodes, static_cast<long long>(kTimeout), figures.bytes_per_node_per_s_mean,
      figures.bytes_per_node_per_s_max, static_cast<long long>(figures.join_known_ms),
      static_cast<long long>(figures.join_committed_ms),
      static_cast<long long>(figures.failure_marked_ms));
}

TEST(ClusterMembershipFigures, TenNodes) {
  const Figures figures = measure(10, 21);
  report(10, figures);
  EXPECT_GE(figures.join_known_ms, 0);
  EXPECT_LE(figures.join_known_ms, 3000);
  EXPECT_GE(figures.failure_marked_ms, 0);
  EXPECT_LE(figures.failure_marked_ms, kTimeout + 2000);
  EXPECT_LT(figures.bytes_per_node_per_s_max, 10 * 1024);
}

TEST(ClusterMembershipFigures, HundredNodes) {
  const Figures figures = measure(100, 22);
  report(100, figures);
  EXPECT_GE(figures.join_known_ms, 0);
  EXPECT_LE(figures.join_known_ms, 3000);
  EXPECT_GE(figures.join_committed_ms, 0);
  EXPECT_GE(figures.failure_marked_ms, 0);
  EXPECT_LE(figures.failure_marked_ms, kTimeout + 2000);
  EXPECT_LT(figures.bytes_per_node_per_s_max, 10 * 1024);
}

}  // namespace
}  // namespace ringcache::cluster

namespace ringcache::cluster {
namespace {

// Random partitions come and go under loss, duplication and clock skew; nodes declared failed
// rejoin and ask to be added back (as the wiring and the migration code will). Whatever
// happens, no two configurations ever share an epoch, and once the network heals every node
// converges on one configuration holding all of them.
void run_chaos(uint64_t seed) {
  BusHarness bus(BusHarnessOptions{.nodes = 7,
                                   .seed = seed,
                                   .latency_min_ms = 1,
                                   .latency_max_ms = 40,
                                   .loss = 0.05,
                                   .duplicate = 0.05,
                                   .clock_offset_max_ms = 50000,
                                   .clock_rate_ppm_max = 500});
  Rng chaos(seed * 7919);
  auto repair = [&] {
    for (size_t i = 0; i < bus.size(); ++i) {
      if (bus.node(i).self_state() == SelfState::declared_failed) bus.rejoin(i);
      if (bus.node(i).self_state() == SelfState::active && !bus.node(i).config().empty() &&
          !in_config(bus, i, i)) {
        ASSERT_TRUE(bus.node(i).propose_add(bus.node(i).self()));
      }
    }
  };
  for (int episode = 0; episode < 8; ++episode) {
    for (size_t i = 0; i < bus.size(); ++i) bus.set_group(i, static_cast<int>(chaos.below(2)));
    bus.run_for(static_cast<int64_t>(2000 + chaos.below(10000)));
    repair();
  }
  bus.heal();
  std::vector<size_t> everyone(bus.size());
  for (size_t i = 0; i < bus.size(); ++i) everyone[i] = i;
  const bool settled = bus.run_until_true(
      [&] {
        repair();
        return config_is(bus, 0, everyone);
      },
      bus.now_ms() + 120000);
  EXPECT_TRUE(settled) << "seed " << seed;
  EXPECT_EQ(bus.config_conflicts(), 0u) << "seed " << seed;
}

TEST(ClusterMembership, RandomPartitionsNeverForkAndHealToOneConfiguration) {
  for (uint64_t seed = 100; seed < 120; ++seed) run_chaos(seed);
}

}  // namespace
}  // namespace ringcache::cluster

namespace ringcache::cluster {
namespace {

ClusterConfig three_members(Rng& rng) {
  ClusterConfig config;
  for (int i = 0; i < 3; ++i) {
    const NodeId id = random_node_id(rng);
    config.members.push_back(NodeAddress{id, id, NodeRole::primary, "10.0.0.1", 1, 2});
  }
  std::sort(config.members.begin(), config.members.end(),
            [](const auto& a, const auto& b) { return a.node_id < b.node_id; });
  config.cluster_id = config.members[0].node_id;
  config.epoch = 4;
  return config;
}

// Three primaries; the configuration the first of them holds as a voter, and its digest.
struct VoterScene {
  explicit VoterScene(uint64_t seed)
      : rng(seed), current(three_members(rng)), digest(config_digest(current)) {}
  const NodeId& member(size_t index) const { return current.members[index].node_id; }
  Rng rng;
  ClusterConfig current;
  uint64_t digest;
};

// A primary in no configuration yet, with the given client and bus ports.
NodeAddress new_primary(Rng& rng, uint16_t port, uint16_t bus_port) {
  return NodeAddress{random_node_id(rng), random_node_id(rng), NodeRole::primary, "", port,
                     bus_port};
}

TEST(ClusterVoter, OneVotePerEpochOnlyForProposalsOnTheConfigurationItHolds) {
  VoterScene scene(31);
  Rng& rng = scene.rng;
  const ClusterConfig& current = scene.current;
  const uint64_t digest = scene.digest;
  const NodeId& self = scene.member(0);
  const NodeId& other = scene.member(1);
  const NodeAddress joining = new_primary(rng, 1, 2);
  const ClusterConfig first = apply_change(current, ConfigChange::adding(joining), 5);
  const ClusterConfig rival =
      apply_change(current, ConfigChange::removing(current.members[2]), 5);

  Voter voter;
  EXPECT_FALSE(voter.decide(self, current, digest, other, 3, digest, first));  // stale base
  EXPECT_FALSE(voter.decide(self, current, digest + 1, other, 4, digest, first));
  EXPECT_TRUE(voter.decide(self, current, digest, other, 4, digest, first));
  EXPECT_EQ(voter.last_voted_epoch(), 5u);
  EXPECT_FALSE(voter.decide(self, current, digest, other, 4, digest, first));  // once per epoch
  EXPECT_FALSE(voter.decide(self, current, digest, other, 4, digest, rival));
  ClusterConfig later = rival;
  later.epoch = 6;
  EXPECT_TRUE(voter.decide(self, current, digest, other, 4, digest, later));

  // Never for its own removal, unless it proposes it; never for an empty configuration.
  Voter fresh;
  const ClusterConfig without_self =
      apply_change(current, ConfigChange::removing(current.members[0]), 5);
  EXPECT_FALSE(fresh.decide(self, current, digest, other, 4, digest, without_self));
  EXPECT_TRUE(fresh.decide(self, current, digest, self, 4, digest, without_self));
  ClusterConfig empty = current;
  empty.members.clear();
  empty.epoch = 9;
  EXPECT_FALSE(fresh.decide(self, current, digest, self, 4, digest, empty));
  // A node outside the configuration has no vote.
  EXPECT_FALSE(Voter().decide(joining.node_id, current, digest, other, 4, digest, first));
}

// Two proposers building on the configuration a voter holds: once it voted for one, it votes for
// the other only if that keeps the first one's change, until the first could no longer commit;
// otherwise both could commit and the higher epoch would undo the lower one's change.
TEST(ClusterVoter, WhileAVoteMayCommitARivalOnTheSameBaseMustKeepItsChange) {
  VoterScene scene(33);
  const ClusterConfig& current = scene.current;
  const uint64_t digest = scene.digest;
  const NodeId &self = scene.member(0), &first_proposer = scene.member(1),
               &second_proposer = scene.member(2);
  const ConfigChange first_join = ConfigChange::adding(new_primary(scene.rng, 1, 2));
  const ConfigChange second_join = ConfigChange::adding(new_primary(scene.rng, 3, 4));
  const ClusterConfig granted = apply_change(current, first_join, 5);
  const ClusterConfig rival = apply_change(current, second_join, 6);
  const ClusterConfig merged = apply_change(granted, second_join, 7);

  const int64_t at_ms = 1000;
  Voter voter;
  EXPECT_TRUE(voter.decide(self, current, digest, first_proposer, 4, digest, granted, at_ms));
  EXPECT_FALSE(voter.decide(self, current, digest, second_proposer, 4, digest, rival, at_ms + 10));
  EXPECT_TRUE(voter.decide(self, current, digest, second_proposer, 4, digest, merged, at_ms + 20));

  Voter later;
  EXPECT_TRUE(later.decide(self, current, digest, first_proposer, 4, digest, granted, at_ms));
  EXPECT_TRUE(later.decide(self, current, digest, second_proposer, 4, digest, rival,
                           at_ms + constants::cluster_vote_hold_ms));

  // Its own proposal does not bind it: two primaries proposing at once would otherwise refuse
  // each other's proposals for as long as they keep retrying.
  Voter proposing;
  EXPECT_TRUE(proposing.decide(self, current, digest, self, 4, digest, granted, at_ms));
  EXPECT_TRUE(
      proposing.decide(self, current, digest, second_proposer, 4, digest, rival, at_ms + 10));
}

// A rival that keeps the held proposal's changes is granted: the blocking grant is what a
// refusal carries back, and keeping_changes_of is how the proposer answers it.
TEST(ClusterVoter, ARefusalNamesTheHeldProposalAndKeepingItsChangesWinsTheVote) {
  VoterScene scene(34);
  const ClusterConfig& base = scene.current;
  const uint64_t d = scene.digest;
  const NodeId& removed = base.members[2].node_id;
  const ClusterConfig granted = apply_change(base, ConfigChange::removing(base.members[2]), 5);
  const ClusterConfig rival =
      apply_change(base, ConfigChange::adding(new_primary(scene.rng, 1, 2)), 6);

  Voter voter;
  ASSERT_TRUE(voter.decide(scene.member(0), base, d, scene.member(1), 4, d, granted, 100));
  EXPECT_EQ(voter.blocking_grant(base, scene.member(1), 4, d, rival, 110), nullptr);
  const ClusterConfig* held = voter.blocking_grant(base, removed, 4, d, rival, 110);
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(*held, granted);
  EXPECT_FALSE(voter.decide(scene.member(0), base, d, removed, 4, d, rival, 110));

  const ClusterConfig kept = keeping_changes_of(base, *held, rival);
  EXPECT_EQ(kept.epoch, rival.epoch);
  EXPECT_FALSE(kept.contains(removed));                   // the held removal
  EXPECT_EQ(kept.members.size(), base.members.size());    // one removed, one joined
  EXPECT_EQ(voter.blocking_grant(base, removed, 4, d, kept, 120), nullptr);
}

TEST(ClusterProposal, CommitsOnAMajorityOfTheBaseMembersOnly) {
  Rng rng(32);
  Proposal proposal;
  proposal.base = three_members(rng);
  EXPECT_FALSE(proposal.add_vote(random_node_id(rng)));  // not a member: ignored
  EXPECT_FALSE(proposal.add_vote(proposal.base.members[0].node_id));
  EXPECT_FALSE(proposal.add_vote(proposal.base.members[0].node_id));  // counted once
  EXPECT_TRUE(proposal.add_vote(proposal.base.members[2].node_id));
}

}  // namespace
}  // namespace ringcache::cluster
