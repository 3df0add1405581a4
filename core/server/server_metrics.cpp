// The server's and the commands' metric families. Every reader below reads the same variable
// INFO prints (named in each help text's INFO field), so the two never disagree.

#include "core/server/server_metrics.h"

#include <fmt/format.h>

#include <chrono>

#include "core/server/server.h"

namespace ringcache::server {
namespace {

using metrics::Registry;
using metrics::SampleWriter;
using metrics::Type;

void register_process(Registry& registry, Server& server) {
  registry.add("ringcache_info", "Build information (value 1).", Type::gauge,
               [](SampleWriter& out) {
                 out.value({{"version", constants::ringcache_version},
                            {"redis_version", constants::redis_compat_version}},
                           uint64_t{1});
               });
  registry.add_gauge("ringcache_uptime_seconds", "Seconds since the node started.", [&server] {
    return std::chrono::duration<double>(server.runtime().now() - server.start_time()).count();
  });
}

void register_clients(Registry& registry, Server& server) {
  const ServerStats& stats = server.stats();
  registry.add_gauge("ringcache_connected_clients",
                     "Client connections, RESP and HTTP (INFO connected_clients).",
                     [&server] { return static_cast<double>(server.clients().size()); });
  registry.add_gauge("ringcache_max_clients", "The maxclients limit.",
                     [&server] { return static_cast<double>(server.config().maxclients); });
  registry.add_counter("ringcache_connections_received_total",
                       "Connections accepted (INFO total_connections_received).",
                       [&stats] { return stats.total_connections_received; });
  registry.add_counter("ringcache_rejected_connections_total",
                       "Connections refused at maxclients (INFO rejected_connections).",
                       [&stats] { return stats.rejected_connections; });
  registry.add_counter("ringcache_net_input_bytes_total",
                       "Bytes read from clients (INFO total_net_input_bytes).",
                       [&stats] { return stats.total_net_input_bytes; });
  registry.add_counter("ringcache_net_output_bytes_total",
                       "Bytes written to clients (INFO total_net_output_bytes).",
                       [&stats] { return stats.total_net_output_bytes; });
}

void register_keyspace(Registry& registry, Server& server) {
  store::Keyspace& keyspace = server.keyspace();
  registry.add_counter("ringcache_keyspace_hits_total", "Key lookups that found the key.",
                       [&keyspace] { return keyspace.stats().keyspace_hits; });
  registry.add_counter("ringcache_keyspace_misses_total", "Key lookups that did not.",
                       [&keyspace] { return keyspace.stats().keyspace_misses; });
  registry.add_counter("ringcache_expired_keys_total", "Keys removed because their TTL passed.",
                       [&keyspace] { return keyspace.stats().expired_keys; });
  registry.add_counter("ringcache_evicted_keys_total", "Keys evicted under maxmemory.",
                       [&keyspace] { return keyspace.stats().evicted_keys; });
  registry.add_gauge("ringcache_keys", "Keys in the keyspace.",
                     [&keyspace] { return static_cast<double>(keyspace.size()); });
  registry.add_gauge("ringcache_keys_with_expiry", "Keys that have a TTL.",
                     [&keyspace] { return static_cast<double>(keyspace.expires_count()); });
}

void register_memory(Registry& registry, Server& server) {
  registry.add_gauge("ringcache_memory_used_bytes", "Memory the keyspace accounts for "
                     "(INFO used_memory).",
                     [&server] { return static_cast<double>(server.keyspace().used_memory()); });
  registry.add_gauge("ringcache_memory_max_bytes", "The maxmemory limit; 0 when unlimited.",
                     [&server] {
                       return static_cast<double>(server.config().eviction.maxmemory_bytes);
                     });
  registry.add_gauge("ringcache_memory_rss_bytes", "Resident set size of the process.",
                     [&server] { return static_cast<double>(server.runtime().process_rss_bytes()); });
}

// Calls visit(spec) for every command and subcommand that was called or refused.
template <typename Visit>
void for_each_used_command(const CommandTable& table, Visit visit) {
  auto maybe = [&](const CommandSpec& spec) {
    if (spec.stats.calls != 0 || spec.stats.rejected_calls != 0) visit(spec);
  };
  for (const CommandSpec* spec : table.all()) {
    maybe(*spec);
    for (const CommandSpec& sub : spec->subcommands) maybe(sub);
  }
}

void register_commands(Registry& registry, Server& server) {
  const CommandTable& table = server.commands();
  registry.add("ringcache_commands_processed_total",
               "Commands run, all together (INFO total_commands_processed).", Type::counter,
               [&server](SampleWriter& out) { out.value(server.stats().total_commands_processed); });
  registry.add("ringcache_commands_total", "Calls of each command that ran.", Type::counter,
               [&table](SampleWriter& out) {
                 for_each_used_command(table, [&](const CommandSpec& spec) {
                   out.value({{"cmd", spec.name}}, spec.stats.calls);
                 });
               });
  registry.add("ringcache_commands_rejected_total",
               "Calls refused before running (arity, NOAUTH, OOM).", Type::counter,
               [&table](SampleWriter& out) {
                 for_each_used_command(table, [&](const CommandSpec& spec) {
                   out.value({{"cmd", spec.name}}, spec.stats.rejected_calls);
                 });
               });
  registry.add("ringcache_commands_failed_total", "Calls that ran and replied with an error.",
               Type::counter, [&table](SampleWriter& out) {
                 for_each_used_command(table, [&](const CommandSpec& spec) {
                   out.value({{"cmd", spec.name}}, spec.stats.failed_calls);
                 });
               });
  registry.add("ringcache_command_duration_seconds", "Time each command spent running.",
               Type::histogram, [&table](SampleWriter& out) {
                 for_each_used_command(table, [&](const CommandSpec& spec) {
                   out.histogram({{"cmd", spec.name}}, spec.stats.duration);
                 });
               });
  registry.add_counter("ringcache_error_replies_total", "Error replies sent (INFO "
                       "total_error_replies).",
                       [&server] { return server.stats().total_error_replies; });
  registry.add("ringcache_acl_denied_total",
               "ACL refusals by reason: failed logins (auth), commands, keys, channels (INFO "
               "acl_access_denied_*).",
               Type::counter, [&server](SampleWriter& out) {
                 const acl::AclStats& acl = server.acl().stats();
                 out.value({{"reason", "auth"}}, acl.denied_auth);
                 out.value({{"reason", "command"}}, acl.denied_cmd);
                 out.value({{"reason", "key"}}, acl.denied_key);
                 out.value({{"reason", "channel"}}, acl.denied_channel);
               });
}

void register_operator_tools(Registry& registry, Server& server) {
  registry.add_gauge("ringcache_slowlog_length", "Entries in the slow log (SLOWLOG LEN).",
                     [&server] { return static_cast<double>(server.slowlog().size()); });
  registry.add("ringcache_http_responses_total", "HTTP API responses by status code.",
               Type::counter, [&server](SampleWriter& out) {
                 for (const auto& [code, count] : server.stats().http_responses) {
                   out.value({{"code", fmt::format("{}", code)}}, count);
                 }
               });
}

}  // namespace

void register_server_metrics(Server& server) {
  Registry& registry = server.metrics();
  register_process(registry, server);
  register_clients(registry, server);
  register_keyspace(registry, server);
  register_memory(registry, server);
  register_commands(registry, server);
  register_operator_tools(registry, server);
}

}  // namespace ringcache::server
