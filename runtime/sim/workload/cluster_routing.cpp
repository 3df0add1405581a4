#include "runtime/sim/workload/cluster_routing.h"

#include <charconv>

#include "core/constants.h"

namespace ringcache::sim {
namespace {

std::optional<int64_t> to_number(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// "MOVED 3999 10.0.0.2:6379" / "ASK ...": the slot and the address after the word.
std::optional<ClusterRedirect> parse_target(std::string_view rest, ClusterRedirect::Kind kind) {
  const size_t space = rest.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  auto slot = to_number(rest.substr(0, space));
  if (!slot || *slot < 0 || *slot >= static_cast<int64_t>(constants::cluster_slots)) {
    return std::nullopt;
  }
  std::string_view address = rest.substr(space + 1);
  if (const size_t end = address.find(' '); end != std::string_view::npos) {
    address = address.substr(0, end);
  }
  return ClusterRedirect{kind, static_cast<uint16_t>(*slot), std::string(address)};
}

}  // namespace

std::optional<ClusterRedirect> parse_redirect(std::string_view error) {
  if (starts_with(error, "MOVED ")) {
    return parse_target(error.substr(6), ClusterRedirect::Kind::moved);
  }
  if (starts_with(error, "ASK ")) return parse_target(error.substr(4), ClusterRedirect::Kind::ask);
  if (starts_with(error, "CLUSTERDOWN") || starts_with(error, "TRYAGAIN")) {
    return ClusterRedirect{ClusterRedirect::Kind::retry, 0, {}};
  }
  return std::nullopt;
}

SlotBelief::SlotBelief(std::vector<std::string> addresses) : owners_(constants::cluster_slots, -1) {
  for (size_t i = 0; i < addresses.size(); ++i) nodes_[addresses[i]] = static_cast<int>(i);
}

std::optional<int> SlotBelief::owner(uint16_t slot) const {
  const int16_t node = owners_[slot];
  if (node < 0) return std::nullopt;
  return node;
}

std::optional<int> SlotBelief::node_at(std::string_view address) const {
  auto found = nodes_.find(address);
  if (found == nodes_.end()) return std::nullopt;
  return found->second;
}

// Each entry: [first, last, [ip, port, id, ...], replicas...]; the first address serves.
bool SlotBelief::learn_cluster_slots(const RespValue& reply) {
  if (reply.type != RespValue::Type::array) return false;
  std::vector<int16_t> owners(constants::cluster_slots, -1);
  for (const RespValue& entry : reply.items) {
    if (entry.type != RespValue::Type::array || entry.items.size() < 3) return false;
    const RespValue& primary = entry.items[2];
    if (primary.type != RespValue::Type::array || primary.items.size() < 2) return false;
    const int64_t first = entry.items[0].integer;
    const int64_t last = entry.items[1].integer;
    if (first < 0 || last < first || last >= static_cast<int64_t>(constants::cluster_slots)) {
      return false;
    }
    const std::string address =
        primary.items[0].text + ":" + std::to_string(primary.items[1].integer);
    const std::optional<int> node = node_at(address);
    for (int64_t slot = first; slot <= last; ++slot) {
      owners[static_cast<size_t>(slot)] = static_cast<int16_t>(node.value_or(-1));
    }
  }
  owners_ = std::move(owners);
  return true;
}

}  // namespace ringcache::sim
