#include "core/commands/hyperloglog/hll_format.h"

#include <cmath>

#include "core/commands/hyperloglog/hll_sparse.h"
#include "core/util/assert.h"

namespace ringcache::commands::hll {
namespace {

constexpr size_t encoding_at = 4;
constexpr size_t cache_at = 8;
constexpr uint8_t register_max = (1u << register_bits) - 1;
// 0.5 / ln(2): the estimator's constant for m -> infinity.
constexpr double alpha_inf = 0.721347520444481703680;

uint64_t read_le64(const unsigned char* p) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

// Hashes an element to (register index, run of zeros + 1).
std::pair<size_t, uint8_t> register_and_count(std::string_view element) {
  uint64_t hash = murmur_hash64a(element, hash_seed);
  const size_t index = hash & (register_count - 1);
  hash >>= index_bits;
  hash |= uint64_t{1} << hash_bits_counted;  // bounds the run at hash_bits_counted + 1
  uint8_t count = 1;
  for (uint64_t bit = 1; (hash & bit) == 0; bit <<= 1) ++count;
  return {index, count};
}

// Ertl's sigma and tau ("New cardinality estimation algorithms for HyperLogLog sketches"),
// iterated until the sum stops changing, in the same order of operations as Redis so the
// floating point result (and so PFCOUNT) is identical.
double sigma(double x) {
  if (x == 1.0) return INFINITY;
  double previous;
  double y = 1;
  double z = x;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (previous != z);
  return z;
}

double tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double previous;
  double y = 1.0;
  double z = 1 - x;
  do {
    x = std::sqrt(x);
    previous = z;
    y *= 0.5;
    z -= std::pow(1 - x, 2) * y;
  } while (previous != z);
  return z / 3;
}

}  // namespace

uint64_t murmur_hash64a(std::string_view data, uint64_t seed) {
  constexpr uint64_t m = 0xc6a4a7935bd1e995ULL;
  constexpr int r = 47;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const size_t len = data.size();
  uint64_t h = seed ^ (static_cast<uint64_t>(static_cast<int>(len)) * m);
  const size_t whole = len - (len & 7);
  for (size_t i = 0; i < whole; i += 8) {
    uint64_t k = read_le64(bytes + i);
    k *= m;
    k ^= k >> r;
    k *= m;
    h ^= k;
    h *= m;
  }
  const size_t tail = len & 7;
  if (tail != 0) {
    for (size_t i = tail; i-- > 0;) h ^= static_cast<uint64_t>(bytes[whole + i]) << (8 * i);
    h *= m;
  }
  h ^= h >> r;
  h *= m;
  h ^= h >> r;
  return h;
}

uint8_t dense_get(std::string_view value, size_t index) {
  const size_t bit = index * register_bits;
  const size_t byte = header_bytes + bit / 8;
  const unsigned shift = bit & 7;
  const unsigned b0 = static_cast<uint8_t>(value[byte]);
  const unsigned b1 = byte + 1 < value.size() ? static_cast<uint8_t>(value[byte + 1]) : 0;
  return static_cast<uint8_t>(((b0 >> shift) | (b1 << (8 - shift))) & register_max);
}

void dense_set(std::string& value, size_t index, uint8_t count) {
  const size_t bit = index * register_bits;
  const size_t byte = header_bytes + bit / 8;
  const unsigned shift = bit & 7;
  auto low = static_cast<unsigned>(static_cast<uint8_t>(value[byte]));
  low = (low & ~(register_max << shift)) | (unsigned{count} << shift);
  value[byte] = static_cast<char>(low & 0xff);
  if (byte + 1 < value.size()) {
    auto high = static_cast<unsigned>(static_cast<uint8_t>(value[byte + 1]));
    high = (high & ~(register_max >> (8 - shift))) | (unsigned{count} >> (8 - shift));
    value[byte + 1] = static_cast<char>(high & 0xff);
  }
}

std::string make_empty() {
  std::string value = "HYLL";
  value.resize(header_bytes, '\0');
  value[encoding_at] = static_cast<char>(encoding_sparse);
  append_zero_run(value, register_count);
  return value;
}

bool looks_valid(std::string_view value) {
  if (value.size() < header_bytes || value.substr(0, 4) != "HYLL") return false;
  const auto encoding = static_cast<uint8_t>(value[encoding_at]);
  if (encoding > encoding_sparse) return false;
  return encoding != encoding_dense || value.size() == dense_bytes;
}

bool is_dense(std::string_view value) {
  return static_cast<uint8_t>(value[encoding_at]) == encoding_dense;
}

std::optional<int> raise_register(std::string& value, size_t index, uint8_t count,
                                  size_t sparse_max_bytes) {
  RING_ASSERT(index < register_count);
  if (!is_dense(value)) return sparse_raise(value, index, count, sparse_max_bytes);
  if (dense_get(value, index) >= count) return 0;
  dense_set(value, index, count);
  return 1;
}

std::optional<int> add(std::string& value, std::string_view element, size_t sparse_max_bytes) {
  const auto [index, count] = register_and_count(element);
  return raise_register(value, index, count, sparse_max_bytes);
}

bool merge_into(std::string_view value, Registers& max) {
  if (!is_dense(value)) return sparse_merge_into(value, max);
  for (size_t i = 0; i < register_count; ++i) max[i] = std::max(max[i], dense_get(value, i));
  return true;
}

uint64_t estimate_histogram(const Histogram& histogram) {
  const double m = register_count;
  double z = m * tau((m - histogram[hash_bits_counted + 1]) / m);
  for (int j = hash_bits_counted; j >= 1; --j) {
    z += histogram[j];
    z *= 0.5;
  }
  z += m * sigma(histogram[0] / m);
  return static_cast<uint64_t>(static_cast<double>(std::llroundl(alpha_inf * m * m / z)));
}

uint64_t estimate_registers(const Registers& registers) {
  Histogram histogram{};
  for (const uint8_t r : registers) ++histogram[r];
  return estimate_histogram(histogram);
}

std::optional<uint64_t> estimate(std::string_view value) {
  Histogram histogram{};
  if (is_dense(value)) {
    for (size_t i = 0; i < register_count; ++i) ++histogram[dense_get(value, i)];
  } else if (!sparse_histogram(value, histogram)) {
    return std::nullopt;
  }
  return estimate_histogram(histogram);
}

std::optional<uint64_t> cached_cardinality(std::string_view value) {
  const auto* card = reinterpret_cast<const unsigned char*>(value.data()) + cache_at;
  if ((card[7] & 0x80) != 0) return std::nullopt;
  return read_le64(card);
}

void set_cached_cardinality(std::string& value, uint64_t cardinality) {
  for (size_t i = 0; i < 8; ++i) {
    value[cache_at + i] = static_cast<char>((cardinality >> (8 * i)) & 0xff);
  }
}

void invalidate_cache(std::string& value) {
  value[cache_at + 7] = static_cast<char>(static_cast<uint8_t>(value[cache_at + 7]) | 0x80);
}

}  // namespace ringcache::commands::hll
