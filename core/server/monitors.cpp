#include "core/server/monitors.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/protocol/repr.h"
#include "core/server/secret_arguments.h"

namespace ringcache::server {

void Monitors::add(Client& client) {
  if (std::find(monitors_.begin(), monitors_.end(), &client) == monitors_.end()) {
    monitors_.push_back(&client);
  }
  client.monitor = true;
}

void Monitors::remove(Client& client) {
  std::erase(monitors_, &client);
  client.monitor = false;
}

void Monitors::feed(const Client& source, const CommandSpec& spec,
                    std::span<const std::string_view> argv, int64_t wall_time_us,
                    PushDelivery& delivery) {
  std::string line = fmt::format("+{}.{:06} [{} {}]", wall_time_us / 1'000'000,
                                 wall_time_us % 1'000'000, source.db, source.address);
  for (size_t i = 0; i < argv.size(); ++i) {
    line += ' ';
    protocol::append_repr(line, is_secret_argument(spec, argv, i) ? "(redacted)" : argv[i]);
  }
  line += "\r\n";
  // Copied first: a monitor over its output limit is disconnected, which may remove it.
  const std::vector<Client*> targets = monitors_;
  for (Client* target : targets) {
    delivery.deliver(*target, line, PushDelivery::Placement::after_reply);
  }
}

}  // namespace ringcache::server
