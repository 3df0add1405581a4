// INFO server and clients.

#include <chrono>

#include "core/commands/server/info/info_text.h"

namespace ringcache::commands::info {
namespace {

// Redis' LRU clock: seconds of the wall clock, on 24 bits.
constexpr int64_t lru_clock_mask = (1 << 24) - 1;

}  // namespace

std::string human_bytes(uint64_t bytes) {
  static constexpr const char* units[] = {"K", "M", "G", "T", "P"};
  if (bytes < 1024) return fmt::format("{}B", bytes);
  double value = static_cast<double>(bytes) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(units)) {
    value /= 1024;
    ++unit;
  }
  return fmt::format("{:.2f}{}", value, units[unit]);
}

std::string ratio_text(uint64_t numerator, uint64_t denominator) {
  const double ratio =
      denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
  return fmt::format("{:.2f}", ratio);
}

void server_section(server::Server& server, InfoText& info) {
  const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(server.runtime().now() -
                                                                       server.start_time());
  const int64_t wall_us = server.runtime().wall_time_us();
  const server::Config& config = server.config();
  info.section("Server");
  info.field("redis_version", constants::redis_compat_version);
  info.field("ringcache_version", constants::ringcache_version);
  info.field("redis_git_sha1", "00000000");
  info.field("redis_git_dirty", 0);
  info.field("redis_build_id", "0");
  info.field("redis_mode", config.cluster.enabled ? "cluster" : "standalone");
  info.field("os", server.runtime().system_name());
  info.field("arch_bits", 64);
  info.field("monotonic_clock", "POSIX clock_gettime");
  info.field("multiplexing_api", "ringcache");
  info.field("atomicvar_api", "c11-builtin");
  info.field("gcc_version", "0.0.0");
  info.field("process_id", server.runtime().process_id());
  info.field("process_supervised", "no");
  info.field("run_id", server.run_id());
  info.field("tcp_port", config.port);
  info.field("server_time_usec", wall_us);
  info.field("uptime_in_seconds", uptime.count());
  info.field("uptime_in_days", uptime.count() / 86400);
  info.field("hz", config.hz);
  info.field("configured_hz", config.hz);
  info.field("lru_clock", (wall_us / 1'000'000) & lru_clock_mask);
  info.field("executable", config.executable);
  info.field("config_file", config.config_file);
  info.field("io_threads_active", 0);
}

void clients_section(server::Server& server, InfoText& info) {
  size_t max_input = 0;
  size_t max_output = 0;
  size_t tracking = 0;
  for (const auto& [id, client] : server.clients()) {
    max_input = std::max(max_input, client->query_buffer_bytes);
    max_output = std::max(max_output, client->output_buffer_bytes);
    if (client->tracking.on) ++tracking;
  }
  info.section("Clients");
  info.field("connected_clients", server.clients().size());
  info.field("cluster_connections", 0);
  info.field("maxclients", server.config().maxclients);
  info.field("client_recent_max_input_buffer", max_input);
  info.field("client_recent_max_output_buffer", max_output);
  info.field("blocked_clients", server.blocked_clients().blocked_count());
  info.field("tracking_clients", tracking);
  // Every blocked client, with or without a timeout (Redis counts only those with one).
  info.field("clients_in_timeout_table", server.blocked_clients().blocked_count());
  // Keys some client waits on (Redis 7.2's field, after 7.0's).
  info.field("total_blocking_keys", server.blocked_clients().blocking_keys());
}

}  // namespace ringcache::commands::info
