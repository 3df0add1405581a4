#pragma once
// Cache sizes of a sweep: absolute ("4897", "64mb") or fractions of the working set ("0.01"),
// resolved against the trace (objects when sizes are ignored, else bytes).

#include <cstdint>
#include <string>
#include <vector>

namespace ringcache::trace_tool {

struct SizeSpec {
  bool fraction = false;
  double value = 0;  // the fraction, or the absolute size
};

// libCacheSim's usual sweep.
inline constexpr const char* default_sizes = "0.001,0.003,0.01,0.03,0.1,0.2,0.4,0.8";

// Returns an error message or "".
std::string parse_sizes(const std::string& text, std::vector<SizeSpec>& out);
// The absolute size (truncated, as libCacheSim does: 1% of 48974 objects is 489), at least 1.
uint64_t resolve_size(const SizeSpec& spec, uint64_t working_set);

}  // namespace ringcache::trace_tool
