#include "runtime/sim/run_digest.h"

#include <fmt/format.h>

namespace ringcache::sim {

void RunDigest::note(int64_t time_ns, std::string_view line) {
  if (!sink_) return;
  sink_(fmt::format("{} {}", format_time(time_ns), line));
}

std::string RunDigest::hash_hex() const { return fmt::format("{:016x}", hash_); }

std::string format_time(int64_t time_ns) {
  const char* sign = time_ns < 0 ? "-" : "";
  const uint64_t magnitude = time_ns < 0 ? -static_cast<uint64_t>(time_ns) : time_ns;
  return fmt::format("{}{}.{:09}s", sign, magnitude / 1'000'000'000, magnitude % 1'000'000'000);
}

}  // namespace ringcache::sim
