#pragma once
// The value of a sorted set key. Small sets are a PackedList of (member, score) pairs kept in
// (score, member) order ("listpack"); past zset-max-listpack-entries members, or a member longer
// than zset-max-listpack-value bytes, the set converts once and for all to a ZsetTree
// ("skiplist"). Every ordered operation is expressed with ascending ranks, so the commands need
// not know the encoding: a score or lex bound becomes "how many members lie before it", and a
// range becomes [start, end) of ranks.
//
// Scores are doubles, never NaN (the commands refuse NaN before it gets here). A small set's
// PackedList lives inside the key's Entry, after this object (CompactStorage).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/store/compact_collection.h"
#include "core/store/encoding_limits.h"
#include "core/store/packed_list.h"
#include "core/store/zset_tree.h"
#include "core/util/rng.h"

namespace ringcache::store {

// A score as Redis 7.0 prints it everywhere (replies, ZSCAN, rebuilt commands): "%.17g", with
// "inf" and "-inf"; the text reads back as the same double.
std::string format_score(double score);

class ZsetValue final : public CompactCollectionOf<ZsetValue, PackedList, ZsetTree> {
 public:
  using Visit = std::function<void(std::string_view member, double score)>;

  // A small set (listpack); `rng` seeds the full encoding's hash when it converts.
  ZsetValue() = default;
  // A set in the full encoding from the start (as Redis does when zset-max-listpack-entries is 0
  // or the first member is already too long); `seed` keys its hash.
  struct StartFull {
    uint64_t seed;
  };
  explicit ZsetValue(StartFull start);
  ~ZsetValue() override;
  ZsetValue(ZsetValue&& other) noexcept;  // leaves `other` empty

  ValueType type() const override { return ValueType::zset; }
  size_t size() const override;
  const char* encoding() const override { return is_full() ? "skiplist" : "listpack"; }
  // Its own: the tree object's chunk counts too (ZsetTree does not count itself).
  size_t allocated_bytes() const override;
  void rebuild(std::string_view key, const RebuildSink& emit) const override;

  bool is_full() const { return !store_.compact(); }
  // Whether a set holding these members would start in the full encoding.
  static bool needs_full(size_t members, size_t longest_member, const EncodingLimits& limits);

  std::optional<double> score(std::string_view member) const;
  // Adds `member` or moves it to `score`; converts to the full encoding when `limits` say so
  // (`rng` seeds its hash). Returns true when the member is new.
  bool set(std::string_view member, double score, const EncodingLimits& limits, Rng& rng);
  // ZADD's step for one member: `decide` sees the member's current score (nullopt when absent)
  // and returns the score to give it, or nullopt to leave the set unchanged. The member is
  // looked up once in the full encoding. Conversion as set().
  // A template, not a std::function: ZADD's decision captures more than std::function keeps
  // without a heap allocation, and this runs once per member.
  enum class Change { none, added, moved };
  template <typename Decide>
  Change update(std::string_view member, Decide&& decide, const EncodingLimits& limits,
                Rng& rng) {
    if (ZsetTree* full = tree()) {
      const ZsetTree::Slot slot = full->locate(member);
      const std::optional<double> next =
          decide(slot.node == nullptr ? std::nullopt : std::optional<double>(slot.node->score));
      if (!next) return Change::none;
      return place_located(*full, slot, member, *next);
    }
    // A small set: a second walk of at most zset-max-listpack-entries pairs is cheap.
    const std::optional<double> current = score(member);
    const std::optional<double> next = decide(current);
    if (!next) return Change::none;
    set(member, *next, limits, rng);
    return current ? Change::moved : Change::added;
  }
  // Returns whether the member was present.
  bool remove(std::string_view member);
  // Removes ranks [start, end).
  void remove_range(size_t start, size_t end);

  // Ascending rank of a member, if present.
  std::optional<size_t> rank(std::string_view member) const;
  // Members ordered before a score bound: score < it (or_equal: score <= it).
  size_t count_score_below(double score, bool or_equal) const;
  // Members ordered before a member bound by bytes alone (ZRANGEBYLEX semantics, meaningful when
  // all scores are equal).
  size_t count_member_below(std::string_view member, bool or_equal) const;
  // Visits ranks [start, end) ascending, or descending from end-1 when `reverse`.
  void visit(size_t start, size_t end, bool reverse, const Visit& visit) const;
  // The member at rank `index` < size().
  std::pair<std::string_view, double> at(size_t index) const;
  // ZSCAN: a small set is returned whole (cursor 0); a full one through the hash index.
  uint64_t scan(uint64_t cursor, size_t count, const Visit& visit) const;

  // Converts to the full encoding (one way), its hash keyed by `seed`.
  void convert_to_full(uint64_t seed);

 private:
  // The full encoding, or nullptr while small.
  ZsetTree* tree() const { return store_.full(); }
  // The small encoding, to read.
  PackedList packed() const { return compact_view(); }
  // update()'s step in the full encoding: adds the member `slot` found absent, or moves it.
  static Change place_located(ZsetTree& full, const ZsetTree::Slot& slot,
                              std::string_view member, double score);
  // Inserts before the first pair ordered after (score, member).
  static void insert_packed(PackedList& packed, std::string_view member, double score);
};

static_assert(sizeof(ZsetValue) == 24, "vtable, accounted bytes, one storage word");

}  // namespace ringcache::store
