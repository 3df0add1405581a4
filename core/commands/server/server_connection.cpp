// Connection commands: PING, ECHO, SELECT, QUIT, RESET, AUTH, HELLO.

#include <fmt/format.h>

#include "core/commands/acl_check.h"
#include "core/commands/arguments.h"
#include "core/commands/server/server_family.h"
#include "core/server/server.h"
#include "core/protocol/ascii.h"

namespace ringcache::commands {
namespace {

constexpr std::string_view wrong_pass_error =
    "WRONGPASS invalid username-password pair or user is disabled.";

void ping_command(CommandContext& ctx) {
  if (ctx.argv.size() > 2) {
    ctx.reply.error("ERR wrong number of arguments for 'ping' command");
  } else if (ctx.client.subscribed() && ctx.reply.resp_version() == 2) {
    // A RESP2 subscriber reads every reply as a message: PING answers in the same shape.
    ctx.reply.array(2);
    ctx.reply.bulk("pong");
    ctx.reply.bulk(ctx.argv.size() == 2 ? ctx.argv[1] : "");
  } else if (ctx.argv.size() == 2) {
    ctx.reply.bulk(ctx.argv[1]);
  } else {
    ctx.reply.simple("PONG");
  }
}

void echo_command(CommandContext& ctx) { ctx.reply.bulk(ctx.argv[1]); }

void select_command(CommandContext& ctx) {
  const std::optional<int64_t> index = int64_or_reply(ctx, ctx.argv[1]);
  if (!index) return;
  // One database per node, as Redis Cluster has.
  if (*index != 0 && ctx.server.config().cluster.enabled) {
    return ctx.reply.error("ERR SELECT is not allowed in cluster mode");
  }
  if (*index != 0) return ctx.reply.error("ERR DB index is out of range");
  ctx.reply.ok();
}

void quit_command(CommandContext& ctx) {
  ctx.client.close_after_reply = true;
  ctx.reply.ok();
}

void reset_command(CommandContext& ctx) {
  // MULTI discarded, keys unwatched, subscriptions and tracking dropped, as Redis' RESET.
  ctx.server.forget_client_state(ctx.client);
  ctx.client.resp_version = 2;
  ctx.reply.set_resp_version(2);
  ctx.client.name.clear();
  ctx.client.db = 0;
  // Back to the default user, authenticated only if it needs no password (as a new connection).
  ctx.client.user = ctx.server.acl().default_user();
  ctx.client.authenticated = !ctx.server.acl().auth_required();
  ctx.reply.simple("RESET");
}

void auth_command(CommandContext& ctx) {
  if (ctx.argv.size() > 3) return ctx.reply.error(errors::syntax);
  if (ctx.argv.size() == 2 && ctx.server.acl().default_user()->nopass) {
    return ctx.reply.error(
        "ERR AUTH <password> called without any password configured for the default user. "
        "Are you sure your configuration is correct?");
  }
  const std::string_view user = ctx.argv.size() == 3 ? ctx.argv[1] : "default";
  if (!authenticate(ctx.server, ctx.client, user, ctx.argv.back(), ctx.argv[0])) {
    return ctx.reply.error(wrong_pass_error);
  }
  ctx.reply.ok();
}

struct HelloRequest {
  int resp_version = 0;  // 0: keep the current one
  std::optional<std::pair<std::string_view, std::string_view>> auth;
  std::optional<std::string_view> name;
};

// Parses HELLO's arguments; replies the error and returns nullopt on bad ones.
std::optional<HelloRequest> parse_hello(CommandContext& ctx) {
  HelloRequest request;
  if (ctx.argv.size() >= 2) {
    const std::optional<int64_t> version = parse_int64(ctx.argv[1]);
    if (!version) {
      ctx.reply.error("ERR Protocol version is not an integer or out of range");
      return std::nullopt;
    }
    if (*version < constants::resp_version_min || *version > constants::resp_version_max) {
      ctx.reply.error("NOPROTO unsupported protocol version");
      return std::nullopt;
    }
    request.resp_version = static_cast<int>(*version);
  }
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    const size_t more = ctx.argv.size() - i - 1;
    if (option_is(ctx.argv[i], "AUTH") && more >= 2) {
      request.auth.emplace(ctx.argv[i + 1], ctx.argv[i + 2]);
      i += 2;
    } else if (option_is(ctx.argv[i], "SETNAME") && more >= 1) {
      request.name = ctx.argv[++i];
    } else {
      ctx.reply.error(fmt::format("ERR Syntax error in HELLO option '{}'", ctx.argv[i]));
      return std::nullopt;
    }
  }
  return request;
}

void reply_hello(CommandContext& ctx) {
  ctx.reply.map(7);
  ctx.reply.bulk("server");
  ctx.reply.bulk("redis");
  ctx.reply.bulk("version");
  ctx.reply.bulk(constants::redis_compat_version);
  ctx.reply.bulk("proto");
  ctx.reply.integer(ctx.client.resp_version);
  ctx.reply.bulk("id");
  ctx.reply.integer(static_cast<int64_t>(ctx.client.id));
  ctx.reply.bulk("mode");
  ctx.reply.bulk("standalone");
  ctx.reply.bulk("role");
  ctx.reply.bulk("master");
  ctx.reply.bulk("modules");
  ctx.reply.empty_array();
}

void hello_command(CommandContext& ctx) {
  const std::optional<HelloRequest> request = parse_hello(ctx);
  if (!request) return;
  if (request->auth) {
    if (!authenticate(ctx.server, ctx.client, request->auth->first, request->auth->second,
                      ctx.argv[0])) {
      return ctx.reply.error(wrong_pass_error);
    }
  }
  if (!ctx.client.authenticated && ctx.server.acl().auth_required()) {
    return ctx.reply.error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the "
        "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and "
        "select the RESP protocol version at the same time");
  }
  if (request->name && !set_client_name(ctx, *request->name)) return;
  if (request->resp_version != 0) {
    ctx.client.resp_version = request->resp_version;
    ctx.reply.set_resp_version(request->resp_version);
  }
  reply_hello(ctx);
}

}  // namespace

