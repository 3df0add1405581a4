#pragma once
// The node's pub/sub registry: who listens to which channel or pattern, and PUBLISH's fan-out.
// Subscribers are kept by client id, so delivery order and PUBSUB listings are deterministic.
// Delivery goes through PushDelivery, so a publisher never waits for a slow subscriber.
//
// Shard channels (SSUBSCRIBE/SPUBLISH) are a separate namespace; on one node they behave as
// plain channels otherwise, as in a Redis Cluster node that owns every slot.

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/server/clients/client.h"
#include "core/server/pubsub/push_delivery.h"

namespace ringcache::server {

class EncodedOnce;

class PubSub {
 public:
  enum class Kind { channel, pattern, shard };

  explicit PubSub(PushDelivery& delivery) : delivery_(delivery) {}

  // Adds or removes one subscription of `client`; false when it was already so.
  bool subscribe(Client& client, Kind kind, std::string_view name);
  bool unsubscribe(Client& client, Kind kind, std::string_view name);
  // Drops every subscription of `client` (disconnect, RESET) without replying.
  void forget(Client& client);

  // Sends `message` to the subscribers of `channel` (and, unless shard, of the patterns that
  // match it); returns how many clients received it, as PUBLISH answers.
  size_t publish(std::string_view channel, std::string_view message, Kind kind = Kind::channel);

  // PUBSUB CHANNELS/SHARDCHANNELS: active channels matching `pattern` (all when absent).
  std::vector<std::string> active(Kind kind, std::optional<std::string_view> pattern) const;
  // PUBSUB NUMSUB/SHARDNUMSUB: subscribers of one channel.
  size_t subscriber_count(Kind kind, std::string_view channel) const;
  // PUBSUB NUMPAT: distinct patterns with at least one subscriber.
  size_t pattern_count() const { return patterns_.size(); }

 private:
  using Subscribers = std::map<uint64_t, Client*>;
  using Registry = std::map<std::string, Subscribers, std::less<>>;

  Registry& registry(Kind kind);
  const Registry& registry(Kind kind) const;
  static std::set<std::string>& names_of(Client& client, Kind kind);
  size_t deliver_to(const Subscribers& subscribers, EncodedOnce& encoded);

  PushDelivery& delivery_;
  Registry channels_;
  Registry patterns_;
  Registry shard_channels_;
};


}  // namespace ringcache::server
