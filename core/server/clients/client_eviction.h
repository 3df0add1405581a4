#pragma once
// maxmemory-clients, as Redis 7.0: when what every client's buffers hold together passes the
// limit, the clients holding the most are closed until the rest fit. A replica's link to its
// primary, the replicas it feeds and clients that asked for CLIENT NO-EVICT ON are never closed.

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "core/server/clients/client.h"

namespace ringcache::server {

// What `client` holds: its unparsed input and its pending output (replies and pushes).
size_t client_memory_bytes(const Client& client);

// The limit in bytes: `value` itself, or `value` percent of `maxmemory_bytes` (0 then when
// maxmemory is 0); 0: no limit.
uint64_t client_memory_limit_bytes(int64_t value, bool percent, uint64_t maxmemory_bytes);

// The clients to close, largest first, so that the others fit in `limit_bytes`.
std::vector<Client*> clients_to_evict(const std::map<uint64_t, Client*>& clients,
                                      uint64_t limit_bytes);

}  // namespace ringcache::server
