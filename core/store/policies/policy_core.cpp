// Policy names, per-key state sizes and the factory.

#include "core/store/policies/policy_core.h"

#include "core/store/policies/arc.h"
#include "core/store/policies/belady.h"
#include "core/store/policies/list_policies.h"
#include "core/store/policies/random_policy.h"
#include "core/store/policies/redis_sampled.h"
#include "core/store/policies/s3fifo.h"
#include "core/store/policies/wtinylfu.h"
#include "core/util/assert.h"

namespace ringcache::store::policies {

namespace {

struct KindInfo {
  PolicyKind kind;
  const char* name;
  size_t state_bytes;  // per resident key, ghosts and sketches aside (see each header)
};

constexpr KindInfo kinds[] = {
    {PolicyKind::lru, "lru", 8},
    {PolicyKind::fifo, "fifo", 8},
    {PolicyKind::clock, "clock", 9},
    {PolicyKind::sieve, "sieve", 9},
    {PolicyKind::s3fifo, "s3fifo", 24},
    {PolicyKind::wtinylfu, "wtinylfu", 24},
    {PolicyKind::wtinylfu_adaptive, "wtinylfu-adaptive", 24},
    {PolicyKind::arc, "arc", 24},
    {PolicyKind::random, "random", 8},
    {PolicyKind::belady, "belady", 8},
    {PolicyKind::redis_lru, "redis-lru", 12},
    {PolicyKind::redis_lfu, "redis-lfu", 12},
};

const KindInfo& info(PolicyKind kind) {
  for (const KindInfo& k : kinds) {
    if (k.kind == kind) return k;
  }
  RING_UNREACHABLE();
}

}  // namespace

const char* policy_kind_name(PolicyKind kind) { return info(kind).name; }

size_t policy_state_bytes_per_key(PolicyKind kind) { return info(kind).state_bytes; }

std::optional<PolicyKind> parse_policy_kind(std::string_view name) {
  for (const KindInfo& k : kinds) {
    if (name == k.name) return k.kind;
  }
  return std::nullopt;
}

std::unique_ptr<PolicyCore> make_policy_core(PolicyKind kind, const PolicyParams& params) {
  const uint64_t c = params.capacity;
  switch (kind) {
    case PolicyKind::lru:
      return std::make_unique<LruPolicy>(c);
    case PolicyKind::fifo:
      return std::make_unique<FifoPolicy>(c);
    case PolicyKind::clock:
      return std::make_unique<ClockPolicy>(c);
    case PolicyKind::sieve:
      return std::make_unique<SievePolicy>(c);
    case PolicyKind::s3fifo:
      return std::make_unique<S3FifoPolicy>(c);
    case PolicyKind::wtinylfu:
      return std::make_unique<WTinyLfuPolicy>(c, false);
    case PolicyKind::wtinylfu_adaptive:
      return std::make_unique<WTinyLfuPolicy>(c, true);
    case PolicyKind::arc:
      return std::make_unique<ArcPolicy>(c);
    case PolicyKind::random:
      return std::make_unique<RandomPolicy>(c, params.seed);
    case PolicyKind::belady:
      return std::make_unique<BeladyPolicy>(c);
    case PolicyKind::redis_lru:
    case PolicyKind::redis_lfu:
      return std::make_unique<RedisSampledPolicy>(c, kind == PolicyKind::redis_lfu,
                                                  params.sampled, params.seed);
  }
  RING_UNREACHABLE();
}

}  // namespace ringcache::store::policies
