// INFO replication, cpu, modules, cluster and keyspace: the short sections. Replication's fields
// come from core/replication (server::ReplicationControl); modules are not supported, so that
// section is empty as on a Redis with none loaded.

#include "core/cluster/cluster_state.h"
#include "core/commands/server/info/info_text.h"

namespace ringcache::commands::info {
namespace {

std::string cpu_seconds(int64_t us) { return fmt::format("{:.6f}", static_cast<double>(us) / 1e6); }

}  // namespace

void replication_section(server::Server& server, InfoText& info) {
  info.section("Replication");
  if (const server::ReplicationControl* replication = server.replication()) {
    for (const auto& [name, value] : replication->info_fields()) info.field(name, value);
    return;
  }
  // No replication machinery (a bare server in tests): a fresh primary's fields.
  info.field("role", "master");
  info.field("connected_slaves", 0);
  info.field("master_failover_state", "no-failover");
  info.field("master_replid", server.replication_id());
  info.field("master_replid2", std::string(40, '0'));
  info.field("master_repl_offset", 0);
  info.field("second_repl_offset", -1);
  info.field("repl_backlog_active", 0);
  info.field("repl_backlog_size", constants::repl_backlog_size_default_bytes);
  info.field("repl_backlog_first_byte_offset", 0);
  info.field("repl_backlog_histlen", 0);
}

void cpu_section(server::Server& server, InfoText& info) {
  const Runtime::CpuTime process = server.runtime().process_cpu_time();
  const Runtime::CpuTime loop = server.runtime().loop_thread_cpu_time();
  info.section("CPU");
  info.field("used_cpu_sys", cpu_seconds(process.system_us));
  info.field("used_cpu_user", cpu_seconds(process.user_us));
  info.field("used_cpu_sys_children", cpu_seconds(0));  // no child processes: rewrites run inline
  info.field("used_cpu_user_children", cpu_seconds(0));
  info.field("used_cpu_sys_main_thread", cpu_seconds(loop.system_us));
  info.field("used_cpu_user_main_thread", cpu_seconds(loop.user_us));
}

void modules_section(server::Server&, InfoText& info) { info.section("Modules"); }

// The rest of the cluster's state is in CLUSTER INFO, as in Redis; slot migration's progress is
// ours.
void cluster_section(server::Server& server, InfoText& info) {
  info.section("Cluster");
  info.field("cluster_enabled", server.config().cluster.enabled ? 1 : 0);
  const cluster::ClusterState* cluster = server.cluster();
  if (cluster == nullptr) return;
  const cluster::MigrationStats& stats = cluster->migration().stats();
  info.field("cluster_migrations_in_flight", cluster->migrations_in_flight());
  info.field("cluster_migration_keys_sent", stats.keys_sent);
  info.field("cluster_migration_bytes_sent", stats.bytes_sent);
  info.field("cluster_migration_batches_failed", stats.batches_failed);
  info.field("cluster_migration_keys_received", stats.keys_received);
  info.field("cluster_migration_bytes_received", stats.bytes_received);
}

void keyspace_section(server::Server& server, InfoText& info) {
  info.section("Keyspace");
  const store::Keyspace& keyspace = server.keyspace();
  if (keyspace.size() == 0) return;
  info.field("db0", fmt::format("keys={},expires={},avg_ttl=0", keyspace.size(),
                                keyspace.expires_count()));
}

}  // namespace ringcache::commands::info
