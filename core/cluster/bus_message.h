#pragma once
// Messages of the cluster bus, one per datagram, and their versioned binary encoding
// (docs/cluster-bus.md, byte by byte). decode_bus_message accepts exactly what encode_bus_message
// produces: re-encoding a decoded message gives back the same bytes.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/cluster/cluster_config.h"
#include "core/util/status.h"

namespace ringcache::cluster {

enum class MessageType : uint8_t {
  ping = 1,            // probe; answered by pong
  pong = 2,            // answer to ping or meet
  meet = 3,            // ping from a joining node: the receiver adds the sender
  suspect = 4,         // "I suspect target" (PFAIL), sent to the target's fail collectors
  fail = 5,            // "target is declared failed", broadcast
  config_request = 6,  // "send me your configuration"
  config = 7,          // a committed configuration
  vote_request = 8,    // "vote for this proposal"; base = the sender's config epoch and digest
  vote = 9,            // answer to vote_request
  // CLUSTER FAILOVER: a replica asks its primary to pause writes; the primary answers, once they
  // are paused, with failover_ready, whose header carries the offset the replica must reach.
  failover_request = 10,
  failover_ready = 11,
};
inline constexpr uint8_t message_type_max = 11;
const char* message_type_name(MessageType type);

// How a node sees another: status (its own observation) and incarnation (bumped by the node
// itself to refute a suspicion or when it rejoins; a higher incarnation overrides older news).
enum class NodeStatus : uint8_t { alive = 0, suspect = 1, failed = 2, left = 3 };
inline constexpr uint8_t node_status_max = 3;
const char* node_status_name(NodeStatus status);

struct GossipEntry {
  NodeAddress node;
  NodeStatus status = NodeStatus::alive;
  uint64_t incarnation = 0;
  bool operator==(const GossipEntry&) const = default;
};

struct BusMessage {
  MessageType type = MessageType::ping;
  // Every message: who sends it and which configuration it holds.
  NodeAddress sender;
  uint64_t sender_incarnation = 0;
  uint64_t config_epoch = 0;
  uint64_t config_digest = 0;
  // The last byte of the replication stream the sender produced (a primary) or applied (a
  // replica): how a failed primary's replicas are ranked.
  uint64_t replication_offset = 0;
  // ping, pong, meet: the probe's sequence number (a pong echoes its ping's) and gossip.
  uint32_t probe_seq = 0;
  std::vector<GossipEntry> gossip;
  // suspect, fail: about whom.
  NodeId target_id;
  uint64_t target_incarnation = 0;
  // config: the committed configuration; vote_request: the proposed one; vote (a refusal,
  // optional): the rival proposal the voter holds a vote for, which the request did not keep.
  ClusterConfig config;
  // vote: for which proposal, and the answer.
  uint64_t vote_epoch = 0;
  uint64_t vote_digest = 0;
  bool granted = false;

  bool operator==(const BusMessage&) const = default;
};

// The bytes of `message`. Asserts the message respects the limits (valid ids, bounded counts).
std::string encode_bus_message(const BusMessage& message);
// The message in `bytes`, or Errc::corrupt with what is wrong.
Result<BusMessage> decode_bus_message(std::string_view bytes);

// The encoding of a configuration inside config and vote_request messages (also what its
// digest covers).
void append_config(std::string& out, const ClusterConfig& config);

}  // namespace ringcache::cluster
