#include "core/node/server.h"

#include "core/node/server_metrics.h"

namespace ringcache::node {

Server::Server(Runtime& runtime, Config config)
    : runtime_(runtime),
      config_(std::move(config)),
      keyspace_(runtime.rng(), config_.eviction),
      commands_(commands::build_command_table()),
      start_time_(runtime.now()) {
  register_server_metrics(*this);
}

void Server::notify_keyspace_event(uint32_t event_class, std::string_view event,
                                   std::string_view key) {
  // Delivery comes with pub/sub; until then commands already report their events here.
  (void)event_class;
  (void)event;
  (void)key;
}

void Server::apply_config() { keyspace_.set_eviction_config(config_.eviction); }

}  // namespace ringcache::node
