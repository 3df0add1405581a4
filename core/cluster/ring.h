#pragma once
// The consistent-hash ring that maps slots to shards. Each shard owns `vnodes` tokens on a 64-bit
// ring, derived from its id alone; a slot sits at its index scaled onto the ring (so runs of
// slots stay contiguous) and belongs to the shard of the first token clockwise. Random tokens
// leave some shards well above the mean at 100 shards however many there are, so a cap on each
// shard's load then passes the excess clockwise. The resulting SlotMap is a pure function of the
// member set, the token count and the cap: every node, and any client, derives the same map.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cluster/key_slot.h"
#include "core/constants.h"
#include "core/util/status.h"

namespace ringcache::cluster {

// 40 lowercase hex characters, the form of a Redis node id.
bool is_shard_id(std::string_view text);

// Where token `index` of shard `shard_id` sits on the ring. Our own hash of the id's bytes, so
// every build and standard library places tokens identically.
uint64_t token_position(std::string_view shard_id, uint32_t index);

// Where a slot sits on the ring: its index scaled onto the 64-bit ring.
constexpr uint64_t slot_position(Slot slot) {
  return static_cast<uint64_t>(slot) * (UINT64_MAX / constants::cluster_slots + 1);
}

// Slots first..last, both included (the form of CLUSTER SLOTS and CLUSTER NODES).
struct SlotRange {
  Slot first = 0;
  Slot last = 0;
  friend bool operator==(const SlotRange&, const SlotRange&) = default;
};

// Owner of each slot for one member set.
class SlotMap {
 public:
  // The map of `members` (shard ids in any order, no duplicates, at least one) with `vnodes`
  // tokens each, labelled with `epoch`. No shard keeps more than `load_max_ratio` times the mean
  // slots per shard (rounded down, never below an even split rounded up): the ring's choice for
  // slots past that cap passes clockwise to the next shard with room (infinity: the ring alone).
  // Fails on a malformed or repeated id, a ratio below 1, or a member or token count beyond the
  // limits in constants.h.
  static Result<SlotMap> compute(std::vector<std::string> members, uint32_t vnodes, uint64_t epoch,
                                 double load_max_ratio = constants::cluster_slot_load_max_ratio);

  uint64_t epoch() const { return epoch_; }
  uint32_t vnodes() const { return vnodes_; }
  // Member ids in ascending order; a shard's index below is its place in this list.
  const std::vector<std::string>& shards() const { return shards_; }
  std::optional<size_t> index_of(std::string_view shard_id) const;

  size_t owner_of(Slot slot) const;
  const std::string& owner_id_of(Slot slot) const { return shards_[owner_of(slot)]; }
  // Slots owned by each shard (indexed as shards()).
  std::vector<uint32_t> slot_counts() const;
  // The maximal runs of contiguous slots each shard owns, in slot order (indexed as shards()).
  std::vector<std::vector<SlotRange>> ranges() const;
  std::vector<SlotRange> ranges_of(size_t shard) const;

 private:
  SlotMap() = default;

  uint64_t epoch_ = 0;
  uint32_t vnodes_ = 0;
  std::vector<std::string> shards_;
  std::vector<uint16_t> owners_;  // one shard index per slot
};

// A slot whose owner differs between two maps: `from` indexes before.shards(), `to` indexes
// after.shards().
struct SlotMove {
  Slot slot = 0;
  size_t from = 0;
  size_t to = 0;
};
// Every slot whose owning shard (by id) differs between the maps, in slot order.
std::vector<SlotMove> moved_slots(const SlotMap& before, const SlotMap& after);

}  // namespace ringcache::cluster
