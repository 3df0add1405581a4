#include "core/cluster/node_id.h"

#include "core/constants.h"
#include "core/util/assert.h"

namespace ringcache::cluster {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

int lowercase_hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

bool is_valid_node_id(std::string_view id) {
  if (id.size() != constants::cluster_node_id_hex_chars) return false;
  for (char c : id) {
    if (lowercase_hex_value(c) < 0) return false;
  }
  return true;
}

NodeId random_node_id(Rng& rng) {
  NodeId id;
  id.reserve(constants::cluster_node_id_hex_chars);
  for (size_t i = 0; i < constants::cluster_node_id_hex_chars; ++i)
    id.push_back(hex_digits[rng.below(16)]);
  return id;
}

std::string node_id_to_bytes(std::string_view id) {
  RING_ASSERT(is_valid_node_id(id));
  std::string raw(constants::cluster_node_id_bytes, '\0');
  for (size_t i = 0; i < raw.size(); ++i) {
    const int high = lowercase_hex_value(id[2 * i]);
    const int low = lowercase_hex_value(id[2 * i + 1]);
    raw[i] = static_cast<char>(high * 16 + low);
  }
  return raw;
}

NodeId node_id_from_bytes(std::string_view raw) {
  RING_ASSERT(raw.size() == constants::cluster_node_id_bytes);
  NodeId id;
  id.reserve(constants::cluster_node_id_hex_chars);
  for (char c : raw) {
    const auto byte = static_cast<uint8_t>(c);
    id.push_back(hex_digits[byte >> 4]);
    id.push_back(hex_digits[byte & 0xf]);
  }
  return id;
}

}  // namespace ringcache::cluster
