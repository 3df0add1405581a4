// Parsing of --sizes items and their resolution against the working set.

#include "tools/trace/sizes.h"

#include <charconv>
#include <cmath>

namespace ringcache::trace_tool {

std::string parse_sizes(const std::string& text, std::vector<SizeSpec>& out) {
  out.clear();
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    start = end + 1;
    uint64_t unit = 1;
    for (auto [suffix, factor] : {std::pair{"kb", 1ULL << 10}, std::pair{"mb", 1ULL << 20},
                                  std::pair{"gb", 1ULL << 30}}) {
      if (item.size() > 2 && item.compare(item.size() - 2, 2, suffix) == 0) {
        unit = factor;
        item.resize(item.size() - 2);
      }
    }
    double value = 0;
    const auto [ptr, error] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (error != std::errc{} || ptr != item.data() + item.size() || !(value > 0) ||
        !std::isfinite(value)) {
      return "bad cache size '" + item + "' (a count like 4897, bytes like 64mb, or a fraction "
             "of the working set like 0.01)";
    }
    const bool fraction = unit == 1 && item.find('.') != std::string::npos && value <= 1;
    if (!fraction && value != std::floor(value)) {
      return "bad cache size '" + item + "': a fraction must be at most 1";
    }
    out.push_back(SizeSpec{fraction, value * static_cast<double>(unit)});
  }
  return "";
}

uint64_t resolve_size(const SizeSpec& spec, uint64_t working_set) {
  const double size = spec.fraction ? static_cast<double>(working_set) * spec.value : spec.value;
  return std::max<uint64_t>(1, static_cast<uint64_t>(size));
}

}  // namespace ringcache::trace_tool
