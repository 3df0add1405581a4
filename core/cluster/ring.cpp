#include "core/cluster/ring.h"

#include <algorithm>
#include <utility>

#include "core/util/rng.h"

namespace ringcache::cluster {
namespace {

constexpr uint64_t golden_gamma = 0x9e3779b97f4a7c15ULL;
constexpr uint64_t slot_span = UINT64_MAX / constants::cluster_slots + 1;
static_assert(slot_span * constants::cluster_slots == 0, "slots tile the ring exactly");

// splitmix64's output function: a bijection with full avalanche.
uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The id's bytes read as little-endian 64-bit words (assembled byte by byte, so the host's byte
// order does not matter), each folded in through the mixer; the length seeds the state so ids
// that differ only in trailing zero bytes differ.
uint64_t id_hash(std::string_view id) {
  uint64_t state = mix64(id.size() * golden_gamma);
  uint64_t word = 0;
  int filled = 0;
  for (const char c : id) {
    word |= static_cast<uint64_t>(static_cast<uint8_t>(c)) << (8 * filled);
    if (++filled == 8) {
      state = mix64(state ^ word) + golden_gamma;
      word = 0;
      filled = 0;
    }
  }
  if (filled > 0) state = mix64(state ^ word) + golden_gamma;
  return state;
}

// Token k is output k of a splitmix64 stream seeded by the id's hash.
uint64_t token_from_hash(uint64_t hash, uint32_t index) {
  return mix64(hash + (static_cast<uint64_t>(index) + 1) * golden_gamma);
}

Status validate(const std::vector<std::string>& sorted_members, uint32_t vnodes) {
  if (sorted_members.empty()) return {Errc::invalid_argument, "a slot map needs a member"};
  if (sorted_members.size() > constants::cluster_shards_max) {
    return {Errc::invalid_argument, "too many shards for one slot map"};
  }
  if (vnodes < constants::cluster_vnodes_min || vnodes > constants::cluster_vnodes_max) {
    return {Errc::invalid_argument, "vnodes out of range"};
  }
  for (size_t i = 0; i < sorted_members.size(); ++i) {
    if (!is_shard_id(sorted_members[i])) {
      return {Errc::invalid_argument, "malformed shard id: " + sorted_members[i]};
    }
    if (i > 0 && sorted_members[i] == sorted_members[i - 1]) {
      return {Errc::invalid_argument, "repeated shard id: " + sorted_members[i]};
    }
  }
  return Status::ok();
}

// The first token of each slot's span [slot_position(s), slot_position(s + 1)): the token that
// owns slot s when the span holds one. Ties between shards go to the smaller id, an order that
// does not depend on who else is a member.
struct SpanFirst {
  uint64_t position = UINT64_MAX;
  uint32_t shard = UINT32_MAX;
  bool empty() const { return shard == UINT32_MAX; }
  bool before(uint64_t p, uint32_t s) const {
    return empty() || std::pair(p, s) < std::pair(position, shard);
  }
};

std::vector<uint16_t> sweep_owners(const std::vector<std::string>& shards, uint32_t vnodes) {
  std::vector<SpanFirst> first(constants::cluster_slots);
  for (uint32_t shard = 0; shard < shards.size(); ++shard) {
    const uint64_t hash = id_hash(shards[shard]);
    for (uint32_t k = 0; k < vnodes; ++k) {
      const uint64_t position = token_from_hash(hash, k);
      SpanFirst& span = first[position / slot_span];
      if (span.before(position, shard)) span = {position, shard};
    }
  }
  // Slots whose spans hold no token belong to the next token clockwise: sweep backwards,
  // starting from the first token past zero for the slots after the last token.
  const auto lowest =
      std::find_if(first.begin(), first.end(), [](const SpanFirst& span) { return !span.empty(); });
  RING_ASSERT(lowest != first.end());
  uint32_t carry = lowest->shard;
  std::vector<uint16_t> owners(constants::cluster_slots);
  for (size_t slot = constants::cluster_slots; slot-- > 0;) {
    if (!first[slot].empty()) carry = first[slot].shard;
    owners[slot] = static_cast<uint16_t>(carry);
  }
  return owners;
}

// Bounded loads (Mirrokni, Thorup and Zadimoghaddam, "Consistent Hashing with Bounded Loads"):
// no shard keeps more than `capacity` slots. Slots are placed in slot order, which every node
// follows alike; a slot whose ring owner is already full goes to the ring owner of the next slot
// clockwise that still has room, so it extends the run after it rather than scattering. A slot
// keeps its ring owner unless that owner filled up first: when the ring is within the cap, the
// map is the ring's. `open_` links each slot towards the next slot whose ring owner has room.
class LoadCap {
 public:
  LoadCap(const std::vector<uint16_t>& ring_owners, size_t shards, double load_max_ratio)
      : ring_owners_(ring_owners), load_(shards, 0), slots_of_(shards), open_(ring_owners.size()) {
    for (size_t slot = 0; slot < ring_owners.size(); ++slot) {
      slots_of_[ring_owners[slot]].push_back(static_cast<uint32_t>(slot));
      open_[slot] = static_cast<uint32_t>(slot);
    }
    capacity_ = capacity_for(shards, load_max_ratio);
  }

