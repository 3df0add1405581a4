// TraceBuilder: dense numbering, working-set size and next-access times.

#include "lab/trace.h"

#include "core/util/assert.h"

namespace ringcache::lab {

uint32_t TraceBuilder::number(uint64_t raw_key, uint32_t size) {
  const store::policies::Handle known = numbers_.find(raw_key);
  if (known != store::policies::no_handle) return known;
  RING_ASSERT_MSG(trace_.objects < store::policies::no_handle - 1, "too many objects");
  const uint32_t fresh = trace_.objects++;
  numbers_.set(raw_key, fresh);
  trace_.working_set_bytes += size;
  return fresh;
}

void TraceBuilder::add(uint64_t raw_key, uint32_t size) {
  if (size == 0) size = 1;
  trace_.requests.push_back(TraceRequest{number(raw_key, size), size, -1});
}

void TraceBuilder::add_delete(uint64_t raw_key) {
  // A delete of a key never requested names no object worth numbering.
  const store::policies::Handle known = numbers_.find(raw_key);
  if (known == store::policies::no_handle) return;
  trace_.requests.push_back(TraceRequest{known, 0, -1});
}

Trace TraceBuilder::finish() {
  // One backward pass: the next request of each object is the last one seen from the end.
  std::vector<int64_t> next(trace_.objects, -1);
  for (size_t i = trace_.requests.size(); i-- > 0;) {
    TraceRequest& r = trace_.requests[i];
    if (r.is_delete()) {
      next[r.object] = -1;
      continue;
    }
    r.next_access = next[r.object];
    next[r.object] = static_cast<int64_t>(i);
  }
  numbers_.clear();
  Trace done = std::move(trace_);
  trace_ = Trace{};
  return done;
}

uint64_t key_fingerprint(std::string_view key) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : key) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  h ^= h >> 31;
  h *= 0x7fb5d329728ea185ULL;
  return h ^ (h >> 27);
}

}  // namespace ringcache::lab
