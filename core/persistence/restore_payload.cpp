#include "core/persistence/restore_payload.h"

#include "core/persistence/crc64.h"
#include "core/persistence/rdb_format.h"
#include "core/persistence/rdb_input.h"
#include "core/persistence/restore_collections.h"
#include "core/persistence/stream_payload.h"

namespace ringcache::persistence {
namespace {

constexpr size_t dump_footer_bytes = 10;  // version (2), CRC-64 (8)

uint64_t footer_le(std::string_view bytes) {
  uint64_t value = 0;
  for (size_t i = bytes.size(); i-- > 0;) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  return value;
}

std::unique_ptr<store::Collection> read_collection(rdb::Input& in, uint8_t type,
                                                   const store::EncodingLimits& limits, Rng& rng) {
  switch (type) {
    case rdb::type_list:
    case rdb::type_list_ziplist:
    case rdb::type_list_quicklist:
    case rdb::type_list_quicklist_2:
      return read_list(in, type, limits);
    case rdb::type_set:
    case rdb::type_set_intset:
      return read_set(in, type, limits, rng);
    case rdb::type_zset:
    case rdb::type_zset_2:
    case rdb::type_zset_ziplist:
    case rdb::type_zset_listpack:
      return read_zset(in, type, limits, rng);
    case rdb::type_hash:
    case rdb::type_hash_zipmap:
    case rdb::type_hash_ziplist:
    case rdb::type_hash_listpack:
      return read_hash(in, type, limits, rng);
    case rdb::type_stream_listpacks:
    case rdb::type_stream_listpacks_2:
      return read_stream(in, type, limits);
    default:
      return nullptr;  // a module value, or a type from a later Redis
  }
}

}  // namespace

bool dump_footer_valid(std::string_view payload) {
  if (payload.size() < dump_footer_bytes) return false;
  const std::string_view footer = payload.substr(payload.size() - dump_footer_bytes);
  if (footer_le(footer.substr(0, 2)) > rdb::version) return false;
  return footer_le(footer.substr(2)) == crc64(payload.substr(0, payload.size() - 8));
}

std::optional<RestoredValue> parse_dump_payload(std::string_view payload,
                                                const store::EncodingLimits& limits, Rng& rng) {
  if (payload.size() < dump_footer_bytes) return std::nullopt;
  rdb::Input in(payload.substr(0, payload.size() - dump_footer_bytes));
  const std::optional<uint8_t> type = in.byte();
  if (!type) return std::nullopt;
  RestoredValue value;
  if (*type == rdb::type_string) {
    std::optional<std::string> string = in.string();
    if (!string) return std::nullopt;
    value.string = std::move(*string);
    return value;
  }
  value.collection = read_collection(in, *type, limits, rng);
  if (!value.collection) return std::nullopt;
  value.type = value.collection->type();
  return value;
}

}  // namespace ringcache::persistence