  std::vector<uint16_t> place() {
    std::vector<uint16_t> owners(ring_owners_.size());
    for (uint32_t slot = 0; slot < ring_owners_.size(); ++slot) {
      const uint16_t owner = ring_owners_[next_open(slot)];
      owners[slot] = owner;
      if (++load_[owner] == capacity_) close(owner);
    }
    return owners;
  }

 private:
  // The cap for the mean over all shards, raised if needed so that the shards the ring gives
  // any slot can hold every slot between them (they are the only ones overflow reaches).
  uint32_t capacity_for(size_t shards, double load_max_ratio) const {
    const double all = constants::cluster_slots;
    const auto capacity =
        static_cast<uint32_t>(std::min(all, all / static_cast<double>(shards) * load_max_ratio));
    size_t owning = 0;
    for (const auto& slots : slots_of_) owning += slots.empty() ? 0 : 1;
    const auto fair = static_cast<uint32_t>((constants::cluster_slots + owning - 1) / owning);
    return std::max(capacity, fair);
  }

  void close(uint16_t shard) {
    for (const uint32_t slot : slots_of_[shard]) open_[slot] = (slot + 1) % open_.size();
  }

  uint32_t next_open(uint32_t slot) {
    uint32_t root = slot;
    while (open_[root] != root) root = open_[root];
    while (open_[slot] != root) slot = std::exchange(open_[slot], root);
    return root;
  }

  const std::vector<uint16_t>& ring_owners_;
  std::vector<uint32_t> load_;
  std::vector<std::vector<uint32_t>> slots_of_;
  std::vector<uint32_t> open_;
  uint32_t capacity_ = 0;
};

}  // namespace

bool is_shard_id(std::string_view text) {
  if (text.size() != constants::cluster_shard_id_chars) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

uint64_t token_position(std::string_view shard_id, uint32_t index) {
  return token_from_hash(id_hash(shard_id), index);
}

Result<SlotMap> SlotMap::compute(std::vector<std::string> members, uint32_t vnodes, uint64_t epoch,
                                 double load_max_ratio) {
  std::sort(members.begin(), members.end());
  if (Status status = validate(members, vnodes); !status) return status;
  if (!(load_max_ratio >= 1.0)) return Status(Errc::invalid_argument, "load cap below the mean");
  SlotMap map;
  map.epoch_ = epoch;
  map.vnodes_ = vnodes;
  map.owners_ = LoadCap(sweep_owners(members, vnodes), members.size(), load_max_ratio).place();
  map.shards_ = std::move(members);
  return map;
}

std::optional<size_t> SlotMap::index_of(std::string_view shard_id) const {
  const auto it = std::lower_bound(shards_.begin(), shards_.end(), shard_id);
  if (it == shards_.end() || *it != shard_id) return std::nullopt;
  return static_cast<size_t>(it - shards_.begin());
}

size_t SlotMap::owner_of(Slot slot) const {
  RING_ASSERT(slot < owners_.size());
  return owners_[slot];
}

std::vector<uint32_t> SlotMap::slot_counts() const {
  std::vector<uint32_t> counts(shards_.size(), 0);
  for (const uint16_t owner : owners_) ++counts[owner];
  return counts;
}

std::vector<std::vector<SlotRange>> SlotMap::ranges() const {
  std::vector<std::vector<SlotRange>> result(shards_.size());
  size_t start = 0;
  for (size_t slot = 1; slot <= owners_.size(); ++slot) {
    if (slot < owners_.size() && owners_[slot] == owners_[start]) continue;
    result[owners_[start]].push_back({static_cast<Slot>(start), static_cast<Slot>(slot - 1)});
    start = slot;
  }
  return result;
}

std::vector<SlotRange> SlotMap::ranges_of(size_t shard) const {
  RING_ASSERT(shard < shards_.size());
  std::vector<SlotRange> result;
  for (size_t slot = 0; slot < owners_.size(); ++slot) {
    if (owners_[slot] != shard) continue;
    const auto as_slot = static_cast<Slot>(slot);
    if (!result.empty() && result.back().last + 1 == as_slot) {
      result.back().last = as_slot;
    } else {
      result.push_back({as_slot, as_slot});
    }
  }
  return result;
}

std::vector<SlotMove> moved_slots(const SlotMap& before, const SlotMap& after) {
  // Where each shard of `before` sits in `after` (SIZE_MAX: it left).
  std::vector<size_t> index_after(before.shards().size(), SIZE_MAX);
  for (size_t i = 0; i < before.shards().size(); ++i) {
    index_after[i] = after.index_of(before.shards()[i]).value_or(SIZE_MAX);
  }
  std::vector<SlotMove> moves;
  for (uint32_t s = 0; s < constants::cluster_slots; ++s) {
    const auto slot = static_cast<Slot>(s);
    const size_t from = before.owner_of(slot);
    const size_t to = after.owner_of(slot);
    if (index_after[from] != to) moves.push_back({slot, from, to});
  }
  return moves;
}

}  // namespace ringcache::cluster
