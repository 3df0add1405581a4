// The replay loop, instantiated per concrete policy class so the calls into the core are direct
// (every policy class is final).

#include "lab/replay.h"

#include <vector>

#include "core/store/policies/arc.h"
#include "core/store/policies/belady.h"
#include "core/store/policies/list_policies.h"
#include "core/store/policies/random_policy.h"
#include "core/store/policies/redis_sampled.h"
#include "core/store/policies/s3fifo.h"
#include "core/store/policies/wtinylfu.h"

namespace ringcache::lab {

namespace {

using store::policies::Handle;
using store::policies::KeyInfo;
using store::policies::no_handle;

template <typename Core>
ReplayResult replay_with(Core& core, const Trace& trace, const ReplayOptions& options) {
  core.reserve(trace.objects);
  std::vector<uint8_t> resident(trace.objects, 0);
  std::vector<uint32_t> charged(trace.objects, 0);  // what each resident object counts
  uint64_t occupied = 0;
  ReplayResult result;
  const uint64_t capacity = options.capacity;
  for (size_t i = 0; i < trace.requests.size(); ++i) {
    if (options.progress && i % options.progress_every == 0 && i > 0) options.progress(i);
    const TraceRequest& r = trace.requests[i];
    if (r.is_delete()) {
      if (resident[r.object] != 0) {
        core.remove(r.object);
        resident[r.object] = 0;
        occupied -= charged[r.object];
      }
      continue;
    }
    const uint32_t size = options.ignore_size ? 1 : r.size;
    const KeyInfo key{r.object, size, r.next_access};
    ++result.requests;
    result.bytes += r.size;
    if (resident[r.object] != 0) {
      core.access(r.object, key);
      continue;
    }
    ++result.misses;
    result.miss_bytes += r.size;
    if (size > capacity) continue;
    core.miss(key);
    while (occupied + size > capacity) {
      const Handle victim = core.evict();
      if (victim == no_handle) break;
      resident[victim] = 0;
      occupied -= charged[victim];
    }
    if (core.insert(r.object, key)) {
      resident[r.object] = 1;
      charged[r.object] = size;
      occupied += size;
    }
  }
  return result;
}

template <typename Core, typename... Args>
ReplayResult run(const Trace& trace, const ReplayOptions& options, Args... args) {
  Core core(options.capacity, args...);
  return replay_with(core, trace, options);
}

}  // namespace

ReplayResult replay(store::policies::PolicyKind kind, const Trace& trace,
                    const ReplayOptions& options) {
  using namespace store::policies;
  switch (kind) {
    case PolicyKind::lru:
      return run<LruPolicy>(trace, options);
    case PolicyKind::fifo:
      return run<FifoPolicy>(trace, options);
    case PolicyKind::clock:
      return run<ClockPolicy>(trace, options);
    case PolicyKind::sieve:
      return run<SievePolicy>(trace, options);
    case PolicyKind::s3fifo:
      return run<S3FifoPolicy>(trace, options);
    case PolicyKind::wtinylfu:
      return run<WTinyLfuPolicy>(trace, options, false);
    case PolicyKind::wtinylfu_adaptive:
      return run<WTinyLfuPolicy>(trace, options, true);
    case PolicyKind::arc:
      return run<ArcPolicy>(trace, options);
    case PolicyKind::random:
      return run<RandomPolicy>(trace, options, options.seed);
    case PolicyKind::belady:
      return run<BeladyPolicy>(trace, options);
    case PolicyKind::redis_lru:
    case PolicyKind::redis_lfu:
      return run<RedisSampledPolicy>(trace, options, kind == PolicyKind::redis_lfu,
                                     options.sampled, options.seed);
  }
  RING_UNREACHABLE();
}

}  // namespace ringcache::lab
