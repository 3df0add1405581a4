// Compact-encoding thresholds of collections (store/encoding_limits.h). Redis 7 renamed
// *-ziplist-* to *-listpack-*; both names set the same value, as Redis keeps the old ones as
// aliases.

#include "core/server/config/config_options.h"

namespace ringcache::server {
namespace {

// An option holding a non-negative count or size in `field`.
template <int64_t store::EncodingLimits::*field>
Option count_option(std::string_view name) {
  return {name, true, false,
          [](Config& c, std::string_view v) {
            return store(parse_bounded_int(v, 0, long_long_max),
                         [&](int64_t n) { c.encoding.*field = n; });
          },
          [](const Config& c) { return number(c.encoding.*field); }};
}

// list-max-listpack-size: elements per node (> 0) or a node size class (-1 .. -5).
Option list_size_option(std::string_view name) {
  return {name, true, false,
          [](Config& c, std::string_view v) {
            return store(parse_bounded_int(v, -5, int_max), [&](int64_t n) {
              c.encoding.list_max_listpack_size = n == 0 ? 1 : n;
            });
          },
          [](const Config& c) { return number(c.encoding.list_max_listpack_size); }};
}

}  // namespace

std::vector<Option> encoding_options() {
  using L = store::EncodingLimits;
  return {
      count_option<&L::hash_max_listpack_entries>("hash-max-listpack-entries"),
      count_option<&L::hash_max_listpack_entries>("hash-max-ziplist-entries"),
      count_option<&L::hash_max_listpack_value>("hash-max-listpack-value"),
      count_option<&L::hash_max_listpack_value>("hash-max-ziplist-value"),
      count_option<&L::zset_max_listpack_entries>("zset-max-listpack-entries"),
      count_option<&L::zset_max_listpack_entries>("zset-max-ziplist-entries"),
      count_option<&L::zset_max_listpack_value>("zset-max-listpack-value"),
      count_option<&L::zset_max_listpack_value>("zset-max-ziplist-value"),
      count_option<&L::set_max_intset_entries>("set-max-intset-entries"),
      count_option<&L::list_compress_depth>("list-compress-depth"),
      list_size_option("list-max-listpack-size"),
      list_size_option("list-max-ziplist-size"),
      count_option<&L::stream_node_max_bytes>("stream-node-max-bytes"),
      count_option<&L::stream_node_max_entries>("stream-node-max-entries"),
  };
}

}  // namespace ringcache::server
