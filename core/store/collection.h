#pragma once
// The value of a list, set, sorted set or hash key. An Entry of one of those types owns one
// Collection (entry.h); the concrete classes live next to this file, one per type, each with a
// compact encoding for small values and a full structure past the configured thresholds.
//
// Memory: the object itself lives inside its Entry's allocation (moved there when the key is
// added, see entry.h), and a small value's compact encoding may follow it there
// (compact_storage.h), so a small collection costs one allocation, as a string does.
// allocated_bytes() is what the value takes beyond its Entry (its buffers and tables). The keyspace accounts it when the
// value is added and again after each write (Keyspace::collection_written), so a command that
// changes a collection must tell the keyspace when it is done.

#include <cstddef>
#include <functional>
#include <new>
#include <span>
#include <string_view>
#include <utility>

#include "core/store/entry.h"
#include "core/util/assert.h"

namespace ringcache::store {

// Receives one command (argv, name first) that helps rebuild a value from nothing.
using RebuildSink = std::function<void(std::span<const std::string_view> argv)>;

class Collection {
 public:
  virtual ~Collection() = default;

  virtual ValueType type() const = 0;
  // Elements: LLEN, SCARD, ZCARD, HLEN. A collection of size 0 is removed from the keyspace.
  virtual size_t size() const = 0;
  // Whether the value stays when it has no element (a stream does; other types go with their
  // last element).
  virtual bool kept_when_empty() const { return false; }
  // OBJECT ENCODING, in Redis 7's words ("listpack", "quicklist", "hashtable", "intset",
  // "skiplist").
  virtual const char* encoding() const = 0;
  // Bytes taken from the allocator beyond the owning Entry, rounded as malloc rounds.
  virtual size_t allocated_bytes() const = 0;
  // Emits the commands that recreate this value under `key` in an empty keyspace (RPUSH, SADD,
  // ZADD, HSET), each with at most constants::rebuild_items_per_command_max elements: the AOF
  // rewrite and replica synchronisation serialise collections through this.
  virtual void rebuild(std::string_view key, const RebuildSink& emit) const = 0;
  // Where the object goes when its Entry is made (RENAME, the keyspace re-packing an entry):
  // object_bytes() is its size plus the bytes of compact encoding it would keep right after
  // itself inside the Entry (compact_storage.h); placed_bytes() the same for where it is now;
  // move_to() moves it into `storage` (collection_alignment-aligned, `room` >= object_bytes()
  // bytes up to the end of the Entry's chunk), leaving this object empty. Derive from
  // CollectionOf for all three.
  // own_bytes() is the object's size alone.
  virtual size_t object_bytes() const = 0;
  virtual size_t placed_bytes() const = 0;
  virtual size_t own_bytes() const = 0;
  virtual Collection* move_to(void* storage, size_t room) = 0;

 private:
  friend class Keyspace;
  // What the keyspace last counted for this value in used_memory().
  size_t accounted_bytes_ = 0;
};

// Alignment of a collection object inside an Entry.
inline constexpr size_t collection_alignment = 8;

// The base of a concrete collection class `Self` (which must be move-constructible). A class that
// keeps its compact encoding inline (CompactStorage; CompactCollectionOf gives them) declares,
// hiding the defaults below,
//   size_t inline_bytes() const;         bytes of its tail in use
//   size_t wanted_inline_bytes() const;  bytes of tail it would use if placed anew
//   void place(const char* old_tail, size_t room);  moved here from an object whose tail was
//                                        old_tail; `room` bytes of tail are here
template <typename Self>
class CollectionOf : public Collection {
 public:
  size_t object_bytes() const final { return sizeof(Self) + self().wanted_inline_bytes(); }
  size_t placed_bytes() const final { return sizeof(Self) + self().inline_bytes(); }
  size_t own_bytes() const final { return sizeof(Self); }
  Collection* move_to(void* storage, size_t room) final {
    static_assert(alignof(Self) <= collection_alignment);
    RING_ASSERT(room >= object_bytes());
    const char* old_tail = tail();
    Self* moved = new (storage) Self(std::move(self()));
    moved->place(old_tail, room - sizeof(Self));
    return moved;
  }

  size_t inline_bytes() const { return 0; }
  size_t wanted_inline_bytes() const { return 0; }
  void place(const char* /*old_tail*/, size_t /*room*/) {}

 protected:
  // The bytes right after the object: inside its Entry when it is placed in one (only as many
  // as its room, see CompactStorage).
  char* tail() { return reinterpret_cast<char*>(&self()) + sizeof(Self); }
  const char* tail() const { return reinterpret_cast<const char*>(&self()) + sizeof(Self); }

 private:
  Self& self() { return static_cast<Self&>(*this); }
  const Self& self() const { return static_cast<const Self&>(*this); }
};


}  // namespace ringcache::store
