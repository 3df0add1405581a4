#pragma once
// The value of a hash key: field -> value. Small hashes are one PackedList of field, value,
// field, value, ... ("listpack"); past hash-max-listpack-entries fields, or when a field or value
// longer than hash-max-listpack-value is written, the hash moves for good to a FieldTable
// ("hashtable"), as Redis 7.0 converts (one way). A small hash's PackedList lives inside the
// key's Entry, after this object (CompactStorage): the object is 24 bytes, vtable and accounting
// included.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "core/store/compact_collection.h"
#include "core/store/encoding_limits.h"
#include "core/store/field_table.h"
#include "core/store/packed_list.h"
#include "core/util/rng.h"

namespace ringcache::store {

class HashValue final : public CompactCollectionOf<HashValue, PackedList, FieldTable> {
 public:
  using Item = FieldTable::Item;

  HashValue() = default;
  ~HashValue() override;
  HashValue(HashValue&& other) noexcept;  // leaves `other` empty

  ValueType type() const override { return ValueType::hash; }
  size_t size() const override {
    if (!compact()) return store_.full()->size();
    return compact_view().size() / 2;
  }
  const char* encoding() const override { return compact() ? "listpack" : "hashtable"; }
  // HSET key field value ... (at most rebuild_items_per_command_max pairs each).
  void rebuild(std::string_view key, const RebuildSink& emit) const override;

  bool compact() const { return store_.compact(); }
  std::optional<std::string_view> get(std::string_view field) const;
  bool contains(std::string_view field) const { return get(field).has_value(); }

  // Adds or replaces a field; true when it was added. The hash moves to its full encoding when
  // the field or value is longer than hash-max-listpack-value, or past hash-max-listpack-entries
  // fields (as Redis 7.0's hashTypeSet). `rng` seeds the full table's hash.
  bool set(std::string_view field, std::string_view value, const EncodingLimits& limits,
           Rng& rng);
  bool erase(std::string_view field);
  // After a batch of sets (HSET of a whole object): drops the compact encoding's growth room.
  void shrink_to_fit() { store_.shrink_to_fit(); }

  // Every field and value in storage order.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    if (!compact()) return store_.full()->for_each(visit);
    const PackedList list = compact_view();
    for (auto pos = list.begin(); pos != list.end();) {
      const auto value_pos = list.next(pos);
      visit(Item{list.at(pos), list.at(value_pos)});
      pos = list.next(value_pos);
    }
  }
  // One HSCAN step from `cursor`: a compact hash is visited whole (cursor 0 next, as Redis);
  // a table one home slot at a time.
  template <typename Visit>
  uint64_t scan(uint64_t cursor, Visit&& visit) const {
    if (!compact()) return store_.full()->scan(cursor, visit);
    for_each(visit);
    return 0;
  }
  // A uniformly chosen field and its value; the hash must not be empty.
  Item random(Rng& rng) const;

 private:
  void convert(Rng& rng);
};

static_assert(sizeof(HashValue) == 24, "vtable, accounted bytes, one storage word");

}  // namespace ringcache::store
