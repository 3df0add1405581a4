// INFO as a session: Redis 7.0's sections, field names and order, section selection, error
// statistics and the cluster flag.

#include <gmock/gmock.h>

#include <map>
#include <sstream>

#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;

class InfoTest : public CommandFixture {
 protected:
  // Section titles ("# Server" -> "Server") in the order the reply has them.
  std::vector<std::string> titles(std::vector<std::string> argv) {
    std::vector<std::string> found;
    std::istringstream lines(reply(std::move(argv)).text);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("# ")) found.push_back(line.substr(2, line.size() - 3));
    }
    return found;
  }
  // The field names of one section, in order.
  std::vector<std::string> field_names(const std::string& section) {
    std::vector<std::string> names;
    std::istringstream lines(reply({"INFO", section}).text);
    for (std::string line; std::getline(lines, line);) {
      const size_t colon = line.find(':');
      if (!line.starts_with("#") && colon != std::string::npos)
        names.push_back(line.substr(0, colon));
    }
    return names;
  }
  // `section`'s fields that Redis 7.0 also prints: every one of `expected`, in its order.
  void expect_redis_fields(const std::string& section, const std::vector<std::string>& expected) {
    std::vector<std::string> ours;
    for (const std::string& name : field_names(section)) {
      if (std::find(expected.begin(), expected.end(), name) != expected.end()) ours.push_back(name);
    }
    EXPECT_THAT(ours, ElementsAreArray(expected)) << section;
  }
  std::string field(const std::string& section, const std::string& name) {
    const std::string text = reply({"INFO", section}).text;
    const size_t at = text.find("\n" + name + ":");
    if (at == std::string::npos) return "<absent>";
    const size_t start = at + name.size() + 2;
    return text.substr(start, text.find("\r\n", start) - start);
  }
};

TEST_F(InfoTest, DefaultAllAndEverythingSelectRedisSections) {
  const std::vector<std::string> defaults = {"Server",     "Clients",     "Memory",  "Persistence",
                                             "Stats",      "Replication", "CPU",     "Modules",
                                             "Errorstats", "Cluster",     "Keyspace"};
  EXPECT_THAT(titles({"INFO"}), ElementsAreArray(defaults));
  EXPECT_THAT(titles({"INFO", "default"}), ElementsAreArray(defaults));
  const std::vector<std::string> all = {
      "Server",  "Clients",      "Memory",     "Persistence",  "Stats",   "Replication", "CPU",
      "Modules", "Commandstats", "Errorstats", "Latencystats", "Cluster", "Keyspace"};
  EXPECT_THAT(titles({"INFO", "all"}), ElementsAreArray(all));
  EXPECT_THAT(titles({"INFO", "EVERYTHING"}), ElementsAreArray(all));
}

TEST_F(InfoTest, SeveralSectionsInOneCallComeInRedisOrder) {
  EXPECT_THAT(titles({"INFO", "clients", "server"}), ElementsAreArray({"Server", "Clients"}));
  EXPECT_THAT(titles({"INFO", "keyspace", "default"}).size(), 11u);
  EXPECT_THAT(titles({"INFO", "cpu", "nosuch", "CLUSTER"}), ElementsAreArray({"CPU", "Cluster"}));
  EXPECT_EQ(reply({"INFO", "nosuch"}).text, "");
}

TEST_F(InfoTest, ServerAndClientsFieldsInRedisOrder) {
  expect_redis_fields("server", {"redis_version",
                                 "redis_git_sha1",
                                 "redis_git_dirty",
                                 "redis_build_id",
                                 "redis_mode",
                                 "os",
                                 "arch_bits",
                                 "monotonic_clock",
                                 "multiplexing_api",
                                 "atomicvar_api",
                                 "gcc_version",
                                 "process_id",
                                 "process_supervised",
                                 "run_id",
                                 "tcp_port",
                                 "server_time_usec",
                                 "uptime_in_seconds",
                                 "uptime_in_days",
                                 "hz",
                                 "configured_hz",
                                 "lru_clock",
                                 "executable",
                                 "config_file",
                                 "io_threads_active"});
  expect_redis_fields("clients",
                      {"connected_clients", "cluster_connections", "maxclients",
                       "client_recent_max_input_buffer", "client_recent_max_output_buffer",
                       "blocked_clients", "tracking_clients", "clients_in_timeout_table"});
}

