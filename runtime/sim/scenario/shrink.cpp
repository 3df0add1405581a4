#include "runtime/sim/scenario/shrink.h"

#include <algorithm>
#include <cstddef>

namespace ringcache::sim {
namespace {

std::vector<FaultEvent> without(const std::vector<FaultEvent>& events, size_t from, size_t to) {
  std::vector<FaultEvent> out(events.begin(), events.begin() + static_cast<std::ptrdiff_t>(from));
  out.insert(out.end(), events.begin() + static_cast<std::ptrdiff_t>(to), events.end());
  return out;
}

}  // namespace

std::vector<FaultEvent> shrink_events(
    std::vector<FaultEvent> events,
    const std::function<bool(const std::vector<FaultEvent>&)>& fails) {
  size_t chunks = 2;
  while (events.size() >= 1) {
    if (events.size() == 1) {
      if (fails({})) events.clear();
      break;
    }
    chunks = std::min(chunks, events.size());
    const size_t size = (events.size() + chunks - 1) / chunks;
    bool reduced = false;
    for (size_t start = 0; start < events.size(); start += size) {
      const size_t end = std::min(events.size(), start + size);
      // Try only this chunk, then everything but this chunk.
      std::vector<FaultEvent> only(events.begin() + static_cast<std::ptrdiff_t>(start),
                                   events.begin() + static_cast<std::ptrdiff_t>(end));
      if (only.size() < events.size() && fails(only)) {
        events = std::move(only);
        chunks = 2;
        reduced = true;
        break;
      }
      std::vector<FaultEvent> rest = without(events, start, end);
      if (fails(rest)) {
        events = std::move(rest);
        chunks = std::max<size_t>(chunks - 1, 2);
        reduced = true;
        break;
      }
    }
    if (reduced) continue;
    if (chunks >= events.size()) break;  // 1-minimal
    chunks = std::min(events.size(), chunks * 2);
  }
  return events;
}

uint64_t shrink_ops(uint64_t max_ops, const std::function<bool(uint64_t)>& fails) {
  uint64_t best = max_ops;
  for (uint64_t step = best / 2; step > 0; step /= 2) {
    while (step < best && fails(best - step)) best -= step;
  }
  return best;
}

}  // namespace ringcache::sim
