#include "core/server/clients/output_limits.h"

#include <fmt/format.h>

#include <chrono>

namespace ringcache::server {

const OutputBufferLimit* output_limit_of(const OutputBufferLimits& limits, const Client& client) {
  if (client.replication_master) return nullptr;
  if (client.psync_requested) return &limits.replica;
  if (client.subscribed()) return &limits.pubsub;
  return &limits.normal;
}

bool output_limit_broken(const OutputBufferLimits& limits, Client& client, size_t pending,
                         Instant now) {
  const OutputBufferLimit* limit = output_limit_of(limits, client);
  if (limit == nullptr) return false;
  if (limit->hard_bytes != 0 && pending >= limit->hard_bytes) return true;
  if (limit->soft_bytes == 0 || pending < limit->soft_bytes) {
    client.output_soft_limit_since.reset();
    return false;
  }
  if (!client.output_soft_limit_since) {
    client.output_soft_limit_since = now;
    return false;
  }
  return now - *client.output_soft_limit_since > std::chrono::seconds(limit->soft_seconds);
}

std::string output_limit_log_line(const Client& client) {
  return fmt::format("Client id={} addr={} name={} closed for overcoming of output buffer limits.",
                     client.id, client.address, client.name);
}

}  // namespace ringcache::server
