#include "core/server/pubsub/tracking.h"

#include <vector>

#include "core/protocol/reply_writer.h"

namespace ringcache::server {

void Tracking::enabled(Client& client) {
  if (!client.tracking.bcast) return;
  for (const std::string& prefix : client.tracking.prefixes) prefixes_[prefix].insert(client.id);
}

void Tracking::disable(Client& client) {
  for (const std::string& prefix : client.tracking.prefixes) {
    const auto it = prefixes_.find(prefix);
    if (it == prefixes_.end()) continue;
    it->second.erase(client.id);
    if (it->second.empty()) prefixes_.erase(it);
  }
  client.tracking = Client::Tracking{};
}

void Tracking::remember(Client& client, std::string_view key, int64_t table_keys_max) {
  auto [it, added] = table_.try_emplace(std::string(key));
  it->second.insert(client.id);
  if (!added) return;
  insertion_order_.emplace_back(key);
  limit_keys(table_keys_max);
}

void Tracking::limit_keys(int64_t table_keys_max) {
  // Keys already invalidated leave stale names in the order queue; they are skipped here.
  while (table_keys_max > 0 && table_.size() > static_cast<size_t>(table_keys_max)) {
    const std::string oldest = std::move(insertion_order_.front());
    insertion_order_.pop_front();
    invalidate(oldest, nullptr);  // every reader hears of it, NOLOOP or not
  }
  if (table_.empty()) insertion_order_.clear();
  // Stale names would otherwise pile up while keys are read and invalidated in turn.
  if (insertion_order_.size() > 2 * table_.size() + 1024) {
    std::deque<std::string> live;
    for (std::string& name : insertion_order_) {
      if (table_.count(name) != 0) live.push_back(std::move(name));
    }
    insertion_order_.swap(live);
  }
}

Client* Tracking::find_client(uint64_t id) const {
  const auto it = clients_.find(id);
  return it == clients_.end() ? nullptr : it->second;
}

bool Tracking::live_tracker(uint64_t id, Client*& client) const {
  client = find_client(id);
  return client != nullptr && client->tracking.on;
}

void Tracking::invalidate(std::string_view key, const Client* modifier) {
  if (const auto it = table_.find(std::string(key)); it != table_.end()) {
    const std::set<uint64_t> ids = std::move(it->second);
    table_.erase(it);
    for (uint64_t id : ids) {
      Client* tracker = nullptr;
      if (!live_tracker(id, tracker) || tracker->tracking.bcast) continue;
      if (tracker->tracking.noloop && tracker == modifier) continue;
      const std::string_view one[] = {key};
      send(*tracker, one);
    }
  }
  const uint64_t modifier_id = modifier == nullptr ? 0 : modifier->id;
  for (const auto& [prefix, ids] : prefixes_) {
    if (key.substr(0, prefix.size()) != prefix) continue;
    auto [it, added] = pending_broadcasts_[prefix].try_emplace(std::string(key), modifier_id);
    if (!added && it->second != modifier_id) it->second = 0;
  }
}

void Tracking::send_broadcasts() {
  const auto pending = std::move(pending_broadcasts_);
  pending_broadcasts_.clear();
  std::vector<std::string_view> keys;
  for (const auto& [prefix, changes] : pending) {
    const auto registered = prefixes_.find(prefix);
    if (registered == prefixes_.end()) continue;
    for (uint64_t id : registered->second) {
      Client* tracker = nullptr;
      if (!live_tracker(id, tracker)) continue;
      keys.clear();
      for (const auto& [key, modifier_id] : changes) {
        if (!tracker->tracking.noloop || modifier_id != tracker->id) keys.push_back(key);
      }
      if (!keys.empty()) send(*tracker, keys);
    }
  }
}

void Tracking::invalidate_all() {
  flush_broadcasts();  // changes before the flush are told before it
  table_.clear();
  insertion_order_.clear();
  for (const auto& [id, client] : clients_) {
    if (client->tracking.on) send(*client, std::nullopt);
  }
}

void Tracking::send(Client& tracker, std::optional<std::span<const std::string_view>> keys) {
  Client* target = &tracker;
  if (tracker.tracking.redirect != 0) {
    target = find_client(tracker.tracking.redirect);
    if (target == nullptr) {
      // The redirect client is gone: a RESP3 tracker is told once per invalidation, as Redis.
      if (tracker.resp_version < 3) return;
      std::string bytes;
      protocol::ReplyWriter writer(bytes, 3);
      writer.push(2);
      writer.bulk("tracking-redir-broken");
      writer.integer(static_cast<int64_t>(tracker.tracking.redirect));
      return delivery_.deliver(tracker, bytes, PushDelivery::Placement::after_reply);
    }
  }
  std::string bytes;
  protocol::ReplyWriter writer(bytes, target->resp_version);
  if (target->resp_version >= 3) {
    writer.push(2);
    writer.bulk("invalidate");
  } else {
    // RESP2 has no pushes: only a client subscribed to the invalidation channel hears of it.
    if (target->channels.count(std::string(invalidate_channel)) == 0) return;
    writer.push(3);
    writer.bulk("message");
    writer.bulk(invalidate_channel);
  }
  if (keys) {
    writer.array(keys->size());
    for (const std::string_view key : *keys) writer.bulk(key);
  } else {
    writer.null();
  }
  delivery_.deliver(*target, bytes, PushDelivery::Placement::after_reply);
}

}  // namespace ringcache::server
