// Membership's side of a manual failover (CLUSTER FAILOVER): the replica that asks, and the
// primary that holds its clients still so that the replica can take over without losing a write.

#include <algorithm>

#include "core/cluster/membership.h"

namespace ringcache::cluster {

Status Membership::start_manual_failover(bool force, int64_t now_ms) {
  const ConfigMember* me = config_.find(options_.self.node_id);
  if (me == nullptr || me->role != NodeRole::replica) {
    return {Errc::invalid_argument, "You should send CLUSTER FAILOVER to a replica"};
  }
  const ConfigMember* primary = config_.primary_of(me->shard_id);
  if (primary == nullptr) {
    return {Errc::invalid_argument, "I'm a replica but my master is unknown to me"};
  }
  if (!force) {
    const NodeEntry* entry = table_.find(primary->node_id);
    if (entry == nullptr || entry->tombstone() || entry->pfail) {
      return {Errc::invalid_argument,
              "Master is down or failed, please use CLUSTER FAILOVER FORCE"};
    }
  }
  // The primary may be streaming slots to another shard: the hand-over waits for the move.
  if (config_.move_in_flight()) {
    return {Errc::invalid_argument,
            "A slot move is in flight; try CLUSTER FAILOVER again once it has ended"};
  }
  failover_ = ManualFailover{force, now_ms + constants::cluster_manual_failover_timeout_ms,
                             std::nullopt, false};
  return Status::ok();
}

void Membership::drive_manual_failover(Out& out, int64_t now_ms) {
  report_paused_offset(out, now_ms);
  if (!failover_) return;
  const ConfigMember* me = config_.find(options_.self.node_id);
  if (me != nullptr && me->role == NodeRole::primary) {
    failover_.reset();  // the hand-over committed
    return;
  }
  if (me == nullptr || now_ms >= failover_->deadline_ms) {
    abandon_manual_failover();
    return;
  }
  if (failover_->handing_over || config_.move_in_flight()) return;
  if (!failover_->force) {
    const ConfigMember* primary = config_.primary_of(me->shard_id);
    if (!failover_->primary_offset) {
      // Asked again every tick until the primary answers: datagrams may be lost.
      const NodeEntry* entry = primary ? table_.find(primary->node_id) : nullptr;
      if (entry != nullptr && !entry->tombstone()) {
        send_to(out, *entry, make(MessageType::failover_request));
      }
      return;
    }
    // Only an offset reached by following this primary compares with its own: a replica that
    // dropped its keys (it rejoined after being declared failed) and has not synced again may
    // hold a higher offset from an abandoned history, with none of the primary's writes.
    if (!replication_link_up_ || replication_offset_ < *failover_->primary_offset) return;
  }
  queue_change(ConfigChange::handing_over_to(*me), 0);
  failover_->handing_over = true;
}

// The primary tells the replica, every tick while its clients are held, the offset its stream
// stopped at. The wiring sets replication_offset_ before each tick, so once the pause was applied
// (in an earlier step) that offset includes every write this primary acknowledged.
void Membership::report_paused_offset(Out& out, int64_t now_ms) {
  if (failover_pause_until_ms_ < 0) return;
  if (now_ms >= failover_pause_until_ms_) {
    end_failover_pause();
    return;
  }
  if (!failover_pause_applied_) return;
  const NodeEntry* replica = table_.find(failover_replica_);
  if (replica != nullptr && !replica->tombstone()) {
    send_to(out, *replica, make(MessageType::failover_ready));
  }
}

// Out of time: the hand-over is no longer asked for, and a proposal carrying it is dropped, so
// it cannot commit after the primary's clients resume.
void Membership::abandon_manual_failover() {
  std::erase_if(pending_,
                [](const ConfigChange& c) { return c.kind == ConfigChange::Kind::hand_over; });
  const NodeId& self = options_.self.node_id;
  if (proposal_ && proposal_->proposed.is_primary(self) && !proposal_->base.is_primary(self)) {
    proposal_.reset();
  }
  failover_.reset();
  ++stats_.manual_failovers_abandoned;
}

void Membership::on_failover_request(const BusMessage& message, int64_t now_ms) {
  const ConfigMember* me = config_.find(options_.self.node_id);
  const ConfigMember* asker = config_.find(message.sender.node_id);
  if (me == nullptr || me->role != NodeRole::primary || asker == nullptr ||
      asker->role != NodeRole::replica || asker->shard_id != me->shard_id) {
    return;
  }
  // One replica's failover at a time; its repeated requests do not extend the pause.
  if (failover_pause_until_ms_ >= 0) return;
  failover_pause_until_ms_ = now_ms + constants::cluster_manual_failover_pause_ms;
  failover_pause_applied_ = false;
  failover_replica_ = asker->node_id;
}

void Membership::on_failover_ready(const BusMessage& message) {
  if (!failover_ || failover_->handing_over) return;
  const ConfigMember* me = config_.find(options_.self.node_id);
  const ConfigMember* primary = me ? config_.primary_of(me->shard_id) : nullptr;
  if (primary == nullptr || primary->node_id != message.sender.node_id) return;
  failover_->primary_offset =
      std::max(failover_->primary_offset.value_or(0), message.replication_offset);
}

void Membership::end_failover_pause() {
  failover_pause_until_ms_ = -1;
  failover_pause_applied_ = false;
  failover_replica_.clear();
}

}  // namespace ringcache::cluster
