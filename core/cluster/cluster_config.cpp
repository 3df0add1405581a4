#include "core/cluster/cluster_config.h"

#include <algorithm>

#include "core/cluster/bus_message.h"
#include "core/cluster/wire.h"

namespace ringcache::cluster {

const ConfigMember* ClusterConfig::find(const NodeId& node_id) const {
  auto it =
      std::lower_bound(members.begin(), members.end(), node_id,
                       [](const ConfigMember& m, const NodeId& id) { return m.node_id < id; });
  return it != members.end() && it->node_id == node_id ? &*it : nullptr;
}

bool ClusterConfig::is_primary(const NodeId& node_id) const {
  const ConfigMember* member = find(node_id);
  return member != nullptr && member->role == NodeRole::primary;
}

size_t ClusterConfig::primary_count() const {
  return static_cast<size_t>(std::count_if(members.begin(), members.end(), [](const auto& m) {
    return m.role == NodeRole::primary;
  }));
}

const ConfigMember* ClusterConfig::primary_of(const NodeId& shard_id) const {
  for (const ConfigMember& member : members) {
    if (member.shard_id == shard_id && member.role == NodeRole::primary) return &member;
  }
  return nullptr;
}

std::vector<const ConfigMember*> ClusterConfig::replicas_of(const NodeId& shard_id) const {
  std::vector<const ConfigMember*> replicas;
  for (const ConfigMember& member : members) {
    if (member.shard_id == shard_id && member.role == NodeRole::replica) {
      replicas.push_back(&member);
    }
  }
  return replicas;
}

const char* member_state_name(MemberState state) {
  switch (state) {
    case MemberState::active:
      return "active";
    case MemberState::joining:
      return "joining";
    case MemberState::leaving:
      return "leaving";
  }
  return "unknown";
}

bool ClusterConfig::move_in_flight() const {
  return std::any_of(members.begin(), members.end(),
                     [](const ConfigMember& m) { return m.state != MemberState::active; });
}

uint64_t config_digest(const ClusterConfig& config) {
  if (config.empty()) return 0;
  std::string bytes;
  append_config(bytes, config);
  const uint64_t digest = wire::fnv1a64(bytes);
  return digest == 0 ? 1 : digest;  // 0 is kept for "no configuration"
}

namespace {

// A primary leaves the configuration without a graceful leave only when declared failed: a
// replica of its shard takes its place, the proposer's pick or else the first by node id. The
// shard keeps its name, so its tokens and slots stay where they were. A joining primary's replica
// takes over the join too (it holds what was imported so far, and the sources stream the rest to
// it); a leaving primary's keys were going to other shards, so its replicas follow nobody.
void promote_replica(std::vector<ConfigMember>& members, const ConfigMember& removed,
                     const NodeId& successor) {
  if (removed.role != NodeRole::primary || removed.state == MemberState::leaving) return;
  const auto of_shard = [&](const ConfigMember& m) {
    return m.shard_id == removed.shard_id && m.role == NodeRole::replica;
  };
  auto chosen = std::find_if(members.begin(), members.end(), [&](const ConfigMember& m) {
    return of_shard(m) && m.node_id == successor;
  });
  if (chosen == members.end()) chosen = std::find_if(members.begin(), members.end(), of_shard);
  if (chosen == members.end()) return;
  chosen->role = NodeRole::primary;
  chosen->state = removed.state;
}

// A manual failover: the replica takes its shard's primary's place (role and state), and the
// primary becomes its replica, active (a replica imports nothing).
void hand_shard_over(std::vector<ConfigMember>& members, const NodeId& replica_id) {
  auto replica = std::find_if(members.begin(), members.end(),
                              [&](const ConfigMember& m) { return m.node_id == replica_id; });
  if (replica == members.end() || replica->role != NodeRole::replica) return;
  auto primary = std::find_if(members.begin(), members.end(), [&](const ConfigMember& m) {
    return m.shard_id == replica->shard_id && m.role == NodeRole::primary;
  });
  if (primary == members.end()) return;
  replica->role = NodeRole::primary;
  replica->state = primary->state;
  primary->role = NodeRole::replica;
  primary->state = MemberState::active;
}

// `member` of `proposed` is a replica of `base` promoted in the place of its shard's primary,
// which `proposed` no longer holds.
bool promoted_in_place(const ClusterConfig& base, const ClusterConfig& proposed,
                       const ConfigMember& member) {
  const ConfigMember* before = base.find(member.node_id);
  if (before == nullptr || before->role != NodeRole::replica ||
      member.role != NodeRole::primary) {
    return false;
  }
  const ConfigMember* old_primary = base.primary_of(before->shard_id);
  return old_primary != nullptr && old_primary->state == member.state &&
         !proposed.contains(old_primary->node_id);
}

}  // namespace

ClusterConfig apply_change(const ClusterConfig& base, const ConfigChange& change, uint64_t epoch) {
  ClusterConfig next = base;
  next.epoch = epoch;
  auto& members = next.members;
  auto it =
      std::lower_bound(members.begin(), members.end(), change.member.node_id,
                       [](const ConfigMember& m, const NodeId& id) { return m.node_id < id; });
  const bool present = it != members.end() && it->node_id == change.member.node_id;
  if (change.kind == ConfigChange::Kind::add) {
    if (present) {
      *it = change.member;
    } else {
      members.insert(it, change.member);
    }
  } else if (change.kind == ConfigChange::Kind::hand_over) {
    hand_shard_over(members, change.member.node_id);
  } else if (present) {
    const ConfigMember removed = *it;
    members.erase(it);
    promote_replica(members, removed, change.successor);
  }
  return next;
}

bool change_applied(const ClusterConfig& config, const ConfigChange& change) {
  const ConfigMember* member = config.find(change.member.node_id);
  switch (change.kind) {
    case ConfigChange::Kind::remove:
      return member == nullptr;
    case ConfigChange::Kind::hand_over:
      return member != nullptr && member->role == NodeRole::primary;
    case ConfigChange::Kind::add:
      break;
  }
  return member != nullptr && *member == change.member;
}

bool starts_move(const ClusterConfig& base, const ConfigChange& change) {
  if (change.kind != ConfigChange::Kind::add || change.member.state == MemberState::active) {
    return false;
  }
  const ConfigMember* current = base.find(change.member.node_id);
  return current == nullptr || current->state != change.member.state;
}

bool ends_move(const ClusterConfig& config, const ConfigChange& change) {
  const ConfigMember* current = config.find(change.member.node_id);
  if (current == nullptr || change.kind == ConfigChange::Kind::hand_over) return false;
  if (change.kind == ConfigChange::Kind::remove) return current->state == MemberState::leaving;
  return current->state == MemberState::joining && change.member.state == MemberState::active;
}

bool valid_transition(const ClusterConfig& base, const ClusterConfig& proposed) {
  // Slots are owned by primaries: one must serve, and one must be there once moves are done.
  const auto has = [&](bool (*in_map)(MemberState)) {
    return std::any_of(
        proposed.members.begin(), proposed.members.end(),
        [&](const ConfigMember& m) { return m.role == NodeRole::primary && in_map(m.state); });
  };
  if (!has(in_serving_map) || !has(in_target_map)) return false;
  if (!base.move_in_flight()) return true;
  return std::none_of(proposed.members.begin(), proposed.members.end(), [&](const ConfigMember& m) {
    return starts_move(base, ConfigChange::adding(m)) && !promoted_in_place(base, proposed, m);
  });
}

}  // namespace ringcache::cluster
