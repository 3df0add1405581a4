#include "core/cluster/bus_message.h"

#include <fmt/format.h>

#include "core/cluster/wire.h"
#include "core/constants.h"
#include "core/util/assert.h"

namespace ringcache::cluster {
namespace {

namespace c = constants;
using wire::Reader;
using wire::Writer;

bool is_ip_char(char ch) {
  return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F') ||
         ch == '.' || ch == ':';
}

bool valid_ip(std::string_view ip) {
  if (ip.size() > c::cluster_ip_chars_max) return false;
  for (char ch : ip) {
    if (!is_ip_char(ch)) return false;
  }
  return true;
}

bool has_gossip(MessageType type) {
  return type == MessageType::ping || type == MessageType::pong || type == MessageType::meet;
}

bool has_config(MessageType type) {
  return type == MessageType::config || type == MessageType::vote_request;
}

// Its type always carries one, or it is a refused vote naming the rival it holds.
bool carries_config(const BusMessage& message) {
  return has_config(message.type) || (message.type == MessageType::vote && !message.granted &&
                                      !message.config.members.empty());
}

void append_address(Writer& out, const NodeAddress& node) {
  RING_ASSERT(valid_ip(node.ip));
  out.bytes(node_id_to_bytes(node.node_id));
  out.bytes(node_id_to_bytes(node.shard_id));
  out.u8(static_cast<uint8_t>(node.role));
  out.u8(static_cast<uint8_t>(node.ip.size()));
  out.bytes(node.ip);
  out.u16(node.client_port);
  out.u16(node.bus_port);
}

bool read_id(Reader& in, NodeId& id, const char* field) {
  std::string_view raw;
  if (!in.bytes(raw, c::cluster_node_id_bytes, field)) return false;
  id = node_id_from_bytes(raw);
  return true;
}

bool read_address(Reader& in, NodeAddress& node, const char* what) {
  uint8_t role = 0;
  uint8_t ip_size = 0;
  std::string_view ip;
  if (!read_id(in, node.node_id, what) || !read_id(in, node.shard_id, what) || !in.u8(role, what) ||
      !in.u8(ip_size, what)) {
    return false;
  }
  if (role > static_cast<uint8_t>(NodeRole::replica)) {
    return in.fail(fmt::format("{}: unknown role {}", what, role));
  }
  if (ip_size > c::cluster_ip_chars_max) {
    return in.fail(fmt::format("{}: ip length {} over {}", what, ip_size, c::cluster_ip_chars_max));
  }
  if (!in.bytes(ip, ip_size, what) || !in.u16(node.client_port, what) ||
      !in.u16(node.bus_port, what)) {
    return false;
  }
  if (!valid_ip(ip)) {
    return in.fail(fmt::format("{}: ip has a character outside [0-9a-fA-F.:]", what));
  }
  node.role = static_cast<NodeRole>(role);
  node.ip = std::string(ip);
  return true;
}

bool read_config(Reader& in, ClusterConfig& config) {
  uint16_t count = 0;
  if (!read_id(in, config.cluster_id, "config cluster id") ||
      !in.u64(config.epoch, "config epoch") || !in.u16(count, "config member count")) {
    return false;
  }
  if (count > c::cluster_config_members_max) {
    return in.fail(
        fmt::format("config member count {} over {}", count, c::cluster_config_members_max));
  }
  config.members.resize(count);
  for (size_t i = 0; i < count; ++i) {
    ConfigMember& member = config.members[i];
    uint8_t state = 0;
    if (!read_address(in, member, "config member") || !in.u8(state, "config member state")) {
      return false;
    }
    if (state > member_state_max) {
      return in.fail(fmt::format("config member: unknown state {}", state));
    }
    member.state = static_cast<MemberState>(state);
    if (i > 0 && config.members[i - 1].node_id >= config.members[i].node_id) {
      return in.fail("config members not sorted by node id or repeated");
    }
  }
  return true;
}

bool read_gossip(Reader& in, std::vector<GossipEntry>& gossip) {
  uint8_t count = 0;
  if (!in.u8(count, "gossip count")) return false;
  if (count > c::cluster_gossip_entries_per_message) {
    return in.fail(
        fmt::format("gossip count {} over {}", count, c::cluster_gossip_entries_per_message));
  }
  gossip.resize(count);
  for (GossipEntry& entry : gossip) {
    uint8_t status = 0;
    if (!read_address(in, entry.node, "gossip entry") || !in.u8(status, "gossip status") ||
        !in.u64(entry.incarnation, "gossip incarnation")) {
      return false;
    }
    if (status > node_status_max) return in.fail(fmt::format("gossip status {} unknown", status));
    entry.status = static_cast<NodeStatus>(status);
  }
  return true;
}

void append_body(Writer& out, const BusMessage& message) {
  append_address(out, message.sender);
  out.u64(message.sender_incarnation);
  out.u64(message.config_epoch);
  out.u64(message.config_digest);
  out.u64(message.replication_offset);
  const MessageType type = message.type;
  if (has_gossip(type)) {
    RING_ASSERT(message.gossip.size() <= c::cluster_gossip_entries_per_message);
    out.u32(message.probe_seq);
    out.u8(static_cast<uint8_t>(message.gossip.size()));
    for (const GossipEntry& entry : message.gossip) {
      append_address(out, entry.node);
      out.u8(static_cast<uint8_t>(entry.status));
      out.u64(entry.incarnation);
    }
  } else if (type == MessageType::suspect || type == MessageType::fail) {
    out.bytes(node_id_to_bytes(message.target_id));
    out.u64(message.target_incarnation);
  } else if (type == MessageType::vote) {
    out.u64(message.vote_epoch);
    out.u64(message.vote_digest);
    // 0: refused, 1: granted, 2: refused for the rival proposal that follows.
    out.u8(message.granted ? 1 : carries_config(message) ? 2 : 0);
  }
}

bool read_body(Reader& in, BusMessage& message) {
  if (!read_address(in, message.sender, "sender") ||
      !in.u64(message.sender_incarnation, "sender incarnation") ||
      !in.u64(message.config_epoch, "config epoch") ||
      !in.u64(message.config_digest, "config digest") ||
      !in.u64(message.replication_offset, "replication offset")) {
    return false;
  }
  const MessageType type = message.type;
  if (has_gossip(type)) {
    return in.u32(message.probe_seq, "probe seq") && read_gossip(in, message.gossip);
  }
  if (type == MessageType::suspect || type == MessageType::fail) {
    return read_id(in, message.target_id, "target id") &&
           in.u64(message.target_incarnation, "target incarnation");
  }
  if (has_config(type)) return read_config(in, message.config);
  if (type == MessageType::vote) {
    uint8_t answer = 0;
    if (!in.u64(message.vote_epoch, "vote epoch") || !in.u64(message.vote_digest, "vote digest") ||
        !in.u8(answer, "vote answer")) {
      return false;
    }
    if (answer > 2) return in.fail(fmt::format("vote answer {} is not 0, 1 or 2", answer));
    message.granted = answer == 1;
    if (answer != 2) return true;
    if (!read_config(in, message.config)) return false;
    if (message.config.members.empty()) return in.fail("vote refused for a rival without one");
  }
  return true;
}

struct Header {
  uint32_t magic = 0;
  uint8_t version = 0;
  uint8_t type = 0;
  uint16_t flags = 0;
  uint32_t body_bytes = 0;
  uint32_t checksum = 0;
};

Status check_header(const Header& header, size_t size) {
  if (header.magic != c::cluster_bus_magic) return {Errc::corrupt, "bad magic"};
  if (header.version != c::cluster_bus_version) {
    return {Errc::corrupt, fmt::format("unsupported version {}", header.version)};
  }
  if (header.type == 0 || header.type > message_type_max) {
    return {Errc::corrupt, fmt::format("unknown message type {}", header.type)};
  }
  if (header.flags != 0) {
    return {Errc::corrupt, fmt::format("reserved flags {:#x} set", header.flags)};
  }
  if (header.body_bytes != size - c::cluster_bus_header_bytes) {
    return {Errc::corrupt, fmt::format("body length {} but {} bytes follow the header",
                                       header.body_bytes, size - c::cluster_bus_header_bytes)};
  }
  return Status::ok();
}

}  // namespace

const char* message_type_name(MessageType type) {
  switch (type) {
    case MessageType::ping:
      return "ping";
    case MessageType::pong:
      return "pong";
    case MessageType::meet:
      return "meet";
    case MessageType::suspect:
      return "suspect";
    case MessageType::fail:
      return "fail";
    case MessageType::config_request:
      return "config_request";
    case MessageType::config:
      return "config";
    case MessageType::vote_request:
      return "vote_request";
    case MessageType::vote:
      return "vote";
    case MessageType::failover_request:
      return "failover_request";
    case MessageType::failover_ready:
      return "failover_ready";
  }
  return "unknown";
}

const char* node_status_name(NodeStatus status) {
  switch (status) {
    case NodeStatus::alive:
      return "alive";
    case NodeStatus::suspect:
      return "suspect";
    case NodeStatus::failed:
      return "failed";
    case NodeStatus::left:
      return "left";
  }
  return "unknown";
}

void append_config(std::string& out, const ClusterConfig& config) {
  RING_ASSERT(config.members.size() <= c::cluster_config_members_max);
  Writer writer(out);
  writer.bytes(node_id_to_bytes(config.cluster_id));
  writer.u64(config.epoch);
  writer.u16(static_cast<uint16_t>(config.members.size()));
  for (const ConfigMember& member : config.members) {
    append_address(writer, member);
    writer.u8(static_cast<uint8_t>(member.state));
  }
}

std::string encode_bus_message(const BusMessage& message) {
  std::string body;
  Writer body_writer(body);
  append_body(body_writer, message);
  if (carries_config(message)) append_config(body, message.config);
  RING_ASSERT(body.size() + c::cluster_bus_header_bytes <= c::cluster_bus_message_bytes_max);
  std::string out;
  out.reserve(c::cluster_bus_header_bytes + body.size());
  Writer writer(out);
  writer.u32(c::cluster_bus_magic);
  writer.u8(c::cluster_bus_version);
  writer.u8(static_cast<uint8_t>(message.type));
  writer.u16(0);
  writer.u32(static_cast<uint32_t>(body.size()));
  writer.u32(wire::fnv1a32(body));
  out += body;
  return out;
}

Result<BusMessage> decode_bus_message(std::string_view bytes) {
  if (bytes.size() < c::cluster_bus_header_bytes) {
    return Status(Errc::corrupt, fmt::format("{} bytes: shorter than the header", bytes.size()));
  }
  if (bytes.size() > c::cluster_bus_message_bytes_max) {
    return Status(Errc::corrupt, fmt::format("{} bytes: over the message limit", bytes.size()));
  }
  Reader head(bytes.substr(0, c::cluster_bus_header_bytes));
  Header header;
  (void)(head.u32(header.magic, "magic") && head.u8(header.version, "version") &&
         head.u8(header.type, "type") && head.u16(header.flags, "flags") &&
         head.u32(header.body_bytes, "length") && head.u32(header.checksum, "checksum"));
  if (Status status = check_header(header, bytes.size()); !status) return status;
  const std::string_view body = bytes.substr(c::cluster_bus_header_bytes);
  if (wire::fnv1a32(body) != header.checksum) return Status(Errc::corrupt, "checksum mismatch");
  BusMessage message;
  message.type = static_cast<MessageType>(header.type);
  Reader in(body);
  if (!read_body(in, message)) return Status(Errc::corrupt, in.error());
  if (in.remaining() != 0) {
    return Status(Errc::corrupt, fmt::format("{} bytes after the {} body", in.remaining(),
                                             message_type_name(message.type)));
  }
  return message;
}

}  // namespace ringcache::cluster
