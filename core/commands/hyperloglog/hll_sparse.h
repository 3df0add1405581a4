#pragma once
// The sparse encoding's opcodes (hll_format.h describes them) and the register accessors both
// encodings share; used by hll_format.cpp only.

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/commands/hyperloglog/hll_format.h"

namespace ringcache::commands::hll {

// How many registers hold each value (0..63).
using Histogram = std::array<int, 64>;

uint8_t dense_get(std::string_view value, size_t index);
void dense_set(std::string& value, size_t index, uint8_t count);

// Appends XZERO opcodes covering `registers` zero registers.
void append_zero_run(std::string& value, size_t registers);
// Raises a register of a sparse value, splitting and merging opcodes in place exactly as Redis'
// hllSparseSet does (so both produce the same bytes), or promoting to dense.
std::optional<int> sparse_raise(std::string& value, size_t index, uint8_t count,
                                size_t sparse_max_bytes);
bool sparse_merge_into(std::string_view value, Registers& max);
bool sparse_histogram(std::string_view value, Histogram& histogram);
uint64_t estimate_histogram(const Histogram& histogram);

}  // namespace ringcache::commands::hll
