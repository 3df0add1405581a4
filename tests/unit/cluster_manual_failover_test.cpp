// CLUSTER FAILOVER at the membership level (core/cluster/membership_failover.cpp): a replica
// takes its shard over only once it has applied the offset its paused primary reports, the
// primary becomes its replica, nothing moves; a replica that cannot catch up gives up and the
// configuration stays; FORCE does not wait for the primary.

#include <gtest/gtest.h>

#include <algorithm>

#include "core/cluster/cluster_config.h"
#include "core/cluster/config_voting.h"
#include "core/cluster/membership.h"
#include "tests/support/bus_harness.h"

namespace ringcache::cluster {
namespace {

using testing::BusHarness;
using testing::BusHarnessOptions;

// Nodes 0-2 are primaries, node 3 replicates node 0.
constexpr size_t kPrimary = 0;
constexpr size_t kReplica = 3;

BusHarness three_primaries_one_replica(uint64_t seed) {
  return BusHarness(BusHarnessOptions{.nodes = 4, .seed = seed, .loss = 0.02, .replicas = 1});
}

// Plays the node wiring's part on the primary: pauses "writes" when asked (here: only records
// that it did), so the primary starts reporting its offset.
void apply_pause_when_asked(BusHarness& bus) {
  if (bus.node(kPrimary).failover_pause_until_ms() >= 0) bus.node(kPrimary).failover_pause_applied();
}

// Every node holds a configuration in which `primary` leads the shard first led by node 0 and
// `replica` follows it.
bool shard_led_by(BusHarness& bus, size_t primary, size_t replica) {
  for (size_t i = 0; i < bus.size(); ++i) {
    const ClusterConfig& config = bus.node(i).config();
    const ConfigMember* leader = config.primary_of(bus.id(kPrimary));
    const ConfigMember* follower = config.find(bus.id(replica));
    if (leader == nullptr || leader->node_id != bus.id(primary) || follower == nullptr ||
        follower->role != NodeRole::replica || follower->shard_id != bus.id(kPrimary)) {
      return false;
    }
  }
  return true;
}

TEST(ClusterManualFailover, HandOverSwapsTheRolesWithinTheShard) {
  BusHarness bus = three_primaries_one_replica(1);
  const ClusterConfig& base = bus.node(kPrimary).config();
  const ConfigMember& replica = *base.find(bus.id(kReplica));
  const ClusterConfig after = apply_change(base, ConfigChange::handing_over_to(replica), 2);
  EXPECT_TRUE(after.is_primary(bus.id(kReplica)));
  EXPECT_FALSE(after.is_primary(bus.id(kPrimary)));
  EXPECT_EQ(after.find(bus.id(kPrimary))->shard_id, bus.id(kPrimary));  // same shard, same slots
  EXPECT_EQ(after.primary_count(), base.primary_count());
  EXPECT_TRUE(valid_transition(base, after));
  EXPECT_TRUE(change_applied(after, ConfigChange::handing_over_to(replica)));
  EXPECT_FALSE(change_applied(base, ConfigChange::handing_over_to(replica)));
  // Handing a shard to a node that is not a replica changes nothing.
  const ConfigMember& primary = *base.find(bus.id(1));
  EXPECT_EQ(apply_change(base, ConfigChange::handing_over_to(primary), 2).members, base.members);
}

TEST(ClusterManualFailover, TheReplicaTakesOverOnlyOnceItHasThePausedPrimarysOffset) {
  BusHarness bus = three_primaries_one_replica(2);
  bus.run_until(3000);
  bus.node(kPrimary).set_replication_offset(1000);
  bus.node(kReplica).set_replication_offset(400);  // behind its primary
  ASSERT_TRUE(bus.node(kReplica).start_manual_failover(/*force=*/false, bus.local_ms(kReplica)));
  EXPECT_TRUE(bus.node(kReplica).manual_failover_in_progress());
  // The primary is asked to pause, and the replica waits while it lacks writes.
  const bool changed = bus.run_until_true(
      [&] {
        apply_pause_when_asked(bus);
        return !shard_led_by(bus, kPrimary, kReplica);
      },
      bus.now_ms() + 2000);
  EXPECT_FALSE(changed);
  EXPECT_GE(bus.node(kPrimary).failover_pause_until_ms(), 0);
  // An offset as high but without a live link to the primary is another history's (a replica
  // that dropped its keys and has not synced again): it does not count.
  bus.node(kReplica).set_replication_offset(1000);
  EXPECT_FALSE(bus.run_until_true(
      [&] {
        apply_pause_when_asked(bus);
        return !shard_led_by(bus, kPrimary, kReplica);
      },
      bus.now_ms() + 1000));
  bus.node(kReplica).set_replication_link_up(true);  // caught up, following its primary
  ASSERT_TRUE(bus.run_until_true(
      [&] {
        apply_pause_when_asked(bus);
        return shard_led_by(bus, kReplica, kPrimary);
      },
      bus.now_ms() + 3000));
  // The demoted primary's pause ends with the configuration that demoted it.
  EXPECT_LT(bus.node(kPrimary).failover_pause_until_ms(), 0);
  bus.run_for(500);
  EXPECT_FALSE(bus.node(kReplica).manual_failover_in_progress());
  EXPECT_EQ(bus.config_conflicts(), 0u);
}

TEST(ClusterManualFailover, AReplicaThatCannotCatchUpGivesUpAndNothingChanges) {
  BusHarness bus = three_primaries_one_replica(3);
  bus.run_until(3000);
  bus.node(kPrimary).set_replication_offset(1000);
  bus.node(kReplica).set_replication_offset(10);
  const uint64_t epoch = bus.node(kPrimary).config().epoch;
  ASSERT_TRUE(bus.node(kReplica).start_manual_failover(false, bus.local_ms(kReplica)));
  ASSERT_TRUE(bus.run_until_true(
      [&] {
        apply_pause_when_asked(bus);
        return !bus.node(kReplica).manual_failover_in_progress();
      },
      bus.now_ms() + constants::cluster_manual_failover_timeout_ms + 500));
  EXPECT_EQ(bus.node(kReplica).stats().manual_failovers_abandoned, 1u);
  EXPECT_TRUE(shard_led_by(bus, kPrimary, kReplica));
  EXPECT_EQ(bus.node(kPrimary).config().epoch, epoch);
  // The primary's writes resume by their own deadline, after the replica gave up.
  EXPECT_GE(bus.node(kPrimary).failover_pause_until_ms(), 0);
  ASSERT_TRUE(bus.run_until_true([&] { return bus.node(kPrimary).failover_pause_until_ms() < 0; },
                                 bus.now_ms() + constants::cluster_manual_failover_pause_ms));
  bus.run_for(3000);
  EXPECT_TRUE(shard_led_by(bus, kPrimary, kReplica));
}

TEST(ClusterManualFailover, ForceTakesOverWithoutTheDeadPrimary) {
  BusHarness bus = three_primaries_one_replica(4);
  bus.run_until(3000);
  bus.kill(kPrimary);
  ASSERT_TRUE(bus.node(kReplica).start_manual_failover(/*force=*/true, bus.local_ms(kReplica)));
  const auto led_by_replica = [&] {
    for (size_t i = 1; i < bus.size(); ++i) {
      if (!bus.node(i).config().is_primary(bus.id(kReplica))) return false;
    }
    return true;
  };
  ASSERT_TRUE(bus.run_until_true(led_by_replica, bus.now_ms() + 3000));
  EXPECT_EQ(bus.config_conflicts(), 0u);
}

TEST(ClusterManualFailover, RefusalsInRedisWords) {
  BusHarness bus = three_primaries_one_replica(5);
  bus.run_until(3000);
  const Status on_primary = bus.node(kPrimary).start_manual_failover(false, bus.local_ms(0));
  EXPECT_EQ(on_primary.message(), "You should send CLUSTER FAILOVER to a replica");
  bus.kill(kPrimary);
  ASSERT_TRUE(bus.run_until_true(
      [&] {
        const auto view = bus.node(kReplica).node(bus.id(kPrimary));
        return view && view->status != NodeStatus::alive;
      },
      bus.now_ms() + 10000));
  const Status primary_down =
      bus.node(kReplica).start_manual_failover(false, bus.local_ms(kReplica));
  EXPECT_EQ(primary_down.message(), "Master is down or failed, please use CLUSTER FAILOVER FORCE");
  EXPECT_FALSE(bus.node(kReplica).manual_failover_in_progress());
}

}  // namespace
}  // namespace ringcache::cluster