void register_connection_commands(CommandTable& table) {
  const SpecBuilder connection = SpecBuilder::family("connection", "{speed} @connection");
  constexpr uint32_t session_flags = flag_noscript | flag_loading | flag_stale | flag_fast;
  constexpr uint32_t before_auth = flag_no_auth | flag_allow_busy | session_flags;
  // In RESP2 subscribed mode and inside MULTI too, QUIT and RESET run at once.
  constexpr uint32_t any_mode = flag_subscribed_allowed | flag_transaction_control;
  const CommandSpec specs[] = {
      // PING is refused with MISCONF as writes are: it is how clients probe the node.
      connection.command("ping", -1, ping_command)
          .flags(flag_fast | flag_misconf_refused | flag_subscribed_allowed)
          .doc("Ping the server", "1.0.0"),
      connection.command("echo", 2, echo_command)
          .flags(flag_loading | flag_stale | flag_fast)
          .doc("Echo the given string", "1.0.0"),
      connection.command("select", 2, select_command)
          .flags(flag_loading | flag_stale | flag_fast)
          .doc("Change the selected database for the current connection", "1.0.0"),
      connection.command("quit", -1, quit_command)
          .flags(before_auth | any_mode)
          .doc("Close the connection", "1.0.0"),
      connection.command("reset", 1, reset_command)
          .flags(before_auth | any_mode)
          .doc("Reset the connection", "6.2.0"),
      connection.command("auth", -2, auth_command)
          .flags(before_auth)
          .doc("Authenticate to the server", "1.0.0"),
      connection.command("hello", -1, hello_command)
          .flags(before_auth)
          .doc("Handshake with Redis", "6.0.0"),
  };
  for (const auto& spec : specs) table.add(spec);
}

}  // namespace ringcache::commands
