#include "core/server/clients/client_eviction.h"

#include <algorithm>

#include "core/server/clients/output_limits.h"

namespace ringcache::server {
namespace {

bool evictable(const Client& client) {
  return !client.no_evict && !client.replication_master && !client.psync_requested;
}

}  // namespace

size_t client_memory_bytes(const Client& client) {
  return client.query_buffer_bytes + pending_output_bytes(client);
}

uint64_t client_memory_limit_bytes(int64_t value, bool percent, uint64_t maxmemory_bytes) {
  if (value <= 0) return 0;
  if (!percent) return static_cast<uint64_t>(value);
  return maxmemory_bytes / 100 * static_cast<uint64_t>(value);
}

std::vector<Client*> clients_to_evict(const std::map<uint64_t, Client*>& clients,
                                      uint64_t limit_bytes) {
  if (limit_bytes == 0) return {};
  uint64_t total = 0;
  std::vector<Client*> candidates;
  for (const auto& [id, client] : clients) {
    if (!evictable(*client)) continue;
    total += client_memory_bytes(*client);
    candidates.push_back(client);
  }
  if (total <= limit_bytes) return {};
  // Largest first; among equals the newest (highest id), which has served the least.
  std::sort(candidates.begin(), candidates.end(), [](const Client* a, const Client* b) {
    const size_t a_bytes = client_memory_bytes(*a), b_bytes = client_memory_bytes(*b);
    return a_bytes != b_bytes ? a_bytes > b_bytes : a->id > b->id;
  });
  std::vector<Client*> evicted;
  for (Client* client : candidates) {
    if (total <= limit_bytes) break;
    total -= client_memory_bytes(*client);
    evicted.push_back(client);
  }
  return evicted;
}

}  // namespace ringcache::server
