#pragma once
// Node identity: 40 lowercase hex characters (160 random bits, as Redis Cluster's node ids). A
// shard's id is its primary's node id. On the bus an id travels as its 20 raw bytes.

#include <string>
#include <string_view>

#include "core/util/rng.h"

namespace ringcache::cluster {

using NodeId = std::string;

bool is_valid_node_id(std::string_view id);
NodeId random_node_id(Rng& rng);
// 40 hex characters <-> 20 bytes. `id` must be valid; `raw` must be 20 bytes.
std::string node_id_to_bytes(std::string_view id);
NodeId node_id_from_bytes(std::string_view raw);

}  // namespace ringcache::cluster
