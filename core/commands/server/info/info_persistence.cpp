// INFO persistence: Redis' fields in Redis' order. There are no RDB snapshots and no forks, so
// their fields read as on a Redis that never saved; the AOF's fields come from the AOF itself
// (PersistenceControl::info_fields) and override the defaults by name.

#include <chrono>
#include <map>

#include "core/commands/server/info/info_text.h"

namespace ringcache::commands::info {
namespace {

using Fields = std::map<std::string, std::string, std::less<>>;

// Writes `name` with the AOF's value when it gave one, else `fallback`; marks it written.
void aof_field(InfoText& info, Fields& aof, std::string_view name, std::string_view fallback) {
  auto it = aof.find(name);
  if (it == aof.end()) {
    info.field(name, fallback);
    return;
  }
  info.field(name, it->second);
  aof.erase(it);
}

void rdb_fields(server::Server& server, InfoText& info) {
  info.field("loading", server.loading() ? 1 : 0);
  info.zeros({"async_loading", "current_cow_peak", "current_cow_size", "current_cow_size_age"});
  info.field("current_fork_perc", "0.00");
  info.zeros({"current_save_keys_processed", "current_save_keys_total"});
  info.field("rdb_changes_since_last_save", server.dirty());
  info.field("rdb_bgsave_in_progress", 0);
  // Never saved: Redis reports the start time as the last save.
  info.field("rdb_last_save_time", server.runtime().wall_time_us() / 1'000'000 -
                                       std::chrono::duration_cast<std::chrono::seconds>(
                                           server.runtime().now() - server.start_time())
                                           .count());
  info.field("rdb_last_bgsave_status", "ok");
  info.field("rdb_last_bgsave_time_sec", -1);
  info.field("rdb_current_bgsave_time_sec", -1);
  info.zeros({"rdb_saves", "rdb_last_cow_size", "rdb_last_load_keys_expired",
              "rdb_last_load_keys_loaded"});
}

}  // namespace

void persistence_section(server::Server& server, InfoText& info) {
  Fields aof;
  if (server.persistence() != nullptr) {
    for (auto& [name, value] : server.persistence()->info_fields()) aof.emplace(name, value);
  }
  info.section("Persistence");
  rdb_fields(server, info);
  const bool enabled = aof.count("aof_enabled") != 0 && aof.at("aof_enabled") == "1";
  aof_field(info, aof, "aof_enabled", "0");
  aof_field(info, aof, "aof_rewrite_in_progress", "0");
  aof_field(info, aof, "aof_rewrite_scheduled", "0");
  aof_field(info, aof, "aof_last_rewrite_time_sec", "-1");
  aof_field(info, aof, "aof_current_rewrite_time_sec", "-1");
  aof_field(info, aof, "aof_last_bgrewrite_status", "ok");
  aof_field(info, aof, "aof_rewrites", "0");
  aof_field(info, aof, "aof_rewrites_consecutive_failures", "0");
  aof_field(info, aof, "aof_last_write_status", "ok");
  aof_field(info, aof, "aof_last_cow_size", "0");
  info.zeros({"module_fork_in_progress", "module_fork_last_cow_size"});
  if (enabled) {
    for (std::string_view name :
         {"aof_current_size", "aof_base_size", "aof_pending_rewrite", "aof_buffer_length",
          "aof_pending_bio_fsync", "aof_delayed_fsync"}) {
      aof_field(info, aof, name, "0");
    }
  }
  // What the AOF reports beyond Redis' fields (aof_loaded_keys), after them.
  for (const auto& [name, value] : aof) info.field(name, value);
}

}  // namespace ringcache::commands::info
