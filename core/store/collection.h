#pragma once
// The value of a list, set, sorted set or hash key. An Entry of one of those types owns one
// Collection (entry.h); the concrete classes live next to this file, one per type, each with a
// compact encoding for small values and a full structure past the configured thresholds.
//
// Memory: the object itself lives inside its Entry's allocation (moved there when the key is
// added, see entry.h), so a small collection costs one allocation less. allocated_bytes() is what
// the value takes beyond its Entry (its buffers and tables). The keyspace accounts it when the
// value is added and again after each write (Keyspace::collection_written), so a command that
// changes a collection must tell the keyspace when it is done.

#include <cstddef>
#include <functional>
#include <new>
#include <span>
#include <string_view>
#include <utility>

#include "core/store/entry.h"

namespace ringcache::store {

// Receives one command (argv, name first) that helps rebuild a value from nothing.
using RebuildSink = std::function<void(std::span<const std::string_view> argv)>;

class Collection {
 public:
  virtual ~Collection() = default;

  virtual ValueType type() const = 0;
  // Elements: LLEN, SCARD, ZCARD, HLEN. A collection of size 0 is removed from the keyspace.
  virtual size_t size() const = 0;
  // OBJECT ENCODING, in Redis 7's words ("listpack", "quicklist", "hashtable", "intset",
  // "skiplist").
  virtual const char* encoding() const = 0;
  // Bytes taken from the allocator beyond the owning Entry, rounded as malloc rounds.
  virtual size_t allocated_bytes() const = 0;
  // Emits the commands that recreate this value under `key` in an empty keyspace (RPUSH, SADD,
  // ZADD, HSET), each with at most constants::rebuild_items_per_command_max elements: the AOF
  // rewrite and replica synchronisation serialise collections through this.
  virtual void rebuild(std::string_view key, const RebuildSink& emit) const = 0;
  // The concrete object's size, and moving it into `storage` (object_bytes() bytes aligned to
  // collection_alignment): how an Entry comes to hold it. Derive from CollectionOf for both.
  virtual size_t object_bytes() const = 0;
  virtual Collection* move_to(void* storage) = 0;

 private:
  friend class Keyspace;
  // What the keyspace last counted for this value in used_memory().
  size_t accounted_bytes_ = 0;
};

// Alignment of a collection object inside an Entry.
inline constexpr size_t collection_alignment = 8;

// The base of a concrete collection class `Self` (which must be move-constructible).
template <typename Self>
class CollectionOf : public Collection {
 public:
  size_t object_bytes() const final { return sizeof(Self); }
  Collection* move_to(void* storage) final {
    static_assert(alignof(Self) <= collection_alignment);
    return new (storage) Self(std::move(static_cast<Self&>(*this)));
  }
};

}  // namespace ringcache::store
