#pragma once
// The value of a set key. A set whose members are all integers (as Redis reads them: no leading
// zeros, no '+', within int64) is a sorted array of them (IntSet, "intset") while it has at most
// set-max-intset-entries members; otherwise, and for good once converted, a FieldTable of
// members ("hashtable"), as Redis 7.0 encodes sets. A small intset lives inside the key's Entry,
// after this object (CompactStorage).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/store/compact_collection.h"
#include "core/store/encoding_limits.h"
#include "core/store/field_table.h"
#include "core/store/int_set.h"
#include "core/util/rng.h"

namespace ringcache::store {

class SetValue final : public CompactCollectionOf<SetValue, IntSet, FieldTable> {
 public:
  SetValue() = default;
  ~SetValue() override;
  SetValue(SetValue&& other) noexcept;  // leaves `other` empty

  ValueType type() const override { return ValueType::set; }
  size_t size() const override {
    if (!intset()) return store_.full()->size();
    return compact_view().size();
  }
  const char* encoding() const override { return intset() ? "intset" : "hashtable"; }
  // SADD key member ... (at most rebuild_items_per_command_max members each).
  void rebuild(std::string_view key, const RebuildSink& emit) const override;

  bool intset() const { return store_.compact(); }
  bool contains(std::string_view member) const;
  // Adds `member`; true when it was not there. A non-integer member, or more than
  // set-max-intset-entries members, moves the set to its full encoding (`rng` seeds it).
  bool add(std::string_view member, const EncodingLimits& limits, Rng& rng);
  bool remove(std::string_view member);
  // After a batch of adds (SADD of several members, a STORE result): drops the intset's growth
  // room.
  void shrink_to_fit() { store_.shrink_to_fit(); }

  // Every member in storage order (ascending for an intset). The view is valid during the call.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    if (!intset()) {
      return store_.full()->for_each([&](const FieldTable::Item& item) { visit(item.field); });
    }
    char buffer[24];
    compact_view().for_each([&](int64_t value) { visit(format(value, buffer)); });
  }
  // One SSCAN step: an intset is visited whole (cursor 0 next, as Redis), a table one home slot
  // at a time.
  template <typename Visit>
  uint64_t scan(uint64_t cursor, Visit&& visit) const {
    if (!intset()) {
      return store_.full()->scan(cursor,
                                 [&](const FieldTable::Item& item) { visit(item.field); });
    }
    for_each(visit);
    return 0;
  }
  // A uniformly chosen member; the set must not be empty.
  std::string random(Rng& rng) const;

 private:
  static std::string_view format(int64_t value, char (&buffer)[24]);
  void convert(Rng& rng);
};

static_assert(sizeof(SetValue) == 24, "vtable, accounted bytes, one storage word");

}  // namespace ringcache::store