TEST_F(InfoTest, MemoryFieldsInRedisOrder) {
  expect_redis_fields("memory", {"used_memory",
                                 "used_memory_human",
                                 "used_memory_rss",
                                 "used_memory_rss_human",
                                 "used_memory_peak",
                                 "used_memory_peak_human",
                                 "used_memory_peak_perc",
                                 "used_memory_overhead",
                                 "used_memory_startup",
                                 "used_memory_dataset",
                                 "used_memory_dataset_perc",
                                 "allocator_allocated",
                                 "allocator_active",
                                 "allocator_resident",
                                 "total_system_memory",
                                 "total_system_memory_human",
                                 "used_memory_lua",
                                 "used_memory_vm_eval",
                                 "used_memory_lua_human",
                                 "used_memory_scripts_eval",
                                 "number_of_cached_scripts",
                                 "number_of_functions",
                                 "number_of_libraries",
                                 "used_memory_vm_functions",
                                 "used_memory_vm_total",
                                 "used_memory_vm_total_human",
                                 "used_memory_functions",
                                 "used_memory_scripts",
                                 "used_memory_scripts_human",
                                 "maxmemory",
                                 "maxmemory_human",
                                 "maxmemory_policy",
                                 "allocator_frag_ratio",
                                 "allocator_frag_bytes",
                                 "allocator_rss_ratio",
                                 "allocator_rss_bytes",
                                 "rss_overhead_ratio",
                                 "rss_overhead_bytes",
                                 "mem_fragmentation_ratio",
                                 "mem_fragmentation_bytes",
                                 "mem_not_counted_for_evict",
                                 "mem_replication_backlog",
                                 "mem_total_replication_buffers",
                                 "mem_clients_slaves",
                                 "mem_clients_normal",
                                 "mem_cluster_links",
                                 "mem_aof_buffer",
                                 "mem_allocator",
                                 "active_defrag_running",
                                 "lazyfree_pending_objects",
                                 "lazyfreed_objects"});
}

TEST_F(InfoTest, PersistenceWithoutAofReadsAsANodeThatNeverSaved) {
  expect_redis_fields("persistence", {"loading",
                                      "async_loading",
                                      "current_cow_peak",
                                      "current_cow_size",
                                      "current_cow_size_age",
                                      "current_fork_perc",
                                      "current_save_keys_processed",
                                      "current_save_keys_total",
                                      "rdb_changes_since_last_save",
                                      "rdb_bgsave_in_progress",
                                      "rdb_last_save_time",
                                      "rdb_last_bgsave_status",
                                      "rdb_last_bgsave_time_sec",
                                      "rdb_current_bgsave_time_sec",
                                      "rdb_saves",
                                      "rdb_last_cow_size",
                                      "rdb_last_load_keys_expired",
                                      "rdb_last_load_keys_loaded",
                                      "aof_enabled",
                                      "aof_rewrite_in_progress",
                                      "aof_rewrite_scheduled",
                                      "aof_last_rewrite_time_sec",
                                      "aof_current_rewrite_time_sec",
                                      "aof_last_bgrewrite_status",
                                      "aof_rewrites",
                                      "aof_rewrites_consecutive_failures",
                                      "aof_last_write_status",
                                      "aof_last_cow_size",
                                      "module_fork_in_progress",
                                      "module_fork_last_cow_size"});
  EXPECT_EQ(field("persistence", "aof_enabled"), "0");
  EXPECT_EQ(field("persistence", "rdb_last_bgsave_time_sec"), "-1");
  run({"SET", "k", "v"});
  EXPECT_EQ(field("persistence", "rdb_changes_since_last_save"), "1");
}

