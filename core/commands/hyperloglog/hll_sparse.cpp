#include "core/commands/hyperloglog/hll_sparse.h"

#include <algorithm>
#include <functional>

#include "core/util/assert.h"

namespace ringcache::commands::hll {
namespace {

constexpr uint8_t xzero_bit = 0x40;
constexpr uint8_t val_bit = 0x80;
constexpr size_t zero_max_len = 64;
constexpr size_t xzero_max_len = 16384;
constexpr uint8_t val_max_value = 32;
constexpr size_t val_max_len = 4;
static_assert(xzero_max_len == register_count, "one XZERO can cover every register");

bool is_zero(uint8_t op) { return (op & 0xc0) == 0; }
bool is_xzero(uint8_t op) { return (op & 0xc0) == xzero_bit; }
bool is_val(uint8_t op) { return (op & val_bit) != 0; }
size_t zero_len(uint8_t op) { return (op & 0x3f) + 1u; }
size_t val_len(uint8_t op) { return (op & 0x3) + 1u; }
uint8_t val_value(uint8_t op) { return static_cast<uint8_t>(((op >> 2) & 0x1f) + 1); }

char val_op(uint8_t value, size_t len) {
  return static_cast<char>(((value - 1) << 2 | (len - 1)) | val_bit);
}

// Appends the opcode for a zero run of `len` (ZERO when it fits, else XZERO).
void append_zeros(std::string& out, size_t len) {
  if (len > zero_max_len) {
    out += static_cast<char>(((len - 1) >> 8) | xzero_bit);
    out += static_cast<char>((len - 1) & 0xff);
  } else {
    out += static_cast<char>(len - 1);
  }
}

uint8_t at(std::string_view value, size_t i) { return static_cast<uint8_t>(value[i]); }

// Walks the opcodes, calling visit(first register, run length, value) per opcode; false when the
// code is truncated or does not cover exactly register_count registers.
bool walk(std::string_view value, const std::function<bool(size_t, size_t, uint8_t)>& visit) {
  size_t index = 0;
  for (size_t p = header_bytes; p < value.size();) {
    const uint8_t op = at(value, p);
    size_t len = 0;
    uint8_t reg = 0;
    if (is_zero(op)) {
      len = zero_len(op);
      p += 1;
    } else if (is_xzero(op)) {
      if (p + 1 >= value.size()) return false;
      len = (((op & 0x3fu) << 8) | at(value, p + 1)) + 1;
      p += 2;
    } else {
      len = val_len(op);
      reg = val_value(op);
      p += 1;
    }
    if (index + len > register_count) return false;
    if (!visit(index, len, reg)) return false;
    index += len;
  }
  return index == register_count;
}

// Redis' step 4: merges adjacent VAL opcodes of equal value, scanning at most five opcodes from
// `from`.
void merge_adjacent_vals(std::string& value, size_t from) {
  int scans = 5;
  size_t p = from;
  while (p < value.size() && scans-- > 0) {
    const uint8_t op = at(value, p);
    if (is_xzero(op)) {
      p += 2;
      continue;
    }
    if (is_zero(op)) {
      ++p;
      continue;
    }
    if (p + 1 < value.size() && is_val(at(value, p + 1))) {
      const uint8_t next = at(value, p + 1);
      const size_t len = val_len(op) + val_len(next);
      if (val_value(op) == val_value(next) && len <= val_max_len) {
        value[p + 1] = val_op(val_value(op), len);
        value.erase(p, 1);
        continue;  // the merged opcode may merge with the next one too
      }
    }
    ++p;
  }
}

std::optional<int> promote(std::string& value, size_t index, uint8_t count) {
  if (!to_dense(value)) return std::nullopt;
  RING_ASSERT(dense_get(value, index) < count);
  dense_set(value, index, count);
  return 1;
}

// The opcodes replacing one that covers registers first..last when `index` becomes `count`.
std::string split(uint8_t op, size_t first, size_t last, size_t index, uint8_t count) {
  std::string seq;
  const bool zeros = !is_val(op);
  auto append_run = [&](size_t len) {
    if (zeros) {
      append_zeros(seq, len);
    } else {
      seq += val_op(val_value(op), len);
    }
  };
  if (index != first) append_run(index - first);
  seq += val_op(count, 1);
  if (index != last) append_run(last - index);
  return seq;
}

}  // namespace

void append_zero_run(std::string& value, size_t registers) {
  while (registers > 0) {
    const size_t len = std::min(registers, xzero_max_len);
    // Always XZERO, as Redis writes a new value, even for a run ZERO could hold.
    value += static_cast<char>(((len - 1) >> 8) | xzero_bit);
    value += static_cast<char>((len - 1) & 0xff);
    registers -= len;
  }
}

std::optional<int> sparse_raise(std::string& value, size_t index, uint8_t count,
                                size_t sparse_max_bytes) {
  if (count > val_max_value) return promote(value, index, count);
  // Step 1: the opcode covering `index`, and the one before it.
  size_t p = header_bytes;
  size_t first = 0;
  size_t span = 0;
  size_t prev = 0;
  bool has_prev = false;
  for (; p < value.size(); p += is_xzero(at(value, p)) ? 2 : 1) {
    const uint8_t op = at(value, p);
    if (is_xzero(op)) {
      if (p + 1 >= value.size()) return std::nullopt;
      span = (((op & 0x3fu) << 8) | at(value, p + 1)) + 1;
    } else {
      span = is_zero(op) ? zero_len(op) : val_len(op);
    }
    if (index <= first + span - 1) break;
    prev = p;
    has_prev = true;
    first += span;
  }
  if (span == 0 || p >= value.size()) return std::nullopt;
  const uint8_t op = at(value, p);
  const size_t from = has_prev ? prev : header_bytes;
  // Step 2: the cases that rewrite one byte in place.
  if (is_val(op)) {
    if (val_value(op) >= count) return 0;
    if (val_len(op) == 1) {
      value[p] = val_op(count, 1);
      merge_adjacent_vals(value, from);
      return 1;
    }
  }
  if (is_zero(op) && zero_len(op) == 1) {
    value[p] = val_op(count, 1);
    merge_adjacent_vals(value, from);
    return 1;
  }
  // Step 3: the general case splits the opcode in up to three.
  const std::string seq = split(op, first, first + span - 1, index, count);
  const size_t old_len = is_xzero(op) ? 2 : 1;
  if (seq.size() > old_len && value.size() + seq.size() - old_len > sparse_max_bytes) {
    return promote(value, index, count);
  }
  value.replace(p, old_len, seq);
  merge_adjacent_vals(value, from);
  return 1;
}

bool to_dense(std::string& value) {
  if (is_dense(value)) return true;
  std::string dense(dense_bytes, '\0');
  dense.replace(0, header_bytes, value, 0, header_bytes);
  dense[4] = static_cast<char>(encoding_dense);
  const bool valid = walk(value, [&](size_t first, size_t len, uint8_t reg) {
    if (reg != 0) {
      for (size_t i = 0; i < len; ++i) dense_set(dense, first + i, reg);
    }
    return true;
  });
  if (!valid) return false;
  value = std::move(dense);
  return true;
}

bool sparse_merge_into(std::string_view value, Registers& max) {
  return walk(value, [&](size_t first, size_t len, uint8_t reg) {
    for (size_t i = 0; i < len; ++i) max[first + i] = std::max(max[first + i], reg);
    return true;
  });
}

bool sparse_histogram(std::string_view value, Histogram& histogram) {
  return walk(value, [&](size_t, size_t len, uint8_t reg) {
    histogram[reg] += static_cast<int>(len);
    return true;
  });
}

}  // namespace ringcache::commands::hll
