// Replicas in the cluster configuration: primaries alone vote, count towards a majority and own
// slots; removing a failed primary promotes a replica of its shard, which keeps the shard's name
// (and so its slots).

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/cluster/cluster_config.h"
#include "core/cluster/config_voting.h"

namespace ringcache::testing {
namespace {

using cluster::ClusterConfig;
using cluster::ConfigMember;
using cluster::NodeAddress;
using cluster::NodeRole;

std::string id_of(char c) { return std::string(40, c); }

ConfigMember member(char id, char shard, NodeRole role) {
  NodeAddress address;
  address.node_id = id_of(id);
  address.shard_id = id_of(shard);
  address.role = role;
  address.ip = "10.0.0.1";
  address.client_port = 7000;
  address.bus_port = 17000;
  return ConfigMember(address);
}

// Three primaries a, b, c; d replicates a, e replicates b.
ClusterConfig three_by_replicas() {
  ClusterConfig config;
  config.cluster_id = id_of('a');
  config.epoch = 5;
  config.members = {member('a', 'a', NodeRole::primary), member('b', 'b', NodeRole::primary),
                    member('c', 'c', NodeRole::primary), member('d', 'a', NodeRole::replica),
                    member('e', 'b', NodeRole::replica)};
  return config;
}

TEST(ClusterReplicas, TheMajorityIsOfPrimaries) {
  const ClusterConfig config = three_by_replicas();
  EXPECT_EQ(config.primary_count(), 3u);
  EXPECT_EQ(config.majority(), 2u);  // of 3 primaries, not of 5 members
  EXPECT_TRUE(config.is_primary(id_of('a')));
  EXPECT_FALSE(config.is_primary(id_of('d')));
  ASSERT_NE(config.primary_of(id_of('a')), nullptr);
  EXPECT_EQ(config.primary_of(id_of('a'))->node_id, id_of('a'));
  ASSERT_EQ(config.replicas_of(id_of('a')).size(), 1u);
  EXPECT_EQ(config.replicas_of(id_of('a'))[0]->node_id, id_of('d'));
  EXPECT_TRUE(config.replicas_of(id_of('c')).empty());
}

TEST(ClusterReplicas, OnlyPrimariesVoteAndTheirVotesCommit) {
  const ClusterConfig base = three_by_replicas();
  const uint64_t digest = cluster::config_digest(base);
  ClusterConfig proposed = cluster::apply_change(
      base, cluster::ConfigChange::adding(member('f', 'c', NodeRole::replica)), 6);
  cluster::Voter replica_voter;
  EXPECT_FALSE(replica_voter.decide(id_of('d'), base, digest, id_of('f'), base.epoch, digest,
                                    proposed));
  cluster::Voter primary_voter;
  EXPECT_TRUE(primary_voter.decide(id_of('a'), base, digest, id_of('f'), base.epoch, digest,
                                   proposed));
  cluster::Proposal proposal;
  proposal.base = base;
  proposal.proposed = proposed;
  EXPECT_FALSE(proposal.add_vote(id_of('d')));  // replicas' grants are not counted
  EXPECT_FALSE(proposal.add_vote(id_of('e')));
  EXPECT_FALSE(proposal.add_vote(id_of('a')));
  EXPECT_TRUE(proposal.add_vote(id_of('b')));  // two of three primaries
}

TEST(ClusterReplicas, AConfigurationNeedsAPrimaryToOwnTheSlots) {
  ClusterConfig primaries = three_by_replicas();
  primaries.members.resize(3);
  EXPECT_TRUE(cluster::valid_transition(primaries, three_by_replicas()));
  ClusterConfig replicas_only = three_by_replicas();
  replicas_only.members.erase(replicas_only.members.begin(), replicas_only.members.begin() + 3);
  replicas_only.epoch = 6;
  EXPECT_FALSE(cluster::valid_transition(three_by_replicas(), replicas_only));
}

TEST(ClusterReplicas, RemovingAFailedPrimaryPromotesItsFirstReplica) {
  ClusterConfig config = three_by_replicas();
  config.members.push_back(member('f', 'a', NodeRole::replica));  // a second replica of a
  const ClusterConfig after = cluster::apply_change(
      config, cluster::ConfigChange::removing(member('a', 'a', NodeRole::primary)), 6);
  EXPECT_FALSE(after.contains(id_of('a')));
  ASSERT_NE(after.primary_of(id_of('a')), nullptr);
  EXPECT_EQ(after.primary_of(id_of('a'))->node_id, id_of('d'));  // the lowest id
  ASSERT_EQ(after.replicas_of(id_of('a')).size(), 1u);
  EXPECT_EQ(after.replicas_of(id_of('a'))[0]->node_id, id_of('f'));
  EXPECT_EQ(after.primary_count(), 3u);  // the same shards, so the same slots
  // A replica's removal promotes nobody; nor does a primary's without replicas.
  const ClusterConfig no_replica = cluster::apply_change(
      config, cluster::ConfigChange::removing(member('c', 'c', NodeRole::primary)), 6);
  EXPECT_EQ(no_replica.primary_count(), 2u);
  EXPECT_EQ(no_replica.primary_of(id_of('c')), nullptr);
  const ClusterConfig replica_gone = cluster::apply_change(
      config, cluster::ConfigChange::removing(member('d', 'a', NodeRole::replica)), 6);
  EXPECT_EQ(replica_gone.primary_of(id_of('a'))->node_id, id_of('a'));
}

TEST(ClusterReplicas, TheProposersPickIsPromotedWhenItIsAReplicaOfTheShard) {
  ClusterConfig config = three_by_replicas();
  config.members.push_back(member('f', 'a', NodeRole::replica));
  cluster::ConfigChange remove =
      cluster::ConfigChange::removing(member('a', 'a', NodeRole::primary));
  remove.successor = id_of('f');  // not the first by id: the most up to date
  const ClusterConfig after = cluster::apply_change(config, remove, 6);
  ASSERT_NE(after.primary_of(id_of('a')), nullptr);
  EXPECT_EQ(after.primary_of(id_of('a'))->node_id, id_of('f'));
  EXPECT_EQ(after.replicas_of(id_of('a'))[0]->node_id, id_of('d'));
  remove.successor = id_of('e');  // a replica of another shard: ignored
  EXPECT_EQ(cluster::apply_change(config, remove, 6).primary_of(id_of('a'))->node_id, id_of('d'));
}

TEST(ClusterReplicas, ALeavingPrimaryHandsItsSlotsOverInsteadOfPromoting) {
  ClusterConfig config = three_by_replicas();
  config.members[0].state = cluster::MemberState::leaving;  // its keys went to other shards
  const ClusterConfig after = cluster::apply_change(
      config, cluster::ConfigChange::removing(member('a', 'a', NodeRole::primary)), 6);
  EXPECT_EQ(after.primary_of(id_of('a')), nullptr);
  EXPECT_EQ(after.primary_count(), 2u);
}

// A joining primary that fails mid-move: its replica holds what was imported so far, so it takes
// over the join (the sources stream the rest to it) rather than the shard vanishing with the keys.
TEST(ClusterReplicas, AFailedJoiningPrimarysReplicaCarriesTheJoinOn) {
  ClusterConfig config = three_by_replicas();
  config.members.push_back(member('7', '7', NodeRole::primary));
  config.members.back().state = cluster::MemberState::joining;
  config.members.push_back(member('8', '7', NodeRole::replica));
  std::sort(config.members.begin(), config.members.end(),
            [](const ConfigMember& x, const ConfigMember& y) { return x.node_id < y.node_id; });
  ASSERT_TRUE(config.move_in_flight());
  const ClusterConfig after = cluster::apply_changes(
      config, {cluster::ConfigChange::removing(member('7', '7', NodeRole::primary))}, 6);
  const ConfigMember* promoted = after.primary_of(id_of('7'));
  ASSERT_NE(promoted, nullptr);
  EXPECT_EQ(promoted->node_id, id_of('8'));
  EXPECT_EQ(promoted->state, cluster::MemberState::joining);
  EXPECT_TRUE(cluster::valid_transition(config, after));
  cluster::Voter voter;
  EXPECT_TRUE(voter.decide(id_of('a'), config, cluster::config_digest(config), id_of('a'),
                           config.epoch, cluster::config_digest(config), after));
  // A replica made a joining primary while its primary stays is still a new move.
  ClusterConfig sneaky = config;
  sneaky.epoch = 6;
  for (ConfigMember& m : sneaky.members) {
    if (m.node_id == id_of('e')) {
      m.role = NodeRole::primary;
      m.state = cluster::MemberState::joining;
    }
  }
  EXPECT_FALSE(cluster::valid_transition(config, sneaky));
}

}  // namespace
}  // namespace ringcache::testing
