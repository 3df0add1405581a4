#pragma once
// MONITOR: clients that receive a line for every command another client runs, as Redis 7.0
// writes it: +<unix seconds>.<micros> [<db> <client address>] "name" "arg" ... Secrets are
// "(redacted)"; admin commands and those flagged skip_monitor are not shown (dispatch decides).

#include <span>
#include <string_view>
#include <vector>

#include "core/server/clients/client.h"
#include "core/server/command_table.h"
#include "core/server/pubsub/push_delivery.h"

namespace ringcache::server {

class Monitors {
 public:
  bool empty() const { return monitors_.empty(); }
  void add(Client& client);
  // A closing or RESET client stops monitoring.
  void remove(Client& client);
  // Sends `source`'s command to every monitor, through the pushes so no monitor is waited for.
  void feed(const Client& source, const CommandSpec& spec, std::span<const std::string_view> argv,
            int64_t wall_time_us, PushDelivery& delivery);

 private:
  std::vector<Client*> monitors_;
};

}  // namespace ringcache::server
