#pragma once
// The value of a sorted set key. Small sets are a PackedList of (member, score) pairs kept in
// (score, member) order ("listpack"); past zset-max-listpack-entries members, or a member longer
// than zset-max-listpack-value bytes, the set converts once and for all to a ZsetTree
// ("skiplist"). Every ordered operation is expressed with ascending ranks, so the commands need
// not know the encoding: a score or lex bound becomes "how many members lie before it", and a
// range becomes [start, end) of ranks.
//
// Scores are doubles, never NaN (the commands refuse NaN before it gets here).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/store/collection.h"
#include "core/store/encoding_limits.h"
#include "core/store/packed_list.h"
#include "core/store/zset_tree.h"

namespace ringcache::store {

// A score as Redis 7.0 prints it everywhere (replies, ZSCAN, rebuilt commands): "%.17g", with
// "inf" and "-inf"; the text reads back as the same double.
std::string format_score(double score);

class ZsetValue final : public CollectionOf<ZsetValue> {
 public:
  using Visit = std::function<void(std::string_view member, double score)>;

  // `seed` keys the hash of the full encoding; `full` starts in it directly (as Redis does when
  // zset-max-listpack-entries is 0 or the first member is already too long).
  explicit ZsetValue(uint64_t seed, bool full = false);
  ~ZsetValue() override;
  ZsetValue(ZsetValue&& other) noexcept;  // leaves `other` empty

  ValueType type() const override { return ValueType::zset; }
  size_t size() const override;
  const char* encoding() const override { return tree_ ? "skiplist" : "listpack"; }
  size_t allocated_bytes() const override;
  void rebuild(std::string_view key, const RebuildSink& emit) const override;

  bool is_full() const { return static_cast<bool>(tree_); }
  // Whether a set holding these members would start in the full encoding.
  static bool needs_full(size_t members, size_t longest_member, const EncodingLimits& limits);

  std::optional<double> score(std::string_view member) const;
  // Adds `member` or moves it to `score`; converts to the full encoding when `limits` say so.
  // Returns true when the member is new.
  bool set(std::string_view member, double score, const EncodingLimits& limits);
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

  // Converts to the full encoding (one way).
  void convert_to_full();

 private:
  // Position of the member's pair in packed_, or packed_.end().
  PackedList::Pos find_packed(std::string_view member) const;
  void insert_packed(std::string_view member, double score);

  // The full encoding's tree once converted; until then the seed it will be built with. One word
  // holds either (a tree is 8-aligned, so its low bit is 0; the seed is kept with its low bit
  // set): the object stays at 48 bytes, which keeps a small set's entry a size class smaller.
  class TreeOrSeed {
   public:
    explicit TreeOrSeed(uint64_t seed) : word_(seed | 1) {}
    TreeOrSeed(TreeOrSeed&& other) noexcept : word_(std::exchange(other.word_, 1)) {}
    TreeOrSeed(const TreeOrSeed&) = delete;
    TreeOrSeed& operator=(const TreeOrSeed&) = delete;
    ~TreeOrSeed() { delete get(); }
    TreeOrSeed& operator=(std::unique_ptr<ZsetTree> tree) {
      delete get();
      word_ = reinterpret_cast<uintptr_t>(tree.release());
      return *this;
    }
    explicit operator bool() const { return (word_ & 1) == 0; }
    ZsetTree* get() const { return *this ? reinterpret_cast<ZsetTree*>(word_) : nullptr; }
    ZsetTree* operator->() const { return get(); }
    uint64_t seed() const { return word_; }  // meaningful before the conversion only

   private:
    uintptr_t word_;
  };

  PackedList packed_;  // member, score(8 bytes), member, score, ...
  TreeOrSeed tree_;
};

}  // namespace ringcache::store
