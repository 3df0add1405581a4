#include "core/persistence/restore_collections.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>

#include "core/persistence/legacy_blobs.h"
#include "core/persistence/listpack_codec.h"
#include "core/persistence/rdb_format.h"
#include "core/store/hash_value.h"
#include "core/store/list_value.h"
#include "core/store/set_value.h"
#include "core/store/zset_value.h"

namespace ringcache::persistence {
namespace {

// Calls `visit` with each element of the blob read next: a listpack, a ziplist, a zipmap or an
// intset as `type` says.
enum class Blob { listpack, ziplist, zipmap, intset };

bool for_each_in_blob(rdb::Input& in, Blob blob, const VisitElement& visit) {
  const std::optional<std::string> bytes = in.string();
  if (!bytes) return false;
  switch (blob) {
    case Blob::listpack: return listpack_for_each(*bytes, visit);
    case Blob::ziplist: return ziplist_for_each(*bytes, visit);
    case Blob::zipmap: return zipmap_for_each(*bytes, visit);
    case Blob::intset: return intset_for_each(*bytes, visit);
  }
  return false;
}

// A blob's elements taken two by two (field and value, member and score); false when the
// count is odd or `visit_pair` refuses a pair.
template <typename VisitPair>
bool for_each_pair_in_blob(rdb::Input& in, Blob blob, VisitPair&& visit_pair) {
  std::optional<std::string> first;
  const bool read = for_each_in_blob(in, blob, [&](std::string_view element) {
    if (!first) {
      first.emplace(element);
      return true;
    }
    const bool kept = visit_pair(std::string_view(*first), element);
    first.reset();
    return kept;
  });
  return read && !first;
}

// A score written as text (listpacks, ziplists): a double, never NaN.
std::optional<double> parse_score(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || std::isnan(value)) {
    return std::nullopt;
  }
  return value;
}

// A length that must not be zero: Redis refuses an empty collection in a payload.
std::optional<uint64_t> nonzero_length(rdb::Input& in) {
  const std::optional<uint64_t> length = in.length();
  if (!length || *length == 0) return std::nullopt;
  return length;
}

bool read_quicklist_nodes(rdb::Input& in, bool version_2, const VisitElement& push) {
  const std::optional<uint64_t> nodes = in.length();
  if (!nodes) return false;
  for (uint64_t i = 0; i < *nodes; ++i) {
    if (!version_2) {
      if (!for_each_in_blob(in, Blob::ziplist, push)) return false;
      continue;
    }
    const std::optional<uint64_t> container = in.length();
    if (container == rdb::quicklist_node_plain) {
      const std::optional<std::string> element = in.string();
      if (!element || !push(*element)) return false;
    } else if (container != rdb::quicklist_node_packed ||
               !for_each_in_blob(in, Blob::listpack, push)) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::unique_ptr<store::Collection> read_list(rdb::Input& in, uint8_t type,
                                             const store::EncodingLimits& limits) {
  auto list = std::make_unique<store::ListValue>();
  const VisitElement push = [&](std::string_view element) {
    list->push(store::ListEnd::tail, element, limits.list_max_listpack_size);
    return true;
  };
  bool read = false;
  if (type == rdb::type_list) {
    const std::optional<uint64_t> length = nonzero_length(in);
    read = length.has_value();
    for (uint64_t i = 0; read && i < *length; ++i) {
      const std::optional<std::string> element = in.string();
      read = element && push(*element);
    }
  } else if (type == rdb::type_list_ziplist) {
    read = for_each_in_blob(in, Blob::ziplist, push);
  } else {
    read = read_quicklist_nodes(in, type == rdb::type_list_quicklist_2, push);
  }
  // Empty nodes are skipped as Redis skips them, but a list must end up with an element.
  if (!read || list->size() == 0) return nullptr;
  return list;
}

std::unique_ptr<store::Collection> read_set(rdb::Input& in, uint8_t type,
                                            const store::EncodingLimits& limits, Rng& rng) {
  auto set = std::make_unique<store::SetValue>();
  const VisitElement add = [&](std::string_view member) { return set->add(member, limits, rng); };
  bool read = false;
  if (type == rdb::type_set) {
    const std::optional<uint64_t> length = nonzero_length(in);
    read = length.has_value();
    for (uint64_t i = 0; read && i < *length; ++i) {
      const std::optional<std::string> member = in.string();
      read = member && add(*member);
    }
  } else {
    read = for_each_in_blob(in, Blob::intset, add);
  }
  if (!read || set->size() == 0) return nullptr;
  set->shrink_to_fit();
  return set;
}

std::unique_ptr<store::Collection> read_zset(rdb::Input& in, uint8_t type,
                                             const store::EncodingLimits& limits, Rng& rng) {
  if (type == rdb::type_zset_ziplist || type == rdb::type_zset_listpack) {
    auto zset = std::make_unique<store::ZsetValue>();
    const bool read = for_each_pair_in_blob(
        in, type == rdb::type_zset_listpack ? Blob::listpack : Blob::ziplist,
        [&](std::string_view member, std::string_view score_text) {
          const std::optional<double> score = parse_score(score_text);
          return score && zset->set(member, *score, limits, rng);
        });
    if (!read || zset->size() == 0) return nullptr;
    return zset;
  }
  const std::optional<uint64_t> length = nonzero_length(in);
  if (!length) return nullptr;
  // A set too large for a listpack starts in the full encoding rather than converting midway.
  auto zset = static_cast<int64_t>(*length) > limits.zset_max_listpack_entries
                  ? std::make_unique<store::ZsetValue>(store::ZsetValue::StartFull{rng.next_u64()})
                  : std::make_unique<store::ZsetValue>();
  for (uint64_t i = 0; i < *length; ++i) {
    const std::optional<std::string> member = in.string();
    if (!member) return nullptr;
    const std::optional<double> score =
        type == rdb::type_zset_2 ? in.binary_double() : in.text_double();
    if (!score || std::isnan(*score) || !zset->set(*member, *score, limits, rng)) return nullptr;
  }
  return zset;
}

std::unique_ptr<store::Collection> read_hash(rdb::Input& in, uint8_t type,
                                             const store::EncodingLimits& limits, Rng& rng) {
  auto hash = std::make_unique<store::HashValue>();
  const auto set = [&](std::string_view field, std::string_view value) {
    return hash->set(field, value, limits, rng);
  };
  bool read = false;
  if (type == rdb::type_hash) {
    const std::optional<uint64_t> length = nonzero_length(in);
    read = length.has_value();
    for (uint64_t i = 0; read && i < *length; ++i) {
      const std::optional<std::string> field = in.string();
      const std::optional<std::string> value = field ? in.string() : std::nullopt;
      read = value && set(*field, *value);
    }
  } else {
    const Blob blob = type == rdb::type_hash_zipmap    ? Blob::zipmap
                      : type == rdb::type_hash_ziplist ? Blob::ziplist
                                                       : Blob::listpack;
    read = for_each_pair_in_blob(in, blob, set);
  }
  if (!read || hash->size() == 0) return nullptr;
  hash->shrink_to_fit();
  return hash;
}

}  // namespace ringcache::persistence