TEST_F(InfoTest, StatsReplicationAndCpuFieldsInRedisOrder) {
  expect_redis_fields("stats", {"total_connections_received",
                                "total_commands_processed",
                                "instantaneous_ops_per_sec",
                                "total_net_input_bytes",
                                "total_net_output_bytes",
                                "total_net_repl_input_bytes",
                                "total_net_repl_output_bytes",
                                "instantaneous_input_kbps",
                                "instantaneous_output_kbps",
                                "instantaneous_input_repl_kbps",
                                "instantaneous_output_repl_kbps",
                                "rejected_connections",
                                "sync_full",
                                "sync_partial_ok",
                                "sync_partial_err",
                                "expired_keys",
                                "expired_stale_perc",
                                "expired_time_cap_reached_count",
                                "expire_cycle_cpu_milliseconds",
                                "evicted_keys",
                                "evicted_clients",
                                "total_eviction_exceeded_time",
                                "current_eviction_exceeded_time",
                                "keyspace_hits",
                                "keyspace_misses",
                                "pubsub_channels",
                                "pubsub_patterns",
                                "pubsubshard_channels",
                                "latest_fork_usec",
                                "total_forks",
                                "migrate_cached_sockets",
                                "slave_expires_tracked_keys",
                                "active_defrag_hits",
                                "active_defrag_misses",
                                "active_defrag_key_hits",
                                "active_defrag_key_misses",
                                "total_active_defrag_time",
                                "current_active_defrag_time",
                                "tracking_total_keys",
                                "tracking_total_items",
                                "tracking_total_prefixes",
                                "unexpected_error_replies",
                                "total_error_replies",
                                "dump_payload_sanitizations",
                                "total_reads_processed",
                                "total_writes_processed",
                                "io_threaded_reads_processed",
                                "io_threaded_writes_processed",
                                "reply_buffer_shrinks",
                                "reply_buffer_expands"});
  expect_redis_fields(
      "replication",
      {"role", "connected_slaves", "master_failover_state", "master_replid", "master_replid2",
       "master_repl_offset", "second_repl_offset", "repl_backlog_active", "repl_backlog_size",
       "repl_backlog_first_byte_offset", "repl_backlog_histlen"});
  expect_redis_fields(
      "cpu", {"used_cpu_sys", "used_cpu_user", "used_cpu_sys_children", "used_cpu_user_children",
              "used_cpu_sys_main_thread", "used_cpu_user_main_thread"});
}

TEST_F(InfoTest, RunIdAndReplicationIdAreFortyHexDigitsFixedForTheNodesLife) {
  const std::string run_id = field("server", "run_id");
  EXPECT_EQ(run_id.size(), 40u);
  EXPECT_EQ(run_id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(field("server", "run_id"), run_id);
  EXPECT_NE(field("replication", "master_replid"), run_id);
  EXPECT_EQ(field("replication", "master_replid2"), std::string(40, '0'));
}

TEST_F(InfoTest, ErrorstatsCountErrorRepliesByTheirFirstWord) {
  EXPECT_EQ(reply({"INFO", "errorstats"}).text, "# Errorstats\r\n");
  run({"NOSUCHCOMMAND"});
  run({"SET", "list", "v"});
  run({"LPUSH", "list", "x"});
  run({"LPUSH", "list", "y"});
  EXPECT_EQ(reply({"INFO", "errorstats"}).text,
            "# Errorstats\r\nerrorstat_ERR:count=1\r\nerrorstat_WRONGTYPE:count=2\r\n");
  EXPECT_EQ(field("stats", "total_error_replies"), "3");
}

TEST_F(InfoTest, ClusterSectionReadsTheServersClusterFlag) {
  EXPECT_EQ(reply({"INFO", "cluster"}).text, "# Cluster\r\ncluster_enabled:0\r\n");
  EXPECT_EQ(field("server", "redis_mode"), "standalone");
  restart([](server::Config& config) { config.cluster.enabled = true; });
  EXPECT_EQ(reply({"INFO", "cluster"}).text, "# Cluster\r\ncluster_enabled:1\r\n");
  EXPECT_EQ(field("server", "redis_mode"), "cluster");
}

TEST_F(InfoTest, ModulesIsEmptyAndKeyspaceCountsKeys) {
  EXPECT_EQ(reply({"INFO", "modules"}).text, "# Modules\r\n");
  EXPECT_EQ(reply({"INFO", "keyspace"}).text, "# Keyspace\r\n");
  run({"SET", "a", "1"});
  run({"SET", "b", "1", "EX", "100"});
  EXPECT_EQ(reply({"INFO", "keyspace"}).text, "# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\n");
}

TEST_F(InfoTest, LatencystatsHasPercentilesForCommandsThatRan) {
  run({"PING"});
  const std::string text = reply({"INFO", "latencystats"}).text;
  EXPECT_THAT(text, HasSubstr("latency_percentiles_usec_ping:p50="));
  EXPECT_THAT(text, Not(HasSubstr("latency_percentiles_usec_get:")));
}

TEST_F(InfoTest, MemoryPeakNeverFallsBelowUsed) {
  run({"SET", "k", std::string(10000, 'x')});
  const uint64_t peak = std::stoull(field("memory", "used_memory_peak"));
  run({"DEL", "k"});
  EXPECT_EQ(std::stoull(field("memory", "used_memory_peak")), peak);
  EXPECT_LT(std::stoull(field("memory", "used_memory")), peak);
}

}  // namespace
}  // namespace ringcache::testing
