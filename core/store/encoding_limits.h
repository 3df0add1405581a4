#pragma once
// When a collection leaves its compact encoding: the *-max-listpack-* options (config names as
// redis.conf, with the older *-max-ziplist-* names accepted too). Conversion is one way, as in
// Redis: a value that shrinks again keeps its full encoding.

#include <cstdint>

#include "core/constants.h"

namespace ringcache::store {

struct EncodingLimits {
  int64_t hash_max_listpack_entries = constants::hash_max_listpack_entries_default;
  int64_t hash_max_listpack_value = constants::hash_max_listpack_value_default;
  int64_t zset_max_listpack_entries = constants::zset_max_listpack_entries_default;
  int64_t zset_max_listpack_value = constants::zset_max_listpack_value_default;
  int64_t set_max_intset_entries = constants::set_max_intset_entries_default;
  int64_t list_max_listpack_size = constants::list_max_listpack_size_default;
  int64_t list_compress_depth = constants::list_compress_depth_default;
  int64_t stream_node_max_bytes = constants::stream_node_max_bytes_default;
  int64_t stream_node_max_entries = constants::stream_node_max_entries_default;
};

}  // namespace ringcache::store
