#include "core/server/pubsub/pubsub.h"

#include <array>

#include "core/protocol/reply_writer.h"
#include "core/util/assert.h"
#include "core/util/glob.h"

namespace ringcache::server {

PubSub::Registry& PubSub::registry(Kind kind) {
  switch (kind) {
    case Kind::channel: return channels_;
    case Kind::pattern: return patterns_;
    case Kind::shard: return shard_channels_;
  }
  RING_UNREACHABLE();
}

const PubSub::Registry& PubSub::registry(Kind kind) const {
  return const_cast<PubSub*>(this)->registry(kind);
}

std::set<std::string>& PubSub::names_of(Client& client, Kind kind) {
  switch (kind) {
    case Kind::channel: return client.channels;
    case Kind::pattern: return client.patterns;
    case Kind::shard: return client.shard_channels;
  }
  RING_UNREACHABLE();
}

bool PubSub::subscribe(Client& client, Kind kind, std::string_view name) {
  if (!names_of(client, kind).emplace(name).second) return false;
  Registry& names = registry(kind);
  auto it = names.find(name);
  if (it == names.end()) it = names.emplace(std::string(name), Subscribers{}).first;
  it->second[client.id] = &client;
  return true;
}

bool PubSub::unsubscribe(Client& client, Kind kind, std::string_view name) {
  std::set<std::string>& mine = names_of(client, kind);
  const auto own = mine.find(std::string(name));
  if (own == mine.end()) return false;
  mine.erase(own);
  Registry& names = registry(kind);
  const auto it = names.find(name);
  RING_ASSERT_MSG(it != names.end(), "a client's subscription is in the registry");
  it->second.erase(client.id);
  if (it->second.empty()) names.erase(it);
  return true;
}

void PubSub::forget(Client& client) {
  for (Kind kind : {Kind::channel, Kind::pattern, Kind::shard}) {
    while (!names_of(client, kind).empty()) {
      const std::string name = *names_of(client, kind).begin();
      unsubscribe(client, kind, name);
    }
  }
}

// One message, encoded once per protocol version among its receivers.
class EncodedOnce {
 public:
  EncodedOnce(std::string_view kind, std::vector<std::string_view> fields)
      : kind_(kind), fields_(std::move(fields)) {}
  std::string_view for_version(int resp_version) {
    std::string& slot = by_version_[resp_version >= 3 ? 1 : 0];
    if (slot.empty()) {
      protocol::ReplyWriter writer(slot, resp_version);
      writer.push(fields_.size() + 1);
      writer.bulk(kind_);
      for (std::string_view field : fields_) writer.bulk(field);
    }
    return slot;
  }

 private:
  std::string_view kind_;
  std::vector<std::string_view> fields_;
  std::array<std::string, 2> by_version_;
};

size_t PubSub::deliver_to(const Subscribers& subscribers, EncodedOnce& encoded) {
  // A receiver over its output limit is closed by its own fiber later, so the map stays intact.
  for (const auto& [id, client] : subscribers) {
    delivery_.deliver(*client, encoded.for_version(client->resp_version),
                      PushDelivery::Placement::in_line);
  }
  return subscribers.size();
}

size_t PubSub::publish(std::string_view channel, std::string_view message, Kind kind) {
  RING_ASSERT_MSG(kind != Kind::pattern, "messages are published to channels");
  size_t receivers = 0;
  const Registry& names = registry(kind);
  if (const auto it = names.find(channel); it != names.end()) {
    EncodedOnce encoded(kind == Kind::shard ? "smessage" : "message", {channel, message});
    receivers += deliver_to(it->second, encoded);
  }
  if (kind == Kind::shard) return receivers;
  for (const auto& [pattern, subscribers] : patterns_) {
    if (!util::glob_match(pattern, channel)) continue;
    EncodedOnce encoded("pmessage", {pattern, channel, message});
    receivers += deliver_to(subscribers, encoded);
  }
  return receivers;
}

std::vector<std::string> PubSub::active(Kind kind, std::optional<std::string_view> pattern) const {
  std::vector<std::string> names;
  for (const auto& [name, subscribers] : registry(kind)) {
    if (!pattern || util::glob_match(*pattern, name)) names.push_back(name);
  }
  return names;
}

size_t PubSub::subscriber_count(Kind kind, std::string_view channel) const {
  const Registry& names = registry(kind);
  const auto it = names.find(channel);
  return it == names.end() ? 0 : it->second.size();
}

}  // namespace ringcache::server
