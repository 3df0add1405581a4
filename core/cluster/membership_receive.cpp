// Membership's handling of one received datagram.

#include <algorithm>

#include "core/cluster/membership.h"

namespace ringcache::cluster {

std::vector<Outgoing> Membership::receive(const BusAddress& from, std::string_view bytes,
                                          int64_t now_ms, Rng& rng) {
  ++stats_.messages_received;
  stats_.bytes_received += bytes.size();
  Out out;
  if (self_state_ != SelfState::active) return out;
  Result<BusMessage> decoded = decode_bus_message(bytes);
  if (!decoded) {
    ++stats_.decode_errors;
    return out;
  }
  const BusMessage& message = decoded.value();
  if (message.sender.node_id == options_.self.node_id) return out;
  NodeEntry* sender = heard_from(out, from, message, now_ms);
  if (sender == nullptr) return out;
  check_config_epoch(out, message, *sender, now_ms);
  switch (message.type) {
    case MessageType::ping:
    case MessageType::meet:
    case MessageType::pong:
      on_gossip_message(out, message, *sender, now_ms, rng);
      break;
    case MessageType::suspect:
      on_suspect(out, message, now_ms);
      break;
    case MessageType::fail:
      on_fail(out, message, now_ms);
      break;
    case MessageType::config_request:
      if (!config_.empty()) {
        BusMessage reply = make(MessageType::config);
        reply.config = config_;
        send_to(out, *sender, reply);
      }
      break;
    case MessageType::config:
      on_config(message, now_ms);
      break;
    case MessageType::vote_request:
      on_vote_request(out, message, *sender, now_ms);
      break;
    case MessageType::vote:
      on_vote(out, message, now_ms);
      break;
    case MessageType::failover_request:
      on_failover_request(message, now_ms);
      break;
    case MessageType::failover_ready:
      on_failover_ready(message);
      break;
  }
  return out;
}

// Updates what is known of the sender. Null when its message must be ignored: a sender this node
// knows as failed at that incarnation (it is told so, to rejoin) or departed, or a full table.
NodeEntry* Membership::heard_from(Out& out, const BusAddress& from, const BusMessage& message,
                                  int64_t now_ms) {
  NodeAddress address = message.sender;
  if (address.ip.empty()) address.ip = from.ip;
  NodeEntry* entry = table_.find(address.node_id);
  if (entry == nullptr) {
    entry = table_.add(address, message.sender_incarnation, NodeStatus::alive, now_ms);
    if (entry == nullptr) return nullptr;
  } else if (entry->tombstone()) {
    if (message.sender_incarnation <= entry->incarnation) {
      if (entry->status == NodeStatus::failed) {
        BusMessage fail = make(MessageType::fail);
        fail.target_id = address.node_id;
        fail.target_incarnation = entry->incarnation;
        send(out, address_of(address), fail);
      }
      return nullptr;
    }
    entry->status = NodeStatus::alive;  // back as a new incarnation
    entry->incarnation = message.sender_incarnation;
    entry->address = address;
    table_.mark_changed(*entry, now_ms);
  } else if (message.sender_incarnation > entry->incarnation || entry->address != address) {
    entry->incarnation = std::max(entry->incarnation, message.sender_incarnation);
    entry->address = address;
    table_.mark_changed(*entry, now_ms);
  }
  entry->last_heard_ms = now_ms;
  entry->committed_epoch = std::max(entry->committed_epoch, message.config_epoch);
  entry->replication_offset = message.replication_offset;
  if (message.type == MessageType::pong) on_pong(*entry, message.probe_seq);
  if (entry->pfail) {
    entry->pfail = false;
    entry->last_suspect_ms = -1;
    reports_.remove(address.node_id, options_.self.node_id);
    table_.mark_changed(*entry, now_ms);
  }
  return entry;
}

void Membership::check_config_epoch(Out& out, const BusMessage& message, const NodeEntry& sender,
                                    int64_t now_ms) {
  highest_epoch_seen_ = std::max(highest_epoch_seen_, message.config_epoch);
  committed_epoch_seen_ = std::max(committed_epoch_seen_, message.config_epoch);
  if (message.config_epoch == config_.epoch && message.config_digest != config_digest_) {
    ++stats_.config_conflicts;
  }
  if (message.config_epoch <= config_.epoch) return;
  if (last_config_request_ms_ >= 0 &&
      now_ms - last_config_request_ms_ < constants::cluster_tick_interval_ms) {
    return;
  }
  last_config_request_ms_ = now_ms;
  send_to(out, sender, make(MessageType::config_request));
}

void Membership::on_gossip_message(Out& out, const BusMessage& message, const NodeEntry& sender,
                                   int64_t now_ms, Rng& rng) {
  const NodeId reporter = sender.address.node_id;
  const BusAddress reply_to = address_of(sender.address);
  for (const GossipEntry& entry : message.gossip) merge_entry(out, reporter, entry, now_ms);
  if (message.type == MessageType::pong) return;
  BusMessage pong = make(MessageType::pong);
  pong.probe_seq = message.probe_seq;
  pong.gossip = gossip_for_message(/*anti_entropy=*/false, rng);
  send(out, reply_to, pong);
}

void Membership::merge_entry(Out& out, const NodeId& reporter, const GossipEntry& news,
                             int64_t now_ms) {
  const NodeId& id = news.node.node_id;
  if (id == options_.self.node_id) return on_self_news(news.status, news.incarnation, now_ms);
  const bool news_alive = news.status == NodeStatus::alive || news.status == NodeStatus::suspect;
  NodeEntry* entry = table_.find(id);
  if (entry == nullptr) {
    table_.add(news.node, news.incarnation, news.status, now_ms);
    return;
  }
  if (entry->tombstone()) {
    if (!news_alive || news.incarnation <= entry->incarnation) return;
    entry->status = NodeStatus::alive;
    entry->incarnation = news.incarnation;
    entry->address = news.node;
    entry->last_heard_ms = now_ms;
    table_.mark_changed(*entry, now_ms);
    return;
  }
  if (news.incarnation < entry->incarnation) return;
  if (news.status == NodeStatus::failed) return mark_failed(*entry, now_ms);
  if (news.status == NodeStatus::left) {
    entry->status = NodeStatus::left;
    entry->pfail = false;
    table_.mark_changed(*entry, now_ms);
    return;
  }
  if (news.incarnation > entry->incarnation) {
    entry->incarnation = news.incarnation;
    entry->address = news.node;
    table_.mark_changed(*entry, now_ms);
  }
  if (news.status == NodeStatus::suspect) {
    reports_.add(id, reporter, news.incarnation, now_ms);
    maybe_declare_failed(out, id, now_ms);
  }
}

// News about this node itself: a FAIL at its incarnation is final (the wiring must rejoin); a
// suspicion is refuted with a higher incarnation, which voids every report about the old one.
void Membership::on_self_news(NodeStatus status, uint64_t incarnation, int64_t now_ms) {
  if (incarnation < incarnation_) return;
  if (status == NodeStatus::failed) {
    self_state_ = SelfState::declared_failed;
    failed_incarnation_ = incarnation;
  } else if (status == NodeStatus::suspect) {
    incarnation_ = incarnation + 1;
    self_transmits_left_ = table_.retransmit_budget();
  }
}

void Membership::on_suspect(Out& out, const BusMessage& message, int64_t now_ms) {
  if (message.target_id == options_.self.node_id) {
    return on_self_news(NodeStatus::suspect, message.target_incarnation, now_ms);
  }
  NodeEntry* entry = table_.find(message.target_id);
  if (entry == nullptr || entry->tombstone()) return;
  if (message.target_incarnation < entry->incarnation) return;
  reports_.add(message.target_id, message.sender.node_id, message.target_incarnation, now_ms);
  maybe_declare_failed(out, message.target_id, now_ms);
}

void Membership::on_fail(Out& out, const BusMessage& message, int64_t now_ms) {
  if (message.target_id == options_.self.node_id) {
    return on_self_news(NodeStatus::failed, message.target_incarnation, now_ms);
  }
  NodeEntry* entry = table_.find(message.target_id);
  if (entry == nullptr || entry->tombstone()) return;
  if (message.target_incarnation < entry->incarnation) return;
  mark_failed(*entry, now_ms);
}

void Membership::on_config(const BusMessage& message, int64_t now_ms) {
  const ClusterConfig& offered = message.config;
  if (offered.epoch <= config_.epoch) return;
  if (!config_.empty() && offered.cluster_id != config_.cluster_id) return;
  adopt(offered, now_ms);
}

void Membership::on_vote_request(Out& out, const BusMessage& message, const NodeEntry& sender,
                                 int64_t now_ms) {
  BusMessage reply = make(MessageType::vote);
  reply.vote_epoch = message.config.epoch;
  reply.vote_digest = cluster::config_digest(message.config);
  reply.granted =
      voter_.decide(options_.self.node_id, config_, config_digest_, message.sender.node_id,
                    message.config_epoch, message.config_digest, message.config, now_ms);
  if (reply.granted) {
    hold_serving_for(message.config.epoch, now_ms);
  } else if (const ClusterConfig* held = voter_.blocking_grant(
                 config_, message.sender.node_id, message.config_epoch, message.config_digest,
                 message.config, now_ms)) {
    reply.config = *held;
  }
  send_to(out, sender, reply);
  highest_epoch_seen_ = std::max(highest_epoch_seen_, message.config.epoch);
  absorb_proposal(message);
}

void Membership::on_vote(Out& out, const BusMessage& message, int64_t now_ms) {
  if (!proposal_ || message.vote_epoch != proposal_->proposed.epoch ||
      message.vote_digest != proposal_->proposed_digest) {
    return;
  }
  if (!message.granted) {
    keep_rival_changes(out, message, now_ms);
    return;
  }
  if (!proposal_->add_vote(message.sender.node_id)) return;
  ++stats_.configs_committed;
  const ClusterConfig committed = proposal_->proposed;
  adopt(committed, now_ms);
  broadcast_config(out);
}

}  // namespace ringcache::cluster
