// CLIENT subcommands: ID, SETNAME, GETNAME, LIST, INFO, KILL, UNBLOCK, PAUSE, UNPAUSE, REPLY,
// NO-EVICT, SETINFO, HELP (the tracking ones are in server_client_tracking.cpp).

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "core/commands/arguments.h"
#include "core/commands/server/server_family.h"
#include "core/server/server.h"

namespace ringcache::commands {
namespace {

// CLIENT LIST flags= as Redis writes them, in its order: O monitor, P pub/sub, x MULTI, b blocked
// (on keys or by a pause), t tracking, B broadcast tracking, d WATCHed key changed, N none.
std::string client_flags(server::Server& server, const server::Client& client) {
  std::string flags;
  if (client.monitor) flags += 'O';
  if (client.subscribed()) flags += 'P';
  if (client.in_multi) flags += 'x';
  if (server.blocked_clients().is_blocked(client.id)) flags += 'b';
  if (client.tracking.on) flags += 't';
  if (client.tracking.on && client.tracking.bcast) flags += 'B';
  if (client.watch_dirty) flags += 'd';
  return flags.empty() ? "N" : flags;
}

}  // namespace

// One CLIENT LIST line, with Redis' fields in Redis' order; fields that describe machinery
// ringcache does not have show their idle values.
std::string describe_client(server::Server& server, const server::Client& client) {
  Runtime& runtime = server.runtime();
  const int64_t age_s = (runtime.wall_time_ms() - client.created_ms) / 1000;
  const int64_t idle_s =
      std::chrono::duration_cast<std::chrono::seconds>(runtime.now() - client.last_interaction)
          .count();
  return fmt::format(
      "id={} addr={} laddr={} fd=-1 name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} "
      "multi={} qbuf={} qbuf-free={} argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem={} "
      "tot-mem={} events=r cmd={} user={} redir={} resp={}\n",
      client.id, client.address, client.local_address, client.name, age_s, idle_s,
      client_flags(server, client), client.db, client.channels.size(), client.patterns.size(),
      client.shard_channels.size(),
      client.in_multi ? static_cast<int64_t>(client.queued.size()) : -1,
      client.query_buffer_bytes, client.query_buffer_free_bytes,
      client.output_buffer_bytes + client.pushes.size(),
      client.query_buffer_bytes + client.query_buffer_free_bytes + client.output_buffer_bytes +
          client.pushes.size(),
      client.last_command.empty() ? "NULL" : client.last_command,
      client.user != nullptr ? std::string_view(client.user->name) : std::string_view("default"),
      client.tracking.on ? static_cast<int64_t>(client.tracking.redirect) : -1,
      client.resp_version);
}

namespace {

void client_id(CommandContext& ctx) { ctx.reply.integer(static_cast<int64_t>(ctx.client.id)); }

void client_setname(CommandContext& ctx) {
  if (set_client_name(ctx, ctx.argv[2])) ctx.reply.ok();
}

void client_getname(CommandContext& ctx) {
  if (ctx.client.name.empty()) return ctx.reply.null();
  ctx.reply.bulk(ctx.client.name);
}

void client_info(CommandContext& ctx) {
  ctx.reply.verbatim("txt", describe_client(ctx.server, ctx.client));
}

// The client classes of CLIENT LIST/KILL TYPE, as Redis tells them apart.
enum class ClientType { normal, master, replica, pubsub };

std::optional<ClientType> parse_client_type(std::string_view name) {
  if (option_is(name, "normal")) return ClientType::normal;
  if (option_is(name, "master")) return ClientType::master;
  if (option_is(name, "replica") || option_is(name, "slave")) return ClientType::replica;
  if (option_is(name, "pubsub")) return ClientType::pubsub;
  return std::nullopt;
}

ClientType type_of(const server::Client& client) {
  if (client.replication_master) return ClientType::master;
  if (client.psync_requested) return ClientType::replica;
  if (client.subscribed()) return ClientType::pubsub;
  return ClientType::normal;
}

void reply_unknown_type(CommandContext& ctx, std::string_view type) {
  ctx.reply.error(fmt::format("ERR Unknown client type '{}'", type));
}

// CLIENT LIST [TYPE type] [ID id ...]
void client_list(CommandContext& ctx) {
  std::optional<ClientType> only_type;
  std::vector<uint64_t> ids;
  size_t i = 2;
  if (ctx.argv.size() == 4 && option_is(ctx.argv[2], "TYPE")) {
    only_type = parse_client_type(ctx.argv[3]);
    if (!only_type) return reply_unknown_type(ctx, ctx.argv[3]);
    i = 4;
  } else if (ctx.argv.size() > 3 && option_is(ctx.argv[2], "ID")) {
    for (i = 3; i < ctx.argv.size(); ++i) {
      const std::optional<int64_t> id = parse_int64(ctx.argv[i]);
      if (!id || *id <= 0) return ctx.reply.error("ERR Invalid client ID");
      ids.push_back(static_cast<uint64_t>(*id));
    }
  }
  if (i != ctx.argv.size()) return ctx.reply.error(errors::syntax);
  std::string text;
  for (const auto& [id, client] : ctx.server.clients()) {
    if (only_type && type_of(*client) != *only_type) continue;
    if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) continue;
    text += describe_client(ctx.server, *client);
  }
  ctx.reply.verbatim("txt", text);
}

struct KillFilter {
  std::optional<uint64_t> id;
  std::optional<std::string_view> addr;
  std::optional<std::string_view> laddr;
  std::optional<ClientType> type;
  std::shared_ptr<const server::acl::User> user;
  bool skip_me = true;
};

bool kill_filter_matches(const KillFilter& filter, const server::Client& client,
                         const server::Client& me) {
  if (filter.skip_me && &client == &me) return false;
  if (filter.id && client.id != *filter.id) return false;
  if (filter.addr && client.address != *filter.addr) return false;
  if (filter.laddr && client.local_address != *filter.laddr) return false;
  if (filter.user && client.user != filter.user) return false;
  return !filter.type || type_of(client) == *filter.type;
}

// Reads one "option value" pair of CLIENT KILL into `filter`; replies and returns false on error.
bool parse_kill_option(CommandContext& ctx, std::string_view option, std::string_view value,
                       KillFilter& filter) {
  if (option_is(option, "ID")) {
    const std::optional<int64_t> id = parse_int64(value);
    if (!id || *id <= 0) {
      ctx.reply.error("ERR client-id should be greater than 0");
      return false;
    }
    filter.id = static_cast<uint64_t>(*id);
  } else if (option_is(option, "ADDR")) {
    filter.addr = value;
  } else if (option_is(option, "LADDR")) {
    filter.laddr = value;
  } else if (option_is(option, "TYPE")) {
    filter.type = parse_client_type(value);
    if (!filter.type) {
      reply_unknown_type(ctx, value);
      return false;
    }
  } else if (option_is(option, "USER")) {
    filter.user = ctx.server.acl().find(value);
    if (filter.user == nullptr) {
      ctx.reply.error(fmt::format("ERR No such user '{}'", value));
      return false;
    }
  } else if (option_is(option, "SKIPME") && (option_is(value, "yes") || option_is(value, "no"))) {
    filter.skip_me = option_is(value, "yes");
  } else {
    ctx.reply.error(errors::syntax);
    return false;
  }
  return true;
}

// Kills the matching clients: the caller itself after this reply, others at once.
size_t kill_matching(CommandContext& ctx, const KillFilter& filter) {
  std::vector<server::Client*> victims;  // collected first: kill() may unregister a client
  for (const auto& [id, client] : ctx.server.clients()) {
    if (kill_filter_matches(filter, *client, ctx.client)) victims.push_back(client);
  }
  for (server::Client* victim : victims) {
    if (victim == &ctx.client) {
      victim->close_after_reply = true;
    } else if (victim->kill) {
      victim->kill();
    }
  }
  return victims.size();
}

void client_kill(CommandContext& ctx) {
  if (ctx.argv.size() == 3) {  // the legacy form: CLIENT KILL ip:port
    KillFilter filter;
    filter.addr = ctx.argv[2];
    filter.skip_me = false;
    if (kill_matching(ctx, filter) == 0) return ctx.reply.error("ERR No such client");
    return ctx.reply.ok();
  }
  if (ctx.argv.size() % 2 != 0) return ctx.reply.error(errors::syntax);
  KillFilter filter;
  for (size_t i = 2; i < ctx.argv.size(); i += 2) {
    if (!parse_kill_option(ctx, ctx.argv[i], ctx.argv[i + 1], filter)) return;
  }
  ctx.reply.integer(static_cast<int64_t>(kill_matching(ctx, filter)));
}

// CLIENT REPLY ON|OFF|SKIP: only ON answers (+OK); OFF and SKIP are silent themselves, and SKIP
// under OFF changes nothing. The connection drops the replies (node/resp_connection.cpp).
void client_reply(CommandContext& ctx) {
  if (option_is(ctx.argv[2], "ON")) {
    ctx.client.replies_off = false;
    ctx.client.skip_next_reply = false;
    ctx.client.skip_this_reply = false;
    return ctx.reply.ok();
  }
  if (option_is(ctx.argv[2], "OFF")) {
    ctx.client.replies_off = true;
  } else if (option_is(ctx.argv[2], "SKIP")) {
    if (!ctx.client.replies_off) ctx.client.skip_next_reply = true;
  } else {
    return ctx.reply.error(errors::syntax);
  }
  // Silences this command's own reply too: SKIP would otherwise answer before taking effect.
  ctx.client.skip_this_reply = true;
}

// CLIENT NO-EVICT ON|OFF: whether maxmemory-clients may close this client.
void client_no_evict(CommandContext& ctx) {
  if (!option_is(ctx.argv[2], "ON") && !option_is(ctx.argv[2], "OFF")) {
    return ctx.reply.error(errors::syntax);
  }
  ctx.client.no_evict = option_is(ctx.argv[2], "ON");
  ctx.reply.ok();
}

// CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2; newer client libraries send it on connect).
void client_setinfo(CommandContext& ctx) {
  if (!option_is(ctx.argv[2], "LIB-NAME") && !option_is(ctx.argv[2], "LIB-VER")) {
    return ctx.reply.error(fmt::format("ERR Unrecognized option '{}'", ctx.argv[2]));
  }
  ctx.reply.ok();
}

// CLIENT UNBLOCK id [TIMEOUT|ERROR]: ends a blocking command's wait as a timeout (default) or
// with -UNBLOCKED; 1 if the client was blocked, else 0.
void client_unblock(CommandContext& ctx) {
  if (ctx.argv.size() > 4) {
    return ctx.reply.error(fmt::format(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try CLIENT HELP.",
        ctx.argv[1]));
  }
  const auto id = parse_int64(ctx.argv[2]);
  if (!id) return ctx.reply.error(errors::not_integer);
  server::WaitEnd why = server::WaitEnd::timed_out;
  if (ctx.argv.size() == 4 && option_is(ctx.argv[3], "ERROR")) {
    why = server::WaitEnd::unblocked_error;
  } else if (ctx.argv.size() == 4 && !option_is(ctx.argv[3], "TIMEOUT")) {
    return ctx.reply.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
  }
  const bool ended = ctx.server.blocked_clients().unblock(static_cast<uint64_t>(*id), why);
  ctx.reply.integer(ended ? 1 : 0);
}

// CLIENT PAUSE timeout-ms [WRITE|ALL]: commands of every client (ALL, the default) or only those
// that may write (WRITE) wait until the timeout (node/client_pause.h).
void client_pause(CommandContext& ctx) {
  const std::optional<int64_t> timeout_ms = parse_int64(ctx.argv[2]);
  if (!timeout_ms) return ctx.reply.error("ERR timeout is not an integer or out of range");
  if (*timeout_ms < 0) return ctx.reply.error("ERR timeout is negative");
  server::PauseScope scope = server::PauseScope::all;
  if (ctx.argv.size() == 4) {
    if (option_is(ctx.argv[3], "WRITE")) {
      scope = server::PauseScope::writes;
    } else if (!option_is(ctx.argv[3], "ALL")) {
      return ctx.reply.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
    }
  } else if (ctx.argv.size() > 4) {
    return ctx.reply.error(fmt::format(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try CLIENT HELP.",
        ctx.argv[1]));
  }
  // Bounded so the deadline cannot overflow; Redis' limit (LLONG_MAX ms) is as good as forever.
  const int64_t bounded_ms = std::min(*timeout_ms, constants::client_pause_ms_max);
  ctx.server.client_pause().pause(ctx.server.runtime().now() + std::chrono::milliseconds(bounded_ms),
                                  scope);
  ctx.reply.ok();
}

void client_unpause(CommandContext& ctx) {
  ctx.server.client_pause().unpause();
  ctx.reply.ok();
}

// Redis 7.0's text.
void client_help(CommandContext& ctx) {
  reply_help(
      ctx, "CLIENT",
      {"CACHING (YES|NO)",
       "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
       "GETREDIR", "    Return the client ID we are redirecting to when tracking is enabled.",
       "GETNAME", "    Return the name of the current connection.", "ID",
       "    Return the ID of the current connection.", "INFO",
       "    Return information about the current client connection.", "KILL <ip:port>",
       "    Kill connection made from <ip:port>.", "KILL <option> <value> [<option> <value> [...]]",
       "    Kill connections. Options are:", "    * ADDR (<ip:port>|<unixsocket>:0)",
       "      Kill connections made from the specified address",
       "    * LADDR (<ip:port>|<unixsocket>:0)",
       "      Kill connections made to specified local address",
       "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Kill connections by type.",
       "    * USER <username>", "      Kill connections authenticated by <username>.",
       "    * SKIPME (YES|NO)", "      Skip killing current connection (default: yes).",
       "LIST [options ...]", "    Return information about client connections. Options:",
       "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Return clients of specified type.",
       "UNPAUSE", "    Stop the current client pause, resuming traffic.",
       "PAUSE <timeout> [WRITE|ALL]",
       "    Suspend all, or just write, clients for <timeout> milliseconds.",
       "REPLY (ON|OFF|SKIP)", "    Control the replies sent to the current connection.",
       "SETNAME <name>",
       "    Assign the name <name> to the current connection.",
       "UNBLOCK <clientid> [TIMEOUT|ERROR]", "    Unblock the specified blocked client.",
       "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
       "         [OPTIN] [OPTOUT] [NOLOOP]", "    Control server assisted client side caching.",
       "TRACKINGINFO", "    Report tracking status for the current connection.",
       "NO-EVICT (ON|OFF)", "    Protect current client connection from eviction."});
}

}  // namespace

