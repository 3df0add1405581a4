// maxmemory-policy names, policy traits and the factory; the policies live in their own files.

#include "core/store/eviction_policy.h"

#include "core/store/core_eviction.h"
#include "core/store/entry.h"
#include "core/store/sampled_eviction.h"
#include "core/util/assert.h"

namespace ringcache::store {

namespace {

struct PolicyName {
  MaxmemoryPolicy policy;
  const char* name;
};

constexpr PolicyName policy_names[] = {
    {MaxmemoryPolicy::noeviction, "noeviction"},
    {MaxmemoryPolicy::allkeys_lru, "allkeys-lru"},
    {MaxmemoryPolicy::allkeys_lfu, "allkeys-lfu"},
    {MaxmemoryPolicy::allkeys_random, "allkeys-random"},
    {MaxmemoryPolicy::volatile_lru, "volatile-lru"},
    {MaxmemoryPolicy::volatile_lfu, "volatile-lfu"},
    {MaxmemoryPolicy::volatile_random, "volatile-random"},
    {MaxmemoryPolicy::volatile_ttl, "volatile-ttl"},
    {MaxmemoryPolicy::allkeys_lru_exact, "allkeys-lru-exact"},
    {MaxmemoryPolicy::allkeys_fifo, "allkeys-fifo"},
    {MaxmemoryPolicy::allkeys_clock, "allkeys-clock"},
    {MaxmemoryPolicy::allkeys_sieve, "allkeys-sieve"},
    {MaxmemoryPolicy::allkeys_s3fifo, "allkeys-s3fifo"},
    {MaxmemoryPolicy::allkeys_wtinylfu, "allkeys-wtinylfu"},
    {MaxmemoryPolicy::allkeys_wtinylfu_adaptive, "allkeys-wtinylfu-adaptive"},
    {MaxmemoryPolicy::allkeys_arc, "allkeys-arc"},
    {MaxmemoryPolicy::volatile_lru_exact, "volatile-lru-exact"},
    {MaxmemoryPolicy::volatile_fifo, "volatile-fifo"},
    {MaxmemoryPolicy::volatile_clock, "volatile-clock"},
    {MaxmemoryPolicy::volatile_sieve, "volatile-sieve"},
    {MaxmemoryPolicy::volatile_s3fifo, "volatile-s3fifo"},
    {MaxmemoryPolicy::volatile_wtinylfu, "volatile-wtinylfu"},
    {MaxmemoryPolicy::volatile_wtinylfu_adaptive, "volatile-wtinylfu-adaptive"},
    {MaxmemoryPolicy::volatile_arc, "volatile-arc"},
};

// The lab policies and the core each runs, for both scopes.
struct CorePolicy {
  MaxmemoryPolicy allkeys;
  MaxmemoryPolicy volatile_keys;
  policies::PolicyKind core;
};

constexpr CorePolicy core_policies[] = {
    {MaxmemoryPolicy::allkeys_lru_exact, MaxmemoryPolicy::volatile_lru_exact,
     policies::PolicyKind::lru},
    {MaxmemoryPolicy::allkeys_fifo, MaxmemoryPolicy::volatile_fifo, policies::PolicyKind::fifo},
    {MaxmemoryPolicy::allkeys_clock, MaxmemoryPolicy::volatile_clock,
     policies::PolicyKind::clock},
    {MaxmemoryPolicy::allkeys_sieve, MaxmemoryPolicy::volatile_sieve,
     policies::PolicyKind::sieve},
    {MaxmemoryPolicy::allkeys_s3fifo, MaxmemoryPolicy::volatile_s3fifo,
     policies::PolicyKind::s3fifo},
    {MaxmemoryPolicy::allkeys_wtinylfu, MaxmemoryPolicy::volatile_wtinylfu,
     policies::PolicyKind::wtinylfu},
    {MaxmemoryPolicy::allkeys_wtinylfu_adaptive, MaxmemoryPolicy::volatile_wtinylfu_adaptive,
     policies::PolicyKind::wtinylfu_adaptive},
    {MaxmemoryPolicy::allkeys_arc, MaxmemoryPolicy::volatile_arc, policies::PolicyKind::arc},
};

const CorePolicy* core_policy(MaxmemoryPolicy policy) {
  for (const CorePolicy& entry : core_policies) {
    if (entry.allkeys == policy || entry.volatile_keys == policy) return &entry;
  }
  return nullptr;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Never evicts: make_room fails as soon as memory is over the limit.
class NoEviction final : public EvictionPolicy {
 public:
  MaxmemoryPolicy kind() const override { return MaxmemoryPolicy::noeviction; }
  Entry* pick_victim(EvictionContext&) override { return nullptr; }
};

}  // namespace

std::optional<MaxmemoryPolicy> parse_maxmemory_policy(std::string_view name) {
  // CONFIG SET takes enum values case-insensitively, as Redis does.
  for (const PolicyName& entry : policy_names) {
    if (equal_ignoring_case(name, entry.name)) return entry.policy;
  }
  return std::nullopt;
}

const char* maxmemory_policy_name(MaxmemoryPolicy policy) {
  for (const PolicyName& entry : policy_names) {
    if (entry.policy == policy) return entry.name;
  }
  RING_UNREACHABLE();
}

bool policy_uses_lfu(MaxmemoryPolicy policy) {
  return policy == MaxmemoryPolicy::allkeys_lfu || policy == MaxmemoryPolicy::volatile_lfu;
}

bool policy_is_volatile(MaxmemoryPolicy policy) {
  switch (policy) {
    case MaxmemoryPolicy::volatile_lru:
    case MaxmemoryPolicy::volatile_lfu:
    case MaxmemoryPolicy::volatile_random:
    case MaxmemoryPolicy::volatile_ttl:
      return true;
    default: {
      const CorePolicy* lab = core_policy(policy);
      return lab != nullptr && lab->volatile_keys == policy;
    }
  }
}

uint32_t EvictionPolicy::access_clock(const Entry& entry) const { return entry.lru_field(); }

std::unique_ptr<EvictionPolicy> make_eviction_policy(MaxmemoryPolicy policy) {
  if (const CorePolicy* lab = core_policy(policy)) {
    return std::make_unique<CoreEviction>(policy, lab->core);
  }
  switch (policy) {
    case MaxmemoryPolicy::noeviction:
      return std::make_unique<NoEviction>();
    case MaxmemoryPolicy::allkeys_random:
    case MaxmemoryPolicy::volatile_random:
      return std::make_unique<RandomEviction>(policy);
    default:
      return std::make_unique<SampledEviction>(policy);
  }
}

}  // namespace ringcache::store
