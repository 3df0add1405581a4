// ZsetValue: the two encodings of a sorted set behind one rank-based interface.

#include "core/store/zset_value.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "core/constants.h"
#include "core/store/alloc_size.h"
#include "core/util/assert.h"

namespace ringcache::store {
namespace {

// Scores in the packed list: an integral score within +-2^53 is the shortest little-endian
// two's complement integer (no bytes at all for 0), any other score the 8 bytes of the double;
// the length tells which. Small sets mostly hold small integer scores, so they stay small (as
// Redis' listpack stores integral scores as integers).
constexpr double packed_integer_limit = 9007199254740992.0;  // 2^53

struct PackedScore {
  char bytes[sizeof(double)];
  size_t length = 0;
  std::string_view view() const { return {bytes, length}; }
};

PackedScore pack_score(double score) {
  PackedScore packed;
  if (score == std::trunc(score) && std::fabs(score) <= packed_integer_limit) {
    const auto value = static_cast<int64_t>(score);
    // The fewest bytes whose signed range holds the value (7 hold +-2^55).
    const auto fits = [value](size_t bytes) {
      const int64_t half = int64_t{1} << (8 * bytes - 1);
      return value >= -half && value < half;
    };
    if (value != 0) packed.length = 1;
    while (packed.length > 0 && !fits(packed.length)) ++packed.length;
    for (size_t i = 0; i < packed.length; ++i) {
      packed.bytes[i] = static_cast<char>(static_cast<uint64_t>(value) >> (8 * i));
    }
    return packed;
  }
  std::memcpy(packed.bytes, &score, sizeof score);
  packed.length = sizeof score;
  return packed;
}

double read_score(std::string_view bytes) {
  if (bytes.size() == sizeof(double)) {
    double score = 0;
    std::memcpy(&score, bytes.data(), sizeof score);
    return score;
  }
  RING_ASSERT(bytes.size() < sizeof(double));
  uint64_t value = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    value |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[i])) << (8 * i);
  }
  // Sign-extend from the top bit of the last byte.
  const size_t bits = 8 * bytes.size();
  if (bits > 0 && bits < 64 && (value >> (bits - 1)) != 0) value |= ~uint64_t{0} << bits;
  return static_cast<double>(static_cast<int64_t>(value));
}

}  // namespace

std::string format_score(double score) {
  if (std::isinf(score)) return score > 0 ? "inf" : "-inf";
  char buffer[32];
  const int length = std::snprintf(buffer, sizeof buffer, "%.17g", score);
  return std::string(buffer, static_cast<size_t>(length));
}

ZsetValue::ZsetValue(StartFull start) { store_.set_full(std::make_unique<ZsetTree>(start.seed)); }

ZsetValue::~ZsetValue() = default;
ZsetValue::ZsetValue(ZsetValue&& other) noexcept = default;

size_t ZsetValue::size() const { return tree() ? tree()->size() : packed().size() / 2; }

size_t ZsetValue::allocated_bytes() const {
  if (!tree()) return store_.compact_allocated_bytes();
  return malloc_chunk_bytes(sizeof(ZsetTree)) + tree()->allocated_bytes();
}

bool ZsetValue::needs_full(size_t members, size_t longest_member, const EncodingLimits& limits) {
  return static_cast<int64_t>(members) > limits.zset_max_listpack_entries ||
         static_cast<int64_t>(longest_member) > limits.zset_max_listpack_value;
}

void ZsetValue::rebuild(std::string_view key, const RebuildSink& emit) const {
  std::vector<std::string> scores;
  std::vector<std::string_view> argv;
  const auto flush = [&] {
    if (argv.size() > 2) emit(argv);
    argv.assign({"ZADD", key});
    scores.clear();
  };
  flush();
  // Each batch keeps its score texts alive until emitted; reserve so views into them stay valid.
  scores.reserve(constants::rebuild_items_per_command_max);
  visit(0, size(), false, [&](std::string_view member, double score) {
    scores.push_back(format_score(score));
    argv.push_back(scores.back());
    argv.push_back(member);
    if (scores.size() == constants::rebuild_items_per_command_max) flush();
  });
  flush();
}

// --- packed encoding -------------------------------------------------------------------------

// Inserts before the first pair ordered after (score, member). A zero score reads back as +0
// (pack_score stores it as the integer 0), as from Redis' listpack.
void ZsetValue::insert_packed(PackedList& packed, std::string_view member, double score) {
  PackedList::Pos pos = packed.begin();
  while (pos != packed.end()) {
    const PackedList::Pos score_pos = packed.next(pos);
    if (compare_score_member(read_score(packed.at(score_pos)), packed.at(pos), score, member) >
        0) {
      break;
    }
    pos = packed.next(score_pos);
  }
  const PackedList::Pos score_pos = packed.insert(pos, pack_score(score).view());
  packed.insert(score_pos, member);
}

// --- operations ------------------------------------------------------------------------------

std::optional<double> ZsetValue::score(std::string_view member) const {
  if (tree()) {
    const ZsetTree::Node* node = tree()->find(member);
    if (node == nullptr) return std::nullopt;
    return node->score;
  }
  const PackedList packed = this->packed();
  const PackedList::Pos pos = packed.find(member, 0, 2);
  if (pos == packed.end()) return std::nullopt;
  return read_score(packed.at(packed.next(pos)));
}