bool set_client_name(CommandContext& ctx, std::string_view name) {
  // Names show in CLIENT LIST lines, which are split on spaces: printable, no blanks.
  for (char c : name) {
    if (c < '!' || c > '~') {
      ctx.reply.error("ERR Client names cannot contain spaces, newlines or special characters.");
      return false;
    }
  }
  if (name.size() > constants::client_name_bytes_max) {
    ctx.reply.error("ERR Client names cannot be longer than 1024 bytes");
    return false;
  }
  ctx.client.name = std::string(name);
  return true;
}

void register_client_commands(CommandTable& table) {
  const SpecBuilder session = SpecBuilder::family("connection", "@slow @connection")
                                  .flags(flag_noscript | flag_loading | flag_stale);
  const SpecBuilder admin = SpecBuilder::family("connection", "@admin @slow @dangerous @connection")
                                .flags(flag_admin | flag_noscript | flag_loading | flag_stale);
  std::vector<CommandSpec> subcommands{
      session.command("client|id", 2, client_id).doc("Returns the client ID", "5.0.0"),
      session.command("client|setname", 3, client_setname).doc("Set the connection name", "2.6.9"),
      session.command("client|getname", 2, client_getname).doc("Get the connection name", "2.6.9"),
      session.command("client|info", 2, client_info)
          .doc("Returns information about the current client connection.", "6.2.0"),
      admin.command("client|list", -2, client_list)
          .doc("Get the list of client connections", "2.4.0"),
      admin.command("client|kill", -3, client_kill).doc("Kill the connection of a client", "2.4.0"),
      admin.command("client|unblock", -3, client_unblock)
          .doc("Unblock a client blocked in a blocking command from a different connection",
               "5.0.0"),
      admin.command("client|pause", -3, client_pause)
          .doc("Stop processing commands from clients for some time", "2.9.50"),
      admin.command("client|unpause", 2, client_unpause)
          .doc("Resume processing of clients that were paused", "6.2.0"),
      session.command("client|reply", 3, client_reply)
          .doc("Instruct the server whether to reply to commands", "3.2.0"),
      admin.command("client|no-evict", 3, client_no_evict)
          .doc("Set client eviction mode for the current connection", "7.0.0"),
      session.command("client|setinfo", 4, client_setinfo)
          .doc("Set client or connection specific info", "7.2.0"),
      session.command("client|help", 2, client_help)
          .flags(flag_loading | flag_stale)
          .doc("Show helpful text about the different subcommands", "5.0.0")};
  for (CommandSpec& spec : client_tracking_subcommands()) subcommands.push_back(std::move(spec));
  table.add(container("client", "connection")
                .doc("A container for client connection commands", "2.4.0")
                .subcommands(std::move(subcommands)));
}

}  // namespace ringcache::commands
