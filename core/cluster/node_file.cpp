#include "core/cluster/node_file.h"

#include <fmt/format.h>

#include <charconv>
#include <vector>

namespace ringcache::cluster {
namespace {

constexpr std::string_view file_magic = "ringcache-cluster-file";
// Version 2 adds each member's state; a version 1 file's members are active.
constexpr uint64_t file_version = 2;

std::vector<std::string_view> words_of(std::string_view line) {
  std::vector<std::string_view> words;
  size_t start = 0;
  while (start < line.size()) {
    const size_t begin = line.find_first_not_of(' ', start);
    if (begin == std::string_view::npos) break;
    const size_t end = std::min(line.find(' ', begin), line.size());
    words.push_back(line.substr(begin, end - begin));
    start = end;
  }
  return words;
}

bool parse_u64(std::string_view text, uint64_t& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && !text.empty();
}

bool parse_port(std::string_view text, uint16_t& out) {
  uint64_t value = 0;
  if (!parse_u64(text, value) || value > 65535) return false;
  out = static_cast<uint16_t>(value);
  return true;
}

bool parse_state(std::string_view word, MemberState& state) {
  for (uint8_t value = 0; value <= member_state_max; ++value) {
    if (word == member_state_name(static_cast<MemberState>(value))) {
      state = static_cast<MemberState>(value);
      return true;
    }
  }
  return false;
}

bool parse_member(const std::vector<std::string_view>& words, ConfigMember& member) {
  if (words.size() != 7 && words.size() != 8) return false;
  if (words.size() == 8 && !parse_state(words[7], member.state)) return false;
  member.node_id = std::string(words[1]);
  member.shard_id = std::string(words[2]);
  if (!is_valid_node_id(member.node_id) || !is_valid_node_id(member.shard_id)) return false;
  if (words[3] == "primary") {
    member.role = NodeRole::primary;
  } else if (words[3] == "replica") {
    member.role = NodeRole::replica;
  } else {
    return false;
  }
  member.ip = words[4] == "-" ? "" : std::string(words[4]);
  return parse_port(words[5], member.client_port) && parse_port(words[6], member.bus_port);
}

// Applies one line's item to `file`; false when the line is malformed.
bool apply_line(const std::vector<std::string_view>& words, NodeFile& file) {
  const std::string_view key = words[0];
  if (key == "member") {
    ConfigMember member;
    if (!parse_member(words, member)) return false;
    file.config.members.push_back(std::move(member));
    return true;
  }
  if (words.size() != 2) return false;
  const std::string_view value = words[1];
  if (key == "myid") {
    file.my_id = std::string(value);
    return is_valid_node_id(value);
  }
  if (key == "shard") {
    file.shard_id = std::string(value);
    return is_valid_node_id(value);
  }
  if (key == "cluster") {
    file.config.cluster_id = value == "-" ? "" : std::string(value);
    return value == "-" || is_valid_node_id(value);
  }
  if (key == "incarnation") return parse_u64(value, file.incarnation);
  if (key == "last-voted-epoch") return parse_u64(value, file.last_voted_epoch);
  if (key == "epoch") return parse_u64(value, file.config.epoch);
  return false;
}

Status corrupt(size_t line_number, std::string_view why) {
  return Status(Errc::corrupt, fmt::format("cluster config file line {}: {}", line_number, why));
}

}  // namespace

std::string format_node_file(const NodeFile& file) {
  std::string text;
  auto out = std::back_inserter(text);
  fmt::format_to(out, "# Written by the node; it keeps its identity across restarts.\n");
  fmt::format_to(out, "{} {}\n", file_magic, file_version);
  fmt::format_to(out, "myid {}\nshard {}\n", file.my_id, file.shard_id);
  fmt::format_to(out, "incarnation {}\nlast-voted-epoch {}\n", file.incarnation,
                 file.last_voted_epoch);
  const std::string& cluster_id = file.config.cluster_id;
  fmt::format_to(out, "cluster {}\nepoch {}\n", cluster_id.empty() ? "-" : cluster_id,
                 file.config.epoch);
  for (const ConfigMember& member : file.config.members) {
    fmt::format_to(out, "member {} {} {} {} {} {} {}\n", member.node_id, member.shard_id,
                   member.role == NodeRole::primary ? "primary" : "replica",
                   member.ip.empty() ? "-" : member.ip, member.client_port, member.bus_port,
                   member_state_name(member.state));
  }
  return text;
}

Result<NodeFile> parse_node_file(std::string_view text) {
  NodeFile file;
  size_t line_number = 0;
  bool saw_magic = false;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    ++line_number;
    const std::vector<std::string_view> words = words_of(line);
    if (words.empty() || words[0].starts_with('#')) continue;
    if (!saw_magic) {
      uint64_t version = 0;
      if (words.size() != 2 || words[0] != file_magic || !parse_u64(words[1], version) ||
          version < 1 || version > file_version) {
        return corrupt(line_number, "not a ringcache cluster file of a known version");
      }
      saw_magic = true;
      continue;
    }
    if (!apply_line(words, file)) return corrupt(line_number, fmt::format("bad line '{}'", line));
  }
  if (!saw_magic || file.my_id.empty() || file.shard_id.empty()) {
    return corrupt(line_number, "incomplete: no magic line, myid or shard");
  }
  if (file.config.epoch == 0 && !file.config.members.empty()) {
    return corrupt(line_number, "members without an epoch");
  }
  return file;
}

}  // namespace ringcache::cluster
