#pragma once
// Redis' HyperLogLog value, byte for byte (hyperloglog.c's layout), so a value copied with GET/SET
// between redis-server and ringcache keeps working on both sides:
//
//   "HYLL" | encoding (0 dense, 1 sparse) | 3 zero bytes | cached cardinality (8 bytes, little
//   endian; the top bit of the last byte set = stale) | registers
//
// 16384 registers of 6 bits. Dense: packed least significant bit first, 12288 bytes. Sparse: a
// run-length code of opcodes ZERO (00xxxxxx: 1..64 zero registers), XZERO (01xxxxxx yyyyyyyy:
// 1..16384 zero registers) and VAL (1vvvvvxx: 1..4 registers of value 1..32). A sparse value is
// promoted to dense when a register needs more than 32 or it would grow past
// hll-sparse-max-bytes. Elements are hashed with MurmurHash64A (seed 0xadc83b19): the low 14 bits
// pick the register, the run of zero bits above them (plus one) is the candidate value.
// Everything here is pure: values in, values out.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ringcache::commands::hll {

inline constexpr size_t header_bytes = 16;
inline constexpr int index_bits = 14;                 // Redis' HLL_P
inline constexpr size_t register_count = 1u << index_bits;
inline constexpr int register_bits = 6;
inline constexpr int hash_bits_counted = 64 - index_bits;  // Redis' HLL_Q
inline constexpr size_t dense_bytes = header_bytes + register_count * register_bits / 8;
inline constexpr uint8_t encoding_dense = 0;
inline constexpr uint8_t encoding_sparse = 1;
inline constexpr uint64_t hash_seed = 0xadc83b19ULL;
// hll-sparse-max-bytes: the length (header included) a sparse value may reach before it turns
// dense, Redis' default.
inline constexpr size_t sparse_max_bytes_default = 3000;
static_assert(sparse_max_bytes_default < dense_bytes, "sparse is only worth it while smaller");
static_assert(dense_bytes == 12304, "Redis' HLL_DENSE_SIZE");

using Registers = std::array<uint8_t, register_count>;

// Redis' MurmurHash64A over `data` (little-endian reads).
uint64_t murmur_hash64a(std::string_view data, uint64_t seed);

// A new, empty HyperLogLog: sparse, all registers zero, cached cardinality 0.
std::string make_empty();
// Redis' isHLLObject checks: header, magic, a known encoding, the exact dense size.
bool looks_valid(std::string_view value);
bool is_dense(std::string_view value);

// Adds an element: 1 when a register grew, 0 when none did, nullopt for a corrupt sparse value.
// Does not touch the cached cardinality (the caller invalidates it once).
std::optional<int> add(std::string& value, std::string_view element, size_t sparse_max_bytes);
// Raises register `index` to `count` if lower (same results as add).
std::optional<int> raise_register(std::string& value, size_t index, uint8_t count,
                                  size_t sparse_max_bytes);
// Rewrites a sparse value as dense (header kept, encoding changed); false if corrupt.
bool to_dense(std::string& value);

// max[i] = max(max[i], register i of value); false if the sparse code is corrupt.
bool merge_into(std::string_view value, Registers& max);
// The cardinality estimate (Ertl's improved estimator, as Redis 5+), nullopt if corrupt.
std::optional<uint64_t> estimate(std::string_view value);
uint64_t estimate_registers(const Registers& registers);

// The cached cardinality, when the header says it is current.
std::optional<uint64_t> cached_cardinality(std::string_view value);
void set_cached_cardinality(std::string& value, uint64_t cardinality);
void invalidate_cache(std::string& value);

}  // namespace ringcache::commands::hll
