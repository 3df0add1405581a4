#pragma once
// The base of a collection class `Self` that keeps a compact encoding (`Compact`: a PackedList or
// an IntSet) until it converts for good to a full one (`Full`), both in one CompactStorage word,
// the compact bytes inside its Entry while small (compact_storage.h). It gives `Self` the inline
// storage members CollectionOf asks for and the accounting of both encodings, so each value
// class writes only its own operations.

#include <cstddef>
#include <utility>

#include "core/store/collection.h"
#include "core/store/compact_storage.h"

namespace ringcache::store {

template <typename Self, typename Compact, typename Full>
class CompactCollectionOf : public CollectionOf<Self> {
 public:
  // The compact encoding's bytes held out of line, or the full encoding's (`Full` counts itself).
  size_t allocated_bytes() const override {
    return store_.compact() ? store_.compact_allocated_bytes() : store_.full()->allocated_bytes();
  }

  // Inline storage (see CollectionOf).
  size_t inline_bytes() const { return store_.inline_bytes(); }
  size_t wanted_inline_bytes() const { return store_.wanted_inline_bytes(); }
  void place(const char* old_tail, size_t room) { store_.place(old_tail, this->tail(), room); }

 protected:
  // The compact encoding, to read (CompactStorage::view); only while compact.
  Compact compact_view() const { return store_.view(this->tail()); }
  // Calls `write(Compact&)` on the compact encoding (CompactStorage::write); only while compact.
  template <typename Write>
  decltype(auto) write_compact(Write&& write) {
    return store_.write(this->tail(), std::forward<Write>(write));
  }

  // The compact encoding while compact(); then the full one.
  CompactStorage<Compact, Full> store_;
};

}  // namespace ringcache::store
