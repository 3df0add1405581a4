// INFO stats. Replication traffic counters, forks, defrag, I/O threads and reply-buffer resizing do not exist
// here: their fields read zero, as on a Redis that never used them.

#include "core/commands/server/info/info_text.h"

namespace ringcache::commands::info {
namespace {

void traffic_fields(const server::ServerStats& stats, InfoText& info) {
  info.field("total_connections_received", stats.total_connections_received);
  info.field("total_commands_processed", stats.total_commands_processed);
  info.field("instantaneous_ops_per_sec", stats.instantaneous_ops_per_sec);
  info.field("total_net_input_bytes", stats.total_net_input_bytes);
  info.field("total_net_output_bytes", stats.total_net_output_bytes);
  info.zeros({"total_net_repl_input_bytes", "total_net_repl_output_bytes"});
  for (std::string_view name :
       {"instantaneous_input_kbps", "instantaneous_output_kbps", "instantaneous_input_repl_kbps",
        "instantaneous_output_repl_kbps"}) {
    info.field(name, "0.00");  // not sampled yet
  }
  info.field("rejected_connections", stats.rejected_connections);
  info.field("sync_full", stats.sync_full);
  info.field("sync_partial_ok", stats.sync_partial_ok);
  info.field("sync_partial_err", stats.sync_partial_err);
}

void keyspace_fields(const store::KeyspaceStats& keys, uint64_t evicted_clients,
                     InfoText& info) {
  info.field("expired_keys", keys.expired_keys);
  info.field("expired_stale_perc", fmt::format("{:.2f}", keys.expired_stale_perc_x100 / 100.0));
  info.field("expired_time_cap_reached_count", 0);
  info.field("expire_cycle_cpu_milliseconds", keys.expire_cycle_cpu_milliseconds);
  info.field("evicted_keys", keys.evicted_keys);
  info.field("evicted_clients", evicted_clients);
  info.zeros({"total_eviction_exceeded_time", "current_eviction_exceeded_time"});
  info.field("keyspace_hits", keys.keyspace_hits);
  info.field("keyspace_misses", keys.keyspace_misses);
}

void pubsub_tracking_fields(server::Server& server, InfoText& info) {
  using Kind = server::PubSub::Kind;
  info.field("pubsub_channels", server.pubsub().active(Kind::channel, std::nullopt).size());
  info.field("pubsub_patterns", server.pubsub().pattern_count());
  info.field("pubsubshard_channels", server.pubsub().active(Kind::shard, std::nullopt).size());
  info.zeros({"latest_fork_usec", "total_forks", "migrate_cached_sockets",
              "slave_expires_tracked_keys", "active_defrag_hits", "active_defrag_misses",
              "active_defrag_key_hits", "active_defrag_key_misses", "total_active_defrag_time",
              "current_active_defrag_time"});
  info.field("tracking_total_keys", server.tracking().table_keys());
  info.field("tracking_total_items", server.tracking().table_items());
  info.field("tracking_total_prefixes", server.tracking().prefix_count());
}

}  // namespace

void stats_section(server::Server& server, InfoText& info) {
  const server::ServerStats& stats = server.stats();
  info.section("Stats");
  traffic_fields(stats, info);
  keyspace_fields(server.keyspace().stats(), server.stats().evicted_clients, info);
  pubsub_tracking_fields(server, info);
  info.field("unexpected_error_replies", stats.unexpected_error_replies);
  info.field("total_error_replies", stats.total_error_replies);
  info.field("dump_payload_sanitizations", 0);
  info.zeros({"total_reads_processed", "total_writes_processed", "io_threaded_reads_processed",
              "io_threaded_writes_processed", "reply_buffer_shrinks", "reply_buffer_expands"});
  // Redis 7.2's ACL counters (7.0 has none): refused logins, commands, keys and channels.
  const server::acl::AclStats& acl = server.acl().stats();
  info.field("acl_access_denied_auth", acl.denied_auth);
  info.field("acl_access_denied_cmd", acl.denied_cmd);
  info.field("acl_access_denied_key", acl.denied_key);
  info.field("acl_access_denied_channel", acl.denied_channel);
}

}  // namespace ringcache::commands::info
