#pragma once
// Counts of injected faults by kind ("net.partition", "disk.bitflip", ...), for the summary line
// and for tests. A kind is listed once it is enabled, even if it never fired, so the summary
// says what was possible as well as what happened.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace ringcache::sim {

class FaultCounters {
 public:
  void enable(std::string_view kind) { counts_.try_emplace(std::string(kind), 0); }
  void count(std::string_view kind) { ++counts_[std::string(kind)]; }
  uint64_t get(std::string_view kind) const {
    auto found = counts_.find(kind);
    return found == counts_.end() ? 0 : found->second;
  }
  // "kind:count,kind:count" sorted by kind; "none" when no kind is enabled.
  std::string summary() const {
    if (counts_.empty()) return "none";
    std::string out;
    for (const auto& [kind, count] : counts_) {
      if (!out.empty()) out += ',';
      out += kind + ':' + std::to_string(count);
    }
    return out;
  }
  uint64_t total() const {
    uint64_t sum = 0;
    for (const auto& entry : counts_) sum += entry.second;
    return sum;
  }

 private:
  std::map<std::string, uint64_t, std::less<>> counts_;
};

}  // namespace ringcache::sim
