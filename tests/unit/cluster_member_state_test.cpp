// Member states and the rules of planned moves: one move in flight at a time (a batch of joiners
// or one leaver), both maps kept non-empty, and the state on the wire.

#include <gtest/gtest.h>

#include <string>

#include "core/cluster/cluster_config.h"
#include "core/cluster/config_voting.h"

namespace ringcache::cluster {
namespace {

ConfigMember member(char id, MemberState state = MemberState::active) {
  const std::string node_id(40, id);
  return ConfigMember(NodeAddress{node_id, node_id, NodeRole::primary, "10.0.0.1", 7000, 17000},
                      state);
}

ClusterConfig config_of(std::vector<ConfigMember> members) {
  ClusterConfig config;
  config.cluster_id = std::string(40, 'a');
  config.epoch = 5;
  config.members = std::move(members);
  return config;
}

ConfigChange add(const ConfigMember& m) { return ConfigChange::adding(m); }

TEST(ClusterMemberState, JoinersGoTogetherAndLeaversWaitForThem) {
  const ClusterConfig base = config_of({member('a'), member('b')});
  const ClusterConfig next = apply_changes(
      base,
      {add(member('c', MemberState::joining)), add(member('b', MemberState::leaving)),
       add(member('d', MemberState::joining))},
      6);
  ASSERT_EQ(next.members.size(), 4u);
  EXPECT_EQ(next.find(std::string(40, 'b'))->state, MemberState::active);  // waits
  EXPECT_EQ(next.find(std::string(40, 'c'))->state, MemberState::joining);
  EXPECT_EQ(next.find(std::string(40, 'd'))->state, MemberState::joining);
  EXPECT_TRUE(valid_transition(base, next));
}

TEST(ClusterMemberState, OneLeaverAtATime) {
  const ClusterConfig base = config_of({member('a'), member('b'), member('c')});
  const ClusterConfig next = apply_changes(
      base, {add(member('b', MemberState::leaving)), add(member('c', MemberState::leaving))}, 6);
  EXPECT_EQ(next.find(std::string(40, 'b'))->state, MemberState::leaving);
  EXPECT_EQ(next.find(std::string(40, 'c'))->state, MemberState::active);
}

TEST(ClusterMemberState, NoMoveStartsWhileOneIsInFlight) {
  const ClusterConfig base = config_of({member('a'), member('b', MemberState::joining)});
  EXPECT_TRUE(base.move_in_flight());
  const ClusterConfig held = apply_changes(base, {add(member('c', MemberState::joining))}, 6);
  EXPECT_EQ(held.members, base.members);
  // Ending the move in flight, or a failure removal, goes through.
  const ClusterConfig activated = apply_changes(base, {add(member('b'))}, 6);
  EXPECT_FALSE(activated.move_in_flight());
  EXPECT_TRUE(valid_transition(base, activated));
  ClusterConfig sneaky = base;
  sneaky.epoch = 6;
  sneaky.members.push_back(member('c', MemberState::joining));
  EXPECT_FALSE(valid_transition(base, sneaky));
  Voter voter;
  EXPECT_FALSE(voter.decide(std::string(40, 'a'), base, config_digest(base), std::string(40, 'c'),
                            base.epoch, config_digest(base), sneaky));
}

TEST(ClusterMemberState, SomebodyAlwaysServesAndSomebodyWillOwn) {
  // The only serving member failed while another joined: the joiner becomes active.
  const ClusterConfig base = config_of({member('a'), member('b', MemberState::joining)});
  ConfigChange removal;
  removal.kind = ConfigChange::Kind::remove;
  removal.member.node_id = std::string(40, 'a');
  const ClusterConfig next = apply_changes(base, {removal}, 6);
  ASSERT_EQ(next.members.size(), 1u);
  EXPECT_EQ(next.members[0].state, MemberState::active);
  EXPECT_TRUE(valid_transition(base, next));
  ClusterConfig nobody_stays = config_of({member('a', MemberState::leaving)});
  EXPECT_FALSE(valid_transition(config_of({member('a')}), nobody_stays));
}

TEST(ClusterMemberState, StatesChangeTheDigest) {
  const ClusterConfig moving = config_of({member('a'), member('b', MemberState::joining)});
  const ClusterConfig settled = config_of({member('a'), member('b')});
  EXPECT_NE(config_digest(moving), config_digest(settled));
}

}  // namespace
}  // namespace ringcache::cluster
