// INFO [section ...]: Redis' sections and field names, so monitoring tools and client libraries
// that parse INFO find what they look for.

#include <fmt/format.h>

#include <chrono>

#include "core/commands/server/server_family.h"
#include "core/server/server.h"
#include "core/protocol/ascii.h"

namespace ringcache::commands {
namespace {

// Redis' bytesToHuman: 1023B, 1.00K, 2.50M ...
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

class InfoText {
 public:
  void section(std::string_view title) {
    if (!text_.empty()) text_ += "\r\n";
    fmt::format_to(std::back_inserter(text_), "# {}\r\n", title);
  }
  template <typename T>
  void field(std::string_view name, const T& value) {
    fmt::format_to(std::back_inserter(text_), "{}:{}\r\n", name, value);
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

void server_section(server::Server& server, InfoText& info) {
  const auto uptime =
      std::chrono::duration_cast<std::chrono::seconds>(server.runtime().now() - server.start_time());
  info.section("Server");
  info.field("redis_version", constants::redis_compat_version);
  info.field("ringcache_version", constants::ringcache_version);
  info.field("redis_mode", "standalone");
  info.field("arch_bits", 64);
  info.field("multiplexing_api", "ringcache");
  info.field("process_id", server.runtime().process_id());
  info.field("tcp_port", server.config().port);
  info.field("uptime_in_seconds", uptime.count());
  info.field("uptime_in_days", uptime.count() / 86400);
  info.field("hz", server.config().hz);
  info.field("configured_hz", server.config().hz);
}

void clients_section(server::Server& server, InfoText& info) {
  info.section("Clients");
  info.field("connected_clients", server.clients().size());
  info.field("maxclients", server.config().maxclients);
  info.field("blocked_clients", server.blocked_clients().blocked_count());
  // Keys some client waits on (Redis 7.2's field; 7.0 has no count of them).
  info.field("total_blocking_keys", server.blocked_clients().blocking_keys());
}

void memory_section(server::Server& server, InfoText& info) {
  const uint64_t used = server.keyspace().used_memory();
  const uint64_t rss = server.runtime().process_rss_bytes();
  const uint64_t maxmemory = server.config().eviction.maxmemory_bytes;
  info.section("Memory");
  info.field("used_memory", used);
  info.field("used_memory_human", human_bytes(used));
  info.field("used_memory_rss", rss);
  info.field("used_memory_rss_human", human_bytes(rss));
  info.field("maxmemory", maxmemory);
  info.field("maxmemory_human", human_bytes(maxmemory));
  info.field("maxmemory_policy", store::maxmemory_policy_name(server.config().eviction.policy));
  const double ratio = used == 0 ? 0.0 : static_cast<double>(rss) / static_cast<double>(used);
  info.field("mem_fragmentation_ratio", fmt::format("{:.2f}", ratio));
}

void persistence_section(server::Server& server, InfoText& info) {
  info.section("Persistence");
  info.field("loading", server.loading() ? 1 : 0);
  info.field("rdb_changes_since_last_save", server.dirty());
  if (server.persistence() == nullptr) {
    info.field("aof_enabled", 0);
    return;
  }
  for (const auto& [name, value] : server.persistence()->info_fields()) info.field(name, value);
}

void stats_section(server::Server& server, InfoText& info) {
  const server::ServerStats& stats = server.stats();
  const store::KeyspaceStats& keys = server.keyspace().stats();
  info.section("Stats");
  info.field("total_connections_received", stats.total_connections_received);
  info.field("total_commands_processed", stats.total_commands_processed);
  info.field("instantaneous_ops_per_sec", stats.instantaneous_ops_per_sec);
  info.field("total_net_input_bytes", stats.total_net_input_bytes);
  info.field("total_net_output_bytes", stats.total_net_output_bytes);
  info.field("rejected_connections", stats.rejected_connections);
  info.field("expired_keys", keys.expired_keys);
  info.field("expired_stale_perc", fmt::format("{:.2f}", keys.expired_stale_perc_x100 / 100.0));
  info.field("expire_cycle_cpu_milliseconds", keys.expire_cycle_cpu_milliseconds);
  info.field("evicted_keys", keys.evicted_keys);
  info.field("keyspace_hits", keys.keyspace_hits);
  info.field("keyspace_misses", keys.keyspace_misses);
  info.field("total_error_replies", stats.total_error_replies);
}

void replication_section(InfoText& info) {
  info.section("Replication");
  info.field("role", "master");
  info.field("connected_slaves", 0);
}

void commandstats_line(const CommandSpec& spec, InfoText& info) {
  if (spec.stats.calls == 0 && spec.stats.rejected_calls == 0) return;
  // The same duration histogram /metrics exposes as ringcache_command_duration_seconds.
  const uint64_t usec = spec.stats.duration.sum_ns() / 1000;
  const double per_call =
      spec.stats.calls == 0 ? 0.0 : static_cast<double>(usec) / static_cast<double>(spec.stats.calls);
  info.field(fmt::format("cmdstat_{}", spec.name),
             fmt::format("calls={},usec={},usec_per_call={:.2f},rejected_calls={},failed_calls={}",
                         spec.stats.calls, usec, per_call, spec.stats.rejected_calls,
                         spec.stats.failed_calls));
}

void cpu_section(server::Server& server, InfoText& info) {
  const auto seconds = [](int64_t us) { return fmt::format("{:.6f}", static_cast<double>(us) / 1e6); };
  const Runtime::CpuTime process = server.runtime().process_cpu_time();
  const Runtime::CpuTime loop = server.runtime().loop_thread_cpu_time();
  info.section("CPU");
  info.field("used_cpu_sys", seconds(process.system_us));
  info.field("used_cpu_user", seconds(process.user_us));
  info.field("used_cpu_sys_children", seconds(0));  // no child processes: rewrites run inline
  info.field("used_cpu_user_children", seconds(0));
  info.field("used_cpu_sys_main_thread", seconds(loop.system_us));
  info.field("used_cpu_user_main_thread", seconds(loop.user_us));
}

void commandstats_section(server::Server& server, InfoText& info) {
  info.section("Commandstats");
  for (const CommandSpec* spec : server.commands().all()) {
    commandstats_line(*spec, info);
    for (const CommandSpec& sub : spec->subcommands) commandstats_line(sub, info);
  }
}

void keyspace_section(server::Server& server, InfoText& info) {
  info.section("Keyspace");
  const store::Keyspace& keyspace = server.keyspace();
  if (keyspace.size() == 0) return;
  info.field("db0", fmt::format("keys={},expires={},avg_ttl=0", keyspace.size(),
                                keyspace.expires_count()));
}

struct Section {
  std::string_view name;
  bool in_default;
  void (*write)(server::Server&, InfoText&);
};

constexpr Section info_sections[] = {
    {"server", true, server_section},
    {"clients", true, clients_section},
    {"memory", true, memory_section},
    {"persistence", true, persistence_section},
    {"stats", true, stats_section},
    {"replication", true, [](server::Server&, InfoText& info) { replication_section(info); }},
    {"cpu", true, cpu_section},
    {"commandstats", false, commandstats_section},
    {"keyspace", true, keyspace_section},
};

// Whether INFO's arguments select `section`: none means "default"; "all" and "everything" take
// every section.
bool selected(std::span<const std::string_view> args, const Section& section) {
  if (args.empty()) return section.in_default;
  for (std::string_view arg : args) {
    if (protocol::iequals(arg, "all") || protocol::iequals(arg, "everything")) return true;
    if (protocol::iequals(arg, "default") && section.in_default) return true;
    if (protocol::iequals(arg, section.name)) return true;
  }
  return false;
}

void info_command(CommandContext& ctx) {
  InfoText info;
  for (const Section& section : info_sections) {
    if (selected(ctx.argv.subspan(1), section)) section.write(ctx.server, info);
  }
  ctx.reply.verbatim("txt", info.text());
}

}  // namespace

void register_info_command(CommandTable& table) {
  table.add(spec("info", -1, info_command)
                .flags(flag_loading | flag_stale)
                .acl("@slow @dangerous")
                .group("server")
                .doc("Get information and statistics about the server", "1.0.0"));
}

}  // namespace ringcache::commands