bool ZsetValue::set(std::string_view member, double score, const EncodingLimits& limits,
                    Rng& rng) {
  RING_ASSERT(!std::isnan(score));
  if (!tree()) {
    enum class Outcome { moved, added, too_big };
    const Outcome outcome = store_.write(tail(), [&](PackedList& packed) {
      const PackedList::Pos pos = packed.find(member, 0, 2);
      if (pos != packed.end()) {
        packed.erase(pos, 2);
        insert_packed(packed, member, score);
        return Outcome::moved;
      }
      if (needs_full(packed.size() / 2 + 1, member.size(), limits)) return Outcome::too_big;
      insert_packed(packed, member, score);
      return Outcome::added;
    });
    if (outcome != Outcome::too_big) return outcome == Outcome::added;
    convert_to_full(rng.next_u64());
  }
  return tree()->upsert(member, score);
}

ZsetValue::Change ZsetValue::place_located(ZsetTree& full, const ZsetTree::Slot& slot,
                                            std::string_view member, double score) {
  RING_ASSERT(!std::isnan(score));
  if (slot.node == nullptr) {
    full.add(slot, member, score);
    return Change::added;
  }
  full.move(slot, score);
  return Change::moved;
}

bool ZsetValue::remove(std::string_view member) {
  if (tree()) return tree()->erase(member);
  return store_.write(tail(), [&](PackedList& packed) {
    const PackedList::Pos pos = packed.find(member, 0, 2);
    if (pos == packed.end()) return false;
    packed.erase(pos, 2);
    return true;
  });
}

void ZsetValue::remove_range(size_t start, size_t end) {
  RING_ASSERT(start <= end && end <= size());
  if (tree()) return tree()->erase_range(start, end);
  if (start == end) return;
  store_.write(tail(), [&](PackedList& packed) {
    packed.erase(packed.seek(static_cast<int64_t>(2 * start)), 2 * (end - start));
  });
}

std::optional<size_t> ZsetValue::rank(std::string_view member) const {
  if (tree()) {
    const ZsetTree::Node* node = tree()->find(member);
    if (node == nullptr) return std::nullopt;
    return tree()->rank(node);
  }
  const PackedList packed = this->packed();
  const PackedList::Pos pos = packed.find(member, 0, 2);
  if (pos == packed.end()) return std::nullopt;
  size_t rank = 0;
  for (PackedList::Pos at = packed.begin(); at != pos; at = packed.next(packed.next(at))) ++rank;
  return rank;
}

size_t ZsetValue::count_score_below(double score, bool or_equal) const {
  if (tree()) return tree()->count_score_below(score, or_equal);
  const PackedList packed = this->packed();
  size_t count = 0;
  for (PackedList::Pos at = packed.begin(); at != packed.end(); ++count) {
    at = packed.next(at);
    const double s = read_score(packed.at(at));
    if (or_equal ? s > score : s >= score) break;
    at = packed.next(at);
  }
  return count;
}

size_t ZsetValue::count_member_below(std::string_view member, bool or_equal) const {
  if (tree()) return tree()->count_member_below(member, or_equal);
  const PackedList packed = this->packed();
  size_t count = 0;
  for (PackedList::Pos at = packed.begin(); at != packed.end(); ++count) {
    const int c = packed.at(at).compare(member);
    if (or_equal ? c > 0 : c >= 0) break;
    at = packed.next(packed.next(at));
  }
  return count;
}

void ZsetValue::visit(size_t start, size_t end, bool reverse, const Visit& visit) const {
  RING_ASSERT(start <= end && end <= size());
  if (start == end) return;
  if (tree()) {
    tree()->visit(start, end, reverse,
                  [&visit](const ZsetTree::Node& node) { visit(node.member(), node.score); });
    return;
  }
  const PackedList packed = this->packed();
  PackedList::Pos pos = packed.seek(static_cast<int64_t>(2 * (reverse ? end - 1 : start)));
  for (size_t remaining = end - start; remaining > 0; --remaining) {
    const PackedList::Pos score_pos = packed.next(pos);
    visit(packed.at(pos), read_score(packed.at(score_pos)));
    if (remaining == 1) break;
    pos = reverse ? packed.prev(packed.prev(pos)) : packed.next(score_pos);
  }
}

std::pair<std::string_view, double> ZsetValue::at(size_t index) const {
  RING_ASSERT(index < size());
  if (tree()) {
    const ZsetTree::Node* node = tree()->select(index);
    return {node->member(), node->score};
  }
  const PackedList packed = this->packed();
  const PackedList::Pos pos = packed.seek(static_cast<int64_t>(2 * index));
  return {packed.at(pos), read_score(packed.at(packed.next(pos)))};
}

uint64_t ZsetValue::scan(uint64_t cursor, size_t count, const Visit& visit) const {
  if (tree()) {
    return tree()->scan(cursor, count == 0 ? 1 : count,
                        [&visit](const ZsetTree::Node& node) { visit(node.member(), node.score); });
  }
  this->visit(0, size(), false, visit);
  return 0;
}

void ZsetValue::convert_to_full(uint64_t seed) {
  if (tree()) return;
  auto tree = std::make_unique<ZsetTree>(seed);
  visit(0, size(), false,
        [&tree](std::string_view member, double score) { tree->insert(member, score); });
  store_.set_full(std::move(tree));
}

}  // namespace ringcache::store
