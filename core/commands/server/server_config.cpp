// CONFIG GET/SET/RESETSTAT/REWRITE/HELP over server::Config.

#include <fmt/format.h>

#include <map>

#include "core/commands/arguments.h"
#include "core/commands/server/server_family.h"
#include "core/server/server.h"
#include "core/protocol/ascii.h"

namespace ringcache::commands {
namespace {

// CONFIG GET pattern [pattern ...]: every matching option once, sorted by name.
void config_get(CommandContext& ctx) {
  std::map<std::string, std::string> found;
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    for (auto& [name, value] : ctx.server.config().matching(ctx.argv[i])) {
      found.emplace(std::move(name), std::move(value));
    }
  }
  ctx.reply.map(found.size());
  for (const auto& [name, value] : found) {
    ctx.reply.bulk(name);
    ctx.reply.bulk(value);
  }
}

// Whether argv holds the same option name twice (CONFIG SET refuses "hz 1 hz 2").
std::optional<std::string_view> duplicate_option(std::span<const std::string_view> argv) {
  for (size_t i = 2; i < argv.size(); i += 2) {
    for (size_t j = 2; j < i; j += 2) {
      if (protocol::iequals(argv[i], argv[j])) return argv[i];
    }
  }
  return std::nullopt;
}

// New TLS settings (a renewed certificate, say) are loaded by the runtime before CONFIG SET
// succeeds: new connections get them, open ones keep theirs; a file that cannot be loaded fails
// the whole CONFIG SET and the old settings stay.
Status reload_tls(server::Server& server, const server::Config& changed) {
  const server::TlsOptions& before = server.config().tls;
  if (!changed.tls.in_use()) return Status::ok();
  if (before.in_use() && changed.tls.settings == before.settings) return Status::ok();
  return server.runtime().configure_tls(changed.tls.settings);
}

// CONFIG SET port: the node moves its RESP listener, as Redis; a cluster node's port is what its
// peers know it by, and it keeps it.
Result<uint16_t> change_port(server::Server& server, uint16_t port) {
  if (server.config().cluster.enabled) {
    return Status(Errc::invalid_argument, "can't change the port of a cluster node");
  }
  if (!server.port_changer()) return Status(Errc::invalid_argument, "no listener to move");
  Result<uint16_t> bound = server.port_changer()(port);
  if (!bound) {
    server.runtime().log(LogLevel::warning, "Failed to listen on port " + std::to_string(port) +
                                                ": " + bound.status().message());
    return Status(bound.code(), "Unable to listen on this port. Check server logs.");
  }
  return bound;
}

// The first tls-* name among CONFIG SET's pairs (lower-case), for its error.
std::string first_tls_option(std::span<const std::string_view> argv) {
  for (size_t i = 2; i < argv.size(); i += 2) {
    if (std::string name = protocol::lowered(argv[i]); name.starts_with("tls-")) return name;
  }
  return protocol::lowered(argv[2]);
}

// CONFIG SET name value [name value ...]: all or nothing, as Redis 7.0.
void config_set(CommandContext& ctx) {
  if (ctx.argv.size() % 2 != 0) return ctx.reply.error(errors::syntax);
  if (auto name = duplicate_option(ctx.argv)) {
    return ctx.reply.error(fmt::format(
        "ERR CONFIG SET failed (possibly related to argument '{}') - duplicate parameter", *name));
  }
  server::Config changed = ctx.server.config();
  for (size_t i = 2; i < ctx.argv.size(); i += 2) {
    const std::string_view name = ctx.argv[i];
    const std::optional<std::string> current = changed.get(name);
    if (current && !server::Config::is_mutable(name)) {
      // Setting an option to the value CONFIG GET shows changes nothing: accepted, so that what
      // CONFIG GET * lists can be set back as it is (Redis refuses its immutables regardless).
      if (*current == ctx.argv[i + 1]) continue;
      return ctx.reply.error(fmt::format(
          "ERR CONFIG SET failed (possibly related to argument '{}') - can't set immutable "
          "config",
          protocol::lowered(name)));
    }
    Status status = changed.set(name, ctx.argv[i + 1]);
    if (!status) return ctx.reply.error("ERR " + status.message());
  }
  if (Status tls = reload_tls(ctx.server, changed); !tls) {
    ctx.server.runtime().log(LogLevel::warning, "Failed to update TLS configuration: " +
                                                    tls.message());
    return ctx.reply.error(fmt::format(
        "ERR CONFIG SET failed (possibly related to argument '{}') - Unable to update TLS "
        "configuration. Check server logs.",
        first_tls_option(ctx.argv)));
  }
  if (changed.port != ctx.server.config().port) {
    Result<uint16_t> bound = change_port(ctx.server, changed.port);
    if (!bound) {
      // All or nothing: TLS settings loaded above give way to the old ones again.
      const server::TlsOptions& before = ctx.server.config().tls;
      if (before.in_use() && !(changed.tls.settings == before.settings)) {
        (void)ctx.server.runtime().configure_tls(before.settings);
      }
      return ctx.reply.error(fmt::format(
          "ERR CONFIG SET failed (possibly related to argument 'port') - {}",
          bound.status().message()));
    }
    changed.port = bound.value();
  }
  ctx.server.config() = std::move(changed);
  ctx.server.apply_config();
  ctx.reply.ok();
}

void config_resetstat(CommandContext& ctx) {
  ctx.server.stats() = server::ServerStats{};
  ctx.server.keyspace().stats() = store::KeyspaceStats{};
  ctx.server.acl().stats() = server::acl::AclStats{};  // INFO acl_access_denied_*, as Redis 7.2
  for (const CommandSpec* spec : ctx.server.commands().all()) {
    spec->stats = CommandStats{};
    for (const CommandSpec& sub : spec->subcommands) sub.stats = CommandStats{};
  }
  ctx.reply.ok();
}

void config_rewrite(CommandContext& ctx) {
  ctx.reply.error("ERR The server is running without a config file");
}

void config_help(CommandContext& ctx) {
  reply_help(
      ctx, "CONFIG",
      {"GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
       "SET <directive> <value>", "    Set the configuration <directive> to <value>.", "RESETSTAT",
       "    Reset statistics reported by the INFO command.", "REWRITE",
       "    Rewrite the configuration file."});
}

}  // namespace

void register_config_commands(CommandTable& table) {
  const SpecBuilder admin = SpecBuilder::family("server", "@admin @slow @dangerous")
                                .flags(flag_admin | flag_noscript | flag_loading | flag_stale);
  table.add(
      container("config", "server")
          .doc("A container for server configuration commands", "2.0.0")
          .subcommands({
              admin.command("config|get", -3, config_get)
                  .doc("Get the values of configuration parameters", "2.0.0"),
              admin.command("config|set", -4, config_set)
                  .doc("Set configuration parameters", "2.0.0"),
              admin.command("config|resetstat", 2, config_resetstat)
                  .doc("Reset the stats returned by INFO", "2.0.0"),
              admin.command("config|rewrite", 2, config_rewrite)
                  .doc("Rewrite the configuration file with the in memory configuration", "2.8.0"),
              admin.command("config|help", 2, config_help)
                  .flags(flag_loading | flag_stale)
                  .acl("@slow")
                  .doc("Show helpful text about the different subcommands", "5.0.0"),
          }));
}

}  // namespace ringcache::commands
