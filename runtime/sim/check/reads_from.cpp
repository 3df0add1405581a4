#include "runtime/sim/check/reads_from.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string_view>

namespace ringcache::sim {
namespace {

// (node, key, value) of a SET, or of what a GET returned.
struct Written {
  int node;
  std::string_view key;
  std::string_view value;
};

// A 128-bit fingerprint of (node, key, value): two 64-bit multiply-xor hashes with different
// seeds and multipliers. Equal fingerprints are taken as equal writes without comparing the
// strings (reading them back costs a cache miss or three per lookup, most of this pass): with
// ~10^5 reads and writes per run, a false match has odds below 2^-90.
struct Fingerprint {
  uint64_t low = 0;
  uint64_t high = 0;
  bool operator==(const Fingerprint& other) const = default;
};

// Eight bytes at a time (the tail zero-padded); the byte order does not matter here, as the
// fingerprints never leave the process.
uint64_t fold_bytes(uint64_t hash, uint64_t multiplier, std::string_view bytes) {
  for (size_t i = 0; i < bytes.size(); i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, bytes.data() + i, std::min<size_t>(8, bytes.size() - i));
    hash = (hash ^ word) * multiplier;
    hash ^= hash >> 29;
  }
  return (hash ^ bytes.size()) * 0x9e3779b97f4a7c15ULL;
}

uint64_t hash_of(const Written& written, uint64_t seed, uint64_t multiplier) {
  uint64_t hash = seed ^ static_cast<uint64_t>(written.node);
  hash = fold_bytes(hash, multiplier, written.key);
  hash = fold_bytes(hash, multiplier, written.value);
  return hash ^ (hash >> 32);
}

Fingerprint fingerprint(const Written& written) {
  return {hash_of(written, 0xcbf29ce484222325ULL, 0x100000001b3ULL),
          hash_of(written, 0x84222325cbf29ce4ULL, 0xff51afd7ed558ccdULL)};
}

// Open addressing by fingerprint, probed linearly.
class SetTable {
 public:
  explicit SetTable(size_t sets) : slots_(std::bit_ceil(sets * 2 + 16)) {}
  void insert(const Op& set, int node, size_t index) {
    const Fingerprint print = fingerprint({node, set.key, set.value});
    Slot& slot = slots_[position(print)];
    slot.print = print;
    slot.index = static_cast<int64_t>(index);  // a later SET of the same value wins
  }
  int64_t find(const Written& written) const {
    return slots_[position(fingerprint(written))].index;
  }

 private:
  struct Slot {
    Fingerprint print;
    int64_t index = -1;  // -1: empty
  };
  // Where `print` is, or the empty slot where it would go.
  size_t position(const Fingerprint& print) const {
    const size_t mask = slots_.size() - 1;
    for (size_t at = print.low & mask;; at = (at + 1) & mask) {
      const Slot& slot = slots_[at];
      if (slot.index < 0 || slot.print == print) return at;
    }
  }
  std::vector<Slot> slots_;
};

bool counts_as_write(const Op& op) {
  return op.kind == OpKind::set && !(op.reply && op.reply->is_error());
}

}  // namespace

ReadsFrom::ReadsFrom(const History& history, bool across_nodes)
    : write_of_(history.ops.size(), -1) {
  const auto node_of = [across_nodes](const Op& op) { return across_nodes ? -1 : op.node; };
  size_t sets = 0;
  for (const Op& op : history.ops) sets += counts_as_write(op) ? 1 : 0;
  SetTable table(sets);
  for (size_t i = 0; i < history.ops.size(); ++i) {
    if (counts_as_write(history.ops[i])) table.insert(history.ops[i], node_of(history.ops[i]), i);
  }
  for (size_t i = 0; i < history.ops.size(); ++i) {
    const Op& op = history.ops[i];
    if (op.kind != OpKind::get || !op.reply || op.reply->type != RespValue::Type::bulk) continue;
    write_of_[i] = table.find({node_of(op), op.key, op.reply->text});
  }
}

}  // namespace ringcache::sim
