#pragma once
// One key with its value, expiry and eviction metadata.
//
// Public accessors below are what commands use; the layout (private part) is the store's
// business and is built to keep per-key overhead small (see docs/memory.md once written).

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringcache::store {

enum class ValueType : uint8_t { string = 0, list, set, zset, hash, stream };
// "string", "list", ... as TYPE replies.
const char* type_name(ValueType type);

// Expiry value meaning "no expiry".
inline constexpr int64_t no_expiry = -1;

// How a string value was made. Redis reports a string's encoding from the object's history, not
// only from its bytes, and OBJECT ENCODING/REFCOUNT follow that:
enum class StringForm : uint8_t {
  parsed,  // SET and friends (tryObjectEncoding): "int" when the bytes are an integer, else by size
  plain,   // made as a string object (INCRBYFLOAT): "embstr" or "raw" by size, never "int"
  raw,     // modified in place (APPEND, SETRANGE): "raw" whatever the bytes
};

struct ExpireRecord;
class Collection;

class Entry {
 public:
  std::string_view key() const;
  ValueType type() const;
  // The value of a string entry.
  std::string_view string_value() const;
  // The value of a list, set, zset, hash or stream entry (collection.h); the entry owns it.
  Collection* collection() const;
  // Absolute expiry in Unix ms, or no_expiry.
  int64_t expire_at_ms() const;
  bool has_expiry() const { return expire_at_ms() != no_expiry; }
  // OBJECT ENCODING: "int", "embstr" or "raw" for strings (see StringForm); the collection's
  // encoding for other types.
  const char* encoding() const;
  StringForm string_form() const {
    return static_cast<StringForm>((meta_ & form_mask) >> form_shift);
  }

  // The 24-bit access field: the LRU clock of the last access, or for LFU policies the last
  // decrement time in minutes (high 16 bits) and the logarithmic counter (low 8 bits). Under the
  // eviction lab's policies it holds the key's slot in the policy instead (core_eviction.h).
  uint32_t lru_field() const { return meta_ & lru_mask; }
  // Bytes this entry takes from the allocator (header, key and value, rounded as malloc does).
  size_t allocated_bytes() const;
  // Bytes a collection entry for a key of `key_len` bytes takes from the allocator when its value
  // object (with the compact bytes it keeps inline) is `object_bytes` (Collection::object_bytes()).
  static size_t collection_chunk_bytes(size_t key_len, size_t object_bytes);

  // Implementation-defined from here on (see entry.cpp / hash_table.h / expire_set.h).
 private:
  friend class HashTable;
  friend class ExpireSet;
  friend class Keyspace;
  friend class CoreEviction;
  friend struct EntryTestPeer;

  static constexpr uint32_t lru_mask = (1u << 24) - 1;
  static constexpr int type_shift = 24;        // 3 bits of ValueType
  static constexpr int form_shift = 27;        // 2 bits of StringForm
  static constexpr uint32_t form_mask = 3u << form_shift;
  static constexpr uint32_t wide_bit = 1u << 29;  // lengths do not fit 16 bits each
  static constexpr uint32_t slack_bit = 1u << 30; // wide, plus room for the value to grow
  // Which snapshot epoch's parity this entry last matched (Keyspace::take_for_snapshot).
  static constexpr uint32_t snapshot_bit = 1u << 31;
  static constexpr uint32_t narrow_len_max = 0xffff;

  // One allocation holds the header below, then extra length words, then the key bytes and the
  // value bytes (for a list, set, zset or hash: padding to collection_alignment, then the
  // Collection object itself). Three layouts:
  //   narrow: lens_ = key length | value length << 16                         (24-byte header)
  //   wide:   lens_ = key length; u32 value length follows                     (28-byte header)
  //   slack:  as wide, then u32 value capacity; the value may grow in place up to it (32 bytes).
  // Slack is only for values grown by APPEND/SETRANGE, so repeated appends cost amortized O(1)
  // copies per byte, as Redis' sds greedy growth gives.
  Entry* next_ = nullptr;              // bucket chain of the hash table
  ExpireRecord* expire_ = nullptr;     // nullptr: no expiry; else our slot in the ExpireSet
  uint32_t meta_ = 0;                  // lru:24 | type:3 | form:2 | wide:1 | slack:1 | snapshot:1
  uint32_t lens_ = 0;

  Entry() = default;
  ~Entry() = default;

  // Bytes to request for an entry holding these lengths.
  static size_t request_bytes(size_t key_len, size_t value_len);
  // A new entry with this key and room for `value_len` value bytes (left unwritten): a string
  // entry's layout; its access field and expiry are unset.
  static Entry* allocate(std::string_view key, size_t value_len);
  // A new string entry; its access field and expiry are unset.
  static Entry* create(std::string_view key, std::string_view value);
  // A new string entry (slack layout) with room for the value to grow to at least
  // `value_capacity` bytes.
  static Entry* create_with_slack(std::string_view key, std::string_view value,
                                  size_t value_capacity);
  // A new entry of the collection's type; `value` is moved into the entry's own allocation
  // (what is left of it stays the caller's to destroy). The value gets at least `room` bytes of
  // tail for its compact encoding (beyond what it needs: growth room, see collection_repack_room).
  static Entry* create_collection(std::string_view key, Collection&& value, size_t room = 0);
  // Whether a collection entry should be made anew (create_collection) after a write: its
  // compact bytes are out of line yet would fit inline, or it keeps more room than one growth
  // step leaves (constants::collection_room_growth_divisor), e.g. after HDEL or the conversion
  // to a hashtable. The keyspace then re-packs it.
  bool collection_repack_wanted() const;
  // The room to give the collection when re-packing it: what its compact bytes need, or when
  // they outgrew the room they had here, that room and a growth step more (so one-element
  // writes re-pack rarely); a value written in one go into an empty entry is made to measure.
  size_t collection_repack_room() const;
  // Bytes of tail this entry's chunk leaves after its collection object (its room).
  size_t collection_room() const;
  // Layout of a collection entry for a key of `key_len` bytes: header, then padding after the key.
  static size_t collection_header_bytes(size_t key_len);
  static size_t collection_padding(size_t key_len);
  // Frees the entry and, for a collection entry, its collection.
  static void destroy(Entry* entry);

  bool wide() const { return (meta_ & wide_bit) != 0; }
  bool has_slack() const { return (meta_ & slack_bit) != 0; }
  // Largest value this allocation holds without moving.
  size_t value_capacity() const;
  size_t key_len() const;
  size_t value_len() const;
  size_t header_bytes() const;
  char* data() { return reinterpret_cast<char*>(this) + header_bytes(); }
  const char* data() const { return reinterpret_cast<const char*>(this) + header_bytes(); }
  // Whether `value_len` fits this allocation with the same chunk size (so an update can happen
  // in place and the accounting does not change).
  bool value_fits_in_place(size_t value_len) const;
  void replace_value_in_place(std::string_view value);
  void set_lru_field(uint32_t lru) { meta_ = (meta_ & ~lru_mask) | (lru & lru_mask); }
  bool snapshot_parity() const { return (meta_ & snapshot_bit) != 0; }
  void set_snapshot_parity(bool parity) {
    meta_ = parity ? (meta_ | snapshot_bit) : (meta_ & ~snapshot_bit);
  }
  void set_string_form(StringForm form) {
    meta_ = (meta_ & ~form_mask) | (static_cast<uint32_t>(form) << form_shift);
  }
};

// A key's expiry, kept apart from the entry so entries without one pay only a null pointer
// (see expire_set.h).
struct ExpireRecord {
  Entry* entry;
  int64_t expire_at_ms;
};

inline int64_t Entry::expire_at_ms() const {
  return expire_ == nullptr ? no_expiry : expire_->expire_at_ms;
}

}  // namespace ringcache::store
