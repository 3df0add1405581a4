// Server::command_finished: what happens after every command — its duration histogram, and
// for slow ones the slow log and the latency monitor, with Redis 7.0's rules; and the latency
// monitor's threshold for the node's other work (the expire cycle).

#include <chrono>

#include "core/server/server.h"
#include "core/server/secret_arguments.h"

namespace ringcache::server {

void Server::command_finished(const CommandSpec& spec, const Client& client,
                              std::span<const std::string_view> argv, Nanos took) {
  spec.stats.duration.observe(took);
  const int64_t took_us = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  const int64_t slower_than_us = config_.slowlog_log_slower_than_us;
  if (slower_than_us >= 0 && took_us >= slower_than_us &&
      (spec.flags & flag_skip_slowlog) == 0) {
    slowlog_.push(argv, [&](size_t i) { return is_secret_argument(spec, argv, i); },
                  runtime_.wall_time_us() / 1'000'000, took_us, client.address, client.name,
                  static_cast<size_t>(config_.slowlog_max_len));
  }
  observe_latency((spec.flags & flag_fast) != 0 ? "fast-command" : "command", took);
}

void Server::observe_latency(std::string_view event, Nanos took) {
  const int64_t threshold_ms = config_.latency_monitor_threshold_ms;
  const int64_t took_ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
  if (threshold_ms > 0 && took_ms >= threshold_ms) {
    latency_monitor_.add(event, runtime_.wall_time_us() / 1'000'000,
                         static_cast<uint64_t>(took_ms));
  }
}

}  // namespace ringcache::server
