#include "core/persistence/dump_payload.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "core/constants.h"
#include "core/persistence/listpack_codec.h"
#include "core/persistence/rdb_format.h"
#include "core/persistence/rdb_output.h"
#include "core/persistence/stream_payload.h"
#include "core/store/collection.h"
#include "core/store/hash_value.h"
#include "core/store/list_value.h"
#include "core/store/set_value.h"
#include "core/store/stream_value.h"
#include "core/store/zset_value.h"
#include "core/util/assert.h"
#include "core/util/integer.h"

namespace ringcache::persistence {
namespace {

void put_type(std::string& out, rdb::Type type) { out.push_back(static_cast<char>(type)); }

// Quicklist 2: a node count, then per node its container (packed) and its listpack. Nodes are
// cut at about the size Redis' default list-max-listpack-size (-2) gives them, since Redis
// keeps the nodes it loads as they are.
void dump_list(std::string& out, const store::ListValue& list) {
  std::vector<std::string> nodes;
  ListpackBuilder node;
  list.visit(0, false, [&](size_t, std::string_view element) {
    if (node.size() > 0 && node.bytes() + element.size() > constants::dump_list_node_bytes) {
      nodes.push_back(node.finish());
    }
    node.append(element);
    return true;
  });
  if (node.size() > 0) nodes.push_back(node.finish());
  put_type(out, rdb::type_list_quicklist_2);
  rdb::append_length(out, nodes.size());
  for (const std::string& packed : nodes) {
    rdb::append_length(out, rdb::quicklist_node_packed);
    rdb::append_string(out, packed);  // compressed as any string is
  }
}

// An intset blob: the narrowest width (2, 4 or 8 bytes) that holds every member.
std::string intset_blob(const store::SetValue& set) {
  std::vector<int64_t> members;
  set.for_each([&](std::string_view member) {
    const std::optional<int64_t> value = parse_int64(member);
    RING_ASSERT(value.has_value());
    members.push_back(*value);
  });
  std::sort(members.begin(), members.end());
  const auto fits = [&](int64_t low, int64_t high) {
    return members.front() >= low && members.back() <= high;
  };
  const size_t width = fits(INT16_MIN, INT16_MAX) ? 2 : fits(INT32_MIN, INT32_MAX) ? 4 : 8;
  std::string blob;
  const auto put = [&](uint64_t value, size_t bytes) {
    for (size_t i = 0; i < bytes; ++i) blob.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  };
  put(width, 4);
  put(members.size(), 4);
  for (const int64_t member : members) put(static_cast<uint64_t>(member), width);
  return blob;
}

void dump_set(std::string& out, const store::SetValue& set) {
  if (set.intset() && set.size() > 0) {
    put_type(out, rdb::type_set_intset);
    rdb::append_string(out, intset_blob(set));
    return;
  }
  put_type(out, rdb::type_set);
  rdb::append_length(out, set.size());
  set.for_each([&](std::string_view member) { rdb::append_string(out, member); });
}

void dump_zset(std::string& out, const store::ZsetValue& zset) {
  if (!zset.is_full()) {
    ListpackBuilder packed;
    zset.visit(0, zset.size(), false, [&](std::string_view member, double score) {
      packed.append(member);
      packed.append(store::format_score(score));
    });
    put_type(out, rdb::type_zset_listpack);
    rdb::append_string(out, packed.finish());
    return;
  }
  put_type(out, rdb::type_zset_2);
  rdb::append_length(out, zset.size());
  // Highest score first, as Redis writes its skiplist (from the tail): the same value dumps to
  // the same bytes on both, and its loader's inserts each land at the head.
  zset.visit(0, zset.size(), true, [&](std::string_view member, double score) {
    rdb::append_string(out, member);
    rdb::append_binary_double(out, score);
  });
}

void dump_hash(std::string& out, const store::HashValue& hash) {
  if (hash.compact()) {
    ListpackBuilder packed;
    hash.for_each([&](const store::HashValue::Item& item) {
      packed.append(item.field);
      packed.append(item.value);
    });
    put_type(out, rdb::type_hash_listpack);
    rdb::append_string(out, packed.finish());
    return;
  }
  put_type(out, rdb::type_hash);
  rdb::append_length(out, hash.size());
  hash.for_each([&](const store::HashValue::Item& item) {
    rdb::append_string(out, item.field);
    rdb::append_string(out, item.value);
  });
}

}  // namespace

std::string dump_payload(const store::Entry& entry) {
  std::string out;
  const store::Collection* collection =
      entry.type() == store::ValueType::string ? nullptr : entry.collection();
  switch (entry.type()) {
    case store::ValueType::string:
      put_type(out, rdb::type_string);
      rdb::append_string(out, entry.string_value());
      break;
    case store::ValueType::list:
      dump_list(out, static_cast<const store::ListValue&>(*collection));
      break;
    case store::ValueType::set:
      dump_set(out, static_cast<const store::SetValue&>(*collection));
      break;
    case store::ValueType::zset:
      dump_zset(out, static_cast<const store::ZsetValue&>(*collection));
      break;
    case store::ValueType::hash:
      dump_hash(out, static_cast<const store::HashValue&>(*collection));
      break;
    case store::ValueType::stream:
      put_type(out, rdb::type_stream_listpacks_2);
      dump_stream(out, static_cast<const store::StreamValue&>(*collection));
      break;
  }
  rdb::append_dump_footer(out);
  return out;
}

}  // namespace ringcache::persistence
