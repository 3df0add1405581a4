#pragma once
// client-output-buffer-limit, as Redis: a client whose pending output (replies not yet written,
// plus pushes waiting for it) passes its class's hard limit is closed at once, and one that stays
// above the soft limit for the soft limit's seconds is closed then.

#include <cstddef>

#include "core/server/clients/client.h"
#include "core/server/config/config.h"

namespace ringcache::server {

// The limit of a client's class, as Redis' getClientType sorts clients: a replica's link to its
// primary has none (nullptr), replicas fed by the replication stream the replica class,
// subscribers the pubsub class, everyone else (MONITOR included) the normal class.
const OutputBufferLimit* output_limit_of(const OutputBufferLimits& limits, const Client& client);

// Whether `pending` bytes of output break `client`'s limit at `now`. Keeps the client's
// soft-limit clock (Client::output_soft_limit_since) up to date, so call it whenever the amount
// changes and now and then while it stays (the cron does).
bool output_limit_broken(const OutputBufferLimits& limits, Client& client, size_t pending,
                         Instant now);

// Everything the client's connection holds for it to send.
inline size_t pending_output_bytes(const Client& client) {
  return client.output_buffer_bytes + client.pushes.size();
}

// The log line for a client closed by its limit (Redis' words).
std::string output_limit_log_line(const Client& client);

}  // namespace ringcache::server
