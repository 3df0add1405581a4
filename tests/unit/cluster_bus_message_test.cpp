// The cluster bus codec (core/cluster/bus_message.h): every message type round-trips byte for
// byte, and each kind of malformed input is rejected with an error naming what is wrong.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/cluster/bus_message.h"
#include "core/cluster/wire.h"
#include "core/constants.h"
#include "core/util/rng.h"

namespace ringcache::cluster {
namespace {

namespace c = constants;

NodeAddress address(Rng& rng, std::string ip = "10.1.2.3") {
  NodeAddress node;
  node.node_id = random_node_id(rng);
  node.shard_id = random_node_id(rng);
  node.role = rng.chance(0.5) ? NodeRole::primary : NodeRole::replica;
  node.ip = std::move(ip);
  node.client_port = static_cast<uint16_t>(rng.below(65536));
  node.bus_port = static_cast<uint16_t>(rng.below(65536));
  return node;
}

BusMessage base(MessageType type, Rng& rng) {
  BusMessage message;
  message.type = type;
  message.sender = address(rng, "fe80::1");
  message.sender_incarnation = rng.next_u64();
  message.config_epoch = rng.next_u64();
  message.config_digest = rng.next_u64();
  message.replication_offset = rng.next_u64();
  return message;
}

ClusterConfig config_of(size_t members, Rng& rng) {
  ClusterConfig config;
  config.cluster_id = random_node_id(rng);
  config.epoch = 1 + rng.below(1000);
  for (size_t i = 0; i < members; ++i) config.members.push_back(address(rng));
  std::sort(config.members.begin(), config.members.end(),
            [](const auto& a, const auto& b) { return a.node_id < b.node_id; });
  return config;
}

std::vector<BusMessage> one_of_each(Rng& rng) {
  std::vector<BusMessage> all;
  for (MessageType type : {MessageType::ping, MessageType::pong, MessageType::meet}) {
    BusMessage message = base(type, rng);
    message.probe_seq = static_cast<uint32_t>(rng.next_u64());
    for (size_t i = 0; i < c::cluster_gossip_entries_per_message; ++i) {
      message.gossip.push_back(GossipEntry{address(rng, i == 0 ? "" : "192.168.0.1"),
                                           static_cast<NodeStatus>(i % (node_status_max + 1)),
                                           rng.next_u64()});
    }
    all.push_back(message);
  }
  for (MessageType type : {MessageType::suspect, MessageType::fail}) {
    BusMessage message = base(type, rng);
    message.target_id = random_node_id(rng);
    message.target_incarnation = rng.next_u64();
    all.push_back(message);
  }
  for (MessageType type : {MessageType::config_request, MessageType::failover_request,
                           MessageType::failover_ready}) {
    all.push_back(base(type, rng));
  }
  for (MessageType type : {MessageType::config, MessageType::vote_request}) {
    BusMessage message = base(type, rng);
    message.config = config_of(7, rng);
    all.push_back(message);
  }
  BusMessage vote = base(MessageType::vote, rng);
  vote.vote_epoch = 12;
  vote.vote_digest = rng.next_u64();
  vote.granted = true;
  all.push_back(vote);
  BusMessage refusal = vote;  // refused for a rival proposal the voter holds
  refusal.granted = false;
  refusal.config = config_of(3, rng);
  all.push_back(refusal);
  return all;
}

// Rewrites the header's length and checksum so a test reaches the body check it aims at.
void reseal(std::string& bytes) {
  const std::string body = bytes.substr(c::cluster_bus_header_bytes);
  std::string header;
  wire::Writer writer(header);
  writer.u32(static_cast<uint32_t>(body.size()));
  writer.u32(wire::fnv1a32(body));
  bytes.replace(8, 8, header);
}

std::string error_of(std::string_view bytes) {
  Result<BusMessage> decoded = decode_bus_message(bytes);
  EXPECT_FALSE(decoded.is_ok());
  if (decoded.is_ok()) return "";
  EXPECT_EQ(decoded.code(), Errc::corrupt);
  return decoded.status().message();
}

TEST(ClusterBusMessage, MemberStatesRoundTripAndUnknownOnesAreRefused) {
  Rng rng(11);
  BusMessage message;
  message.type = MessageType::config;
  message.sender = address(rng);
  message.config.cluster_id = message.sender.node_id;
  message.config.epoch = 3;
  for (MemberState state : {MemberState::active, MemberState::joining, MemberState::leaving}) {
    message.config.members.push_back(ConfigMember(address(rng), state));
  }
  std::sort(message.config.members.begin(), message.config.members.end(),
            [](const ConfigMember& a, const ConfigMember& b) { return a.node_id < b.node_id; });
  const std::string bytes = encode_bus_message(message);
  Result<BusMessage> decoded = decode_bus_message(bytes);
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
  EXPECT_EQ(decoded.value().config, message.config);
  std::string bad = bytes;
  bad.back() = 7;  // the last member's state is the body's last byte
  reseal(bad);
  EXPECT_EQ(error_of(bad), "config member: unknown state 7");
}

TEST(ClusterBusMessage, EveryTypeRoundTripsByteForByte) {
  Rng rng(7);
  for (const BusMessage& message : one_of_each(rng)) {
    const std::string bytes = encode_bus_message(message);
    Result<BusMessage> decoded = decode_bus_message(bytes);
    ASSERT_TRUE(decoded.is_ok()) << message_type_name(message.type) << ": "
                                 << decoded.status().message();
    EXPECT_EQ(decoded.value(), message) << message_type_name(message.type);
    EXPECT_EQ(encode_bus_message(decoded.value()), bytes);
  }
}

TEST(ClusterBusMessage, PingSizeStaysSmall) {
  Rng rng(1);
  BusMessage ping = base(MessageType::ping, rng);
  ping.sender.ip = "10.0.0.1";
  // The steady-state ping: header, sender, config summary, probe sequence, no gossip.
  EXPECT_LE(encode_bus_message(ping).size(), 110u);
}

TEST(ClusterBusMessage, LargestConfigFitsInOneDatagram) {
  Rng rng(2);
  for (MessageType type : {MessageType::config, MessageType::vote_request, MessageType::vote}) {
    BusMessage message = base(type, rng);
    message.config = config_of(c::cluster_config_members_max, rng);
    for (auto& member : message.config.members) {
      member.ip = std::string(c::cluster_ip_chars_max, '1');
    }
    const std::string bytes = encode_bus_message(message);
    EXPECT_LE(bytes.size(), c::cluster_bus_message_bytes_max) << message_type_name(type);
    EXPECT_TRUE(decode_bus_message(bytes).is_ok()) << message_type_name(type);
  }
}

TEST(ClusterBusMessage, HeaderDamageIsNamed) {
  Rng rng(3);
  const std::string good = encode_bus_message(base(MessageType::config_request, rng));
  EXPECT_NE(error_of("").find("shorter than the header"), std::string::npos);
  EXPECT_NE(error_of(good.substr(0, 15)).find("shorter than the header"), std::string::npos);
  std::string bad = good;
  bad[0] ^= 1;
  EXPECT_EQ(error_of(bad), "bad magic");
  bad = good;
  bad[4] = 4;
  EXPECT_EQ(error_of(bad), "unsupported version 4");
  bad[4] = 2;  // before replication offsets
  EXPECT_EQ(error_of(bad), "unsupported version 2");
  bad[4] = 1;  // before member states
  EXPECT_EQ(error_of(bad), "unsupported version 1");
  bad = good;
  bad[5] = 0;
  EXPECT_EQ(error_of(bad), "unknown message type 0");
  bad[5] = static_cast<char>(message_type_max + 1);
  EXPECT_EQ(error_of(bad), "unknown message type 12");
  bad = good;
  bad[6] = 1;
  EXPECT_EQ(error_of(bad), "reserved flags 0x1 set");
  bad = good + "x";
  EXPECT_NE(error_of(bad).find("body length"), std::string::npos);
  bad = good;
  bad.back() ^= 0x40;
  EXPECT_EQ(error_of(bad), "checksum mismatch");
  EXPECT_NE(error_of(std::string(c::cluster_bus_message_bytes_max + 1, 'x'))
                .find("over the message limit"),
            std::string::npos);
}

TEST(ClusterBusMessage, EveryTruncationIsRejected) {
  Rng rng(4);
  for (const BusMessage& message : one_of_each(rng)) {
    const std::string good = encode_bus_message(message);
    for (size_t size = c::cluster_bus_header_bytes; size < good.size(); ++size) {
      std::string cut = good.substr(0, size);
      reseal(cut);
      EXPECT_NE(error_of(cut).find("truncated in"), std::string::npos)
          << message_type_name(message.type) << " cut at " << size;
    }
    std::string longer = good + "\x01";
    reseal(longer);
    EXPECT_NE(error_of(longer).find("bytes after the"), std::string::npos);
  }
}

// Offsets in a ping's body: sender block = id 20, shard 20, role 1, ip length 1, ip, ports 4.
TEST(ClusterBusMessage, BadFieldValuesAreNamed) {
  Rng rng(5);
  BusMessage ping = base(MessageType::ping, rng);
  ping.sender.ip = "1.2.3.4";
  ping.gossip.push_back(GossipEntry{address(rng, "5.6.7.8"), NodeStatus::alive, 1});
  const std::string good = encode_bus_message(ping);
  const size_t body = c::cluster_bus_header_bytes;
  const size_t role_at = body + 40;
  const size_t ip_at = role_at + 2;
  const size_t sender_end = ip_at + 7 + 4 + 8;
  const size_t gossip_count_at = sender_end + 24 + 4;  // epoch, digest, offset, probe seq
  const size_t status_at = gossip_count_at + 1 + 40 + 2 + 7 + 4;

  std::string bad = good;
  bad[role_at] = 2;
  reseal(bad);
  EXPECT_EQ(error_of(bad), "sender: unknown role 2");
  bad = good;
  bad[ip_at] = 'x';
  reseal(bad);
  EXPECT_EQ(error_of(bad), "sender: ip has a character outside [0-9a-fA-F.:]");
  bad = good;
  bad[role_at + 1] = static_cast<char>(c::cluster_ip_chars_max + 1);
  reseal(bad);
  EXPECT_EQ(error_of(bad), "sender: ip length 47 over 46");
  bad = good;
  bad[gossip_count_at] = static_cast<char>(c::cluster_gossip_entries_per_message + 1);
  reseal(bad);
  EXPECT_EQ(error_of(bad), "gossip count 5 over 4");
  bad = good;
  bad[status_at] = 4;
  reseal(bad);
  EXPECT_EQ(error_of(bad), "gossip status 4 unknown");
}

TEST(ClusterBusMessage, ConfigMembersMustBeSortedAndBounded) {
  Rng rng(6);
  BusMessage message = base(MessageType::config, rng);
  message.config = config_of(2, rng);
  for (auto& member : message.config.members) member.ip = "1.1.1.1";
  const std::string good = encode_bus_message(message);
  // A member: two ids, role, ip length, ip, two ports, state.
  const size_t member_bytes = 40 + 2 + 7 + 4 + 1;
  const size_t count_at = good.size() - 2 * member_bytes - 2;
  std::string bad = good;
  // Swap the two members: same bytes, wrong order.
  const std::string first = good.substr(count_at + 2, member_bytes);
  const std::string second = good.substr(count_at + 2 + member_bytes, member_bytes);
  bad.replace(count_at + 2, member_bytes, second);
  bad.replace(count_at + 2 + member_bytes, member_bytes, first);
  reseal(bad);
  EXPECT_EQ(error_of(bad), "config members not sorted by node id or repeated");
  bad = good;
  bad.replace(count_at + 2 + member_bytes, member_bytes, first);
  reseal(bad);
  EXPECT_EQ(error_of(bad), "config members not sorted by node id or repeated");
  bad = good;
  bad[count_at] = static_cast<char>((c::cluster_config_members_max + 1) & 0xff);
  bad[count_at + 1] = static_cast<char>((c::cluster_config_members_max + 1) >> 8);
  reseal(bad);
  EXPECT_EQ(error_of(bad), "config member count 501 over 500");
}

TEST(ClusterBusMessage, VoteAnswerIsRefusedGrantedOrRefusedForARival) {
  Rng rng(8);
  BusMessage vote = base(MessageType::vote, rng);
  std::string bad = encode_bus_message(vote);
  bad.back() = 3;
  reseal(bad);
  EXPECT_EQ(error_of(bad), "vote answer 3 is not 0, 1 or 2");
  // A refusal naming a rival must name one (an empty configuration would re-encode as 0).
  std::string empty = encode_bus_message(vote);
  empty.back() = 2;
  ClusterConfig no_members;
  no_members.cluster_id = vote.sender.node_id;
  append_config(empty, no_members);
  reseal(empty);
  EXPECT_EQ(error_of(empty), "vote refused for a rival without one");
}

// Random damage never crashes the decoder, and whatever still decodes re-encodes to the same
// bytes (the fuzz target's property, run here on every build).
TEST(ClusterBusMessage, MutatedBytesDecodeCanonicallyOrFail) {
  Rng rng(9);
  const std::vector<BusMessage> all = one_of_each(rng);
  size_t decoded_count = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string bytes = encode_bus_message(all[rng.below(all.size())]);
    const int flips = 1 + static_cast<int>(rng.below(3));
    for (int i = 0; i < flips; ++i) {
      bytes[rng.below(bytes.size())] = static_cast<char>(rng.below(256));
    }
    if (rng.chance(0.3)) bytes.resize(rng.below(bytes.size() + 1));
    if (bytes.size() >= c::cluster_bus_header_bytes && rng.chance(0.8)) reseal(bytes);
    Result<BusMessage> decoded = decode_bus_message(bytes);
    if (!decoded.is_ok()) {
      EXPECT_FALSE(decoded.status().message().empty());
      continue;
    }
    ++decoded_count;
    EXPECT_EQ(encode_bus_message(decoded.value()), bytes);
  }
  EXPECT_GT(decoded_count, 0u);
}

TEST(ClusterConfig, DigestSeparatesConfigurationsAndChangesAreIdempotent) {
  Rng rng(10);
  ClusterConfig config = config_of(3, rng);
  const ConfigMember joining = address(rng);
  const ClusterConfig added = apply_change(config, ConfigChange::adding(joining), 5);
  EXPECT_EQ(added.members.size(), 4u);
  EXPECT_TRUE(change_applied(added, ConfigChange::adding(joining)));
  EXPECT_EQ(apply_change(added, ConfigChange::adding(joining), 5), added);
  ClusterConfig same_epoch = config;
  same_epoch.epoch = 5;
  EXPECT_NE(config_digest(added), config_digest(same_epoch));
  EXPECT_NE(config_digest(config), config_digest(same_epoch));
  ConfigChange removal = ConfigChange::removing(joining);
  const ClusterConfig removed = apply_change(added, removal, 6);
  EXPECT_EQ(removed.members, config.members);
  EXPECT_TRUE(change_applied(removed, removal));
  EXPECT_TRUE(std::is_sorted(added.members.begin(), added.members.end(),
                             [](const auto& a, const auto& b) { return a.node_id < b.node_id; }));
  // A majority is of the primaries (the members' roles are drawn at random here).
  EXPECT_EQ(config.majority(), config.primary_count() / 2 + 1);
  EXPECT_EQ(added.primary_count(),
            config.primary_count() + (joining.role == NodeRole::primary ? 1 : 0));
  EXPECT_EQ(added.majority(), added.primary_count() / 2 + 1);
}

}  // namespace
}  // namespace ringcache::cluster
