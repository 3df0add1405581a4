// ACL: SETUSER, GETUSER, DELUSER, LIST, USERS, WHOAMI, CAT, GENPASS, DRYRUN, HELP, with Redis
// 7.0's replies (LOG, LOAD and SAVE are in server_acl_log_file.cpp). The users and their rules
// live in core/server/acl/.

#include "core/commands/server/server_acl.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/commands/acl_check.h"
#include "core/commands/arguments.h"
#include "core/commands/dispatch.h"
#include "core/commands/server/server_family.h"
#include "core/constants.h"
#include "core/server/acl/categories.h"

namespace ringcache::commands {
namespace {

namespace acl = server::acl;

void close_client(server::Client& client, server::Client& caller) {
  if (&client == &caller) {
    client.close_after_reply = true;
  } else if (client.kill) {
    client.kill();
  }
}

template <typename Doomed>
void kill_clients_where(server::Server& server, server::Client& caller, Doomed doomed) {
  std::vector<server::Client*> victims;  // collected first: kill() may unregister a client
  for (const auto& [id, client] : server.clients()) {
    if (client->user != nullptr && doomed(*client)) victims.push_back(client);
  }
  for (server::Client* victim : victims) {
    victim->user = server.acl().default_user();
    victim->authenticated = false;
    close_client(*victim, caller);
  }
}

// After ACL SETUSER: subscribers of the user that lost a channel or pattern they hold are closed,
// as Redis does.
void kill_subscribers_denied(server::Server& server, server::Client& caller,
                             const acl::User& user) {
  auto denied = [&](const std::set<std::string>& names, bool pattern) {
    return std::any_of(names.begin(), names.end(), [&](const std::string& name) {
      return !acl::channel_allowed(user, name, pattern);
    });
  };
  kill_clients_where(server, caller, [&](const server::Client& client) {
    return client.user.get() == &user && client.subscribed() &&
           (denied(client.channels, false) || denied(client.patterns, true) ||
            denied(client.shard_channels, false));
  });
}

void acl_setuser(CommandContext& ctx) {
  const std::span<const std::string_view> rules = ctx.argv.subspan(3);
  if (Status status = ctx.server.acl().set_user(ctx.argv[2], rules); !status) {
    return ctx.reply.error(status.message());
  }
  kill_subscribers_denied(ctx.server, ctx.client, *ctx.server.acl().find(ctx.argv[2]));
  ctx.reply.ok();
}

void acl_deluser(CommandContext& ctx) {
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    if (ctx.argv[i] == "default") return ctx.reply.error("ERR The 'default' user cannot be removed");
  }
  int64_t deleted = 0;
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    std::shared_ptr<acl::User> user = ctx.server.acl().find(ctx.argv[i]);
    if (user == nullptr || !ctx.server.acl().delete_user(ctx.argv[i])) continue;
    kill_clients_of(ctx.server, ctx.client, user.get());
    ++deleted;
  }
  ctx.reply.integer(deleted);
}

void reply_selector(CommandContext& ctx, const acl::Selector& selector) {
  ctx.reply.bulk("commands");
  ctx.reply.bulk(acl::describe_commands(selector, ctx.server.commands()));
  ctx.reply.bulk("keys");
  ctx.reply.bulk(acl::describe_keys(selector));
  ctx.reply.bulk("channels");
  ctx.reply.bulk(acl::describe_channels(selector));
}

void acl_getuser(CommandContext& ctx) {
  std::shared_ptr<acl::User> user = ctx.server.acl().find(ctx.argv[2]);
  if (user == nullptr) return ctx.reply.null();
  ctx.reply.map(6);
  ctx.reply.bulk("flags");
  const std::vector<std::string_view> flags = acl::user_flags(*user);
  ctx.reply.array(flags.size());
  for (std::string_view flag : flags) ctx.reply.bulk(flag);
  ctx.reply.bulk("passwords");
  ctx.reply.array(user->password_hashes.size());
  for (const std::string& hash : user->password_hashes) ctx.reply.bulk(hash);
  reply_selector(ctx, user->root());
  ctx.reply.bulk("selectors");
  ctx.reply.array(user->selectors.size() - 1);
  for (size_t i = 1; i < user->selectors.size(); ++i) {
    ctx.reply.map(3);
    reply_selector(ctx, user->selectors[i]);
  }
}

void acl_list(CommandContext& ctx) {
  const acl::UserMap& users = ctx.server.acl().users();
  ctx.reply.array(users.size());
  for (const auto& [name, user] : users) {
    ctx.reply.bulk(acl::describe_user(*user, ctx.server.commands()));
  }
}

void acl_users(CommandContext& ctx) {
  const acl::UserMap& users = ctx.server.acl().users();
  ctx.reply.array(users.size());
  for (const auto& [name, user] : users) ctx.reply.bulk(name);
}

void acl_whoami(CommandContext& ctx) {
  ctx.reply.bulk(ctx.client.user != nullptr ? ctx.client.user->name : "default");
}

void acl_cat(CommandContext& ctx) {
  if (ctx.argv.size() > 3) return reply_acl_syntax(ctx);
  if (ctx.argv.size() == 2) {
    const auto names = acl::category_names();
    ctx.reply.array(names.size());
    for (std::string_view name : names) ctx.reply.bulk(name);
    return;
  }
  const std::optional<uint32_t> bit = acl::category_bit(ctx.argv[2]);
  if (!bit) return ctx.reply.error(fmt::format("ERR Unknown category '{}'", ctx.argv[2]));
  std::vector<std::string_view> names;
  for (const server::CommandSpec* spec : ctx.server.commands().all()) {
    if ((spec->category_bits & *bit) != 0) names.push_back(spec->name);
    for (const server::CommandSpec& sub : spec->subcommands) {
      if ((sub.category_bits & *bit) != 0) names.push_back(sub.name);
    }
  }
  ctx.reply.array(names.size());
  for (std::string_view name : names) ctx.reply.bulk(name);
}

void acl_genpass(CommandContext& ctx) {
  int64_t bits = constants::acl_genpass_bits_default;
  if (ctx.argv.size() == 3) {
    const std::optional<int64_t> parsed = parse_int64(ctx.argv[2]);
    if (!parsed || *parsed <= 0 || *parsed > constants::acl_genpass_bits_max) {
      return ctx.reply.error(fmt::format(
          "ERR ACL GENPASS argument must be the number of bits for the output password, a "
          "positive number up to {}",
          constants::acl_genpass_bits_max));
    }
    bits = *parsed;
  } else if (ctx.argv.size() > 3) {
    return reply_acl_syntax(ctx);
  }
  static constexpr char digits[] = "0123456789abcdef";
  const size_t chars = static_cast<size_t>((bits + 3) / 4);
  std::string password;
  password.reserve(chars);
  uint64_t random = 0;
  for (size_t i = 0; i < chars; ++i) {
    if (i % 16 == 0) random = ctx.server.runtime().rng().next_u64();
    password.push_back(digits[random & 0xf]);
    random >>= 4;
  }
  ctx.reply.bulk(password);
}

void acl_dryrun(CommandContext& ctx) {
  std::shared_ptr<acl::User> user = ctx.server.acl().find(ctx.argv[2]);
  if (user == nullptr) {
    return ctx.reply.error(fmt::format("ERR User '{}' not found", ctx.argv[2]));
  }
  const std::span<const std::string_view> argv = ctx.argv.subspan(3);
  const server::CommandSpec* spec = find_spec(ctx.server.commands(), argv);
  if (spec == nullptr || (!spec->subcommands.empty() && argv.size() >= 2)) {
    return ctx.reply.error(fmt::format("ERR Command '{}' not found", argv[0]));
  }
  if (!arity_ok(*spec, argv.size())) {
    return ctx.reply.error(
        fmt::format("ERR wrong number of arguments for '{}' command", spec->name));
  }
  const acl::Verdict verdict = acl::check_command(*user, *spec, argv);
  if (verdict.allowed()) return ctx.reply.ok();
  ctx.reply.bulk(denial_message(verdict, *spec, argv));
}

void acl_help(CommandContext& ctx) {
  reply_help(
      ctx, "ACL",
      {"CAT [<category>]",
       "    List all commands that belong to <category>, or all command categories",
       "    when no category is specified.",
       "DELUSER <username> [<username> ...]", "    Delete a list of users.",
       "DRYRUN <username> <command> [<arg> ...]",
       "    Returns whether the user can execute the given command without executing the "
       "command.",
       "GETUSER <username>", "    Get the user's details.", "GENPASS [<bits>]",
       "    Generate a secure 256-bit user password. The optional `bits` argument can",
       "    be used to specify a different size.", "LIST",
       "    Show users details in config file format.", "LOAD",
       "    Reload users from the ACL file.", "LOG [<count> | RESET]",
       "    Show the ACL log entries.", "SAVE", "    Save the current config to the ACL file.",
       "SETUSER <username> <attribute> [<attribute> ...]",
       "    Create or modify a user with the specified attributes.", "USERS",
       "    List all the registered usernames.", "WHOAMI",
       "    Return the current connection username."});
}

}  // namespace

void kill_clients_of(server::Server& server, server::Client& caller,
                     const server::acl::User* user) {
  kill_clients_where(server, caller,
                     [&](const server::Client& client) { return client.user.get() == user; });
}

void kill_clients_of_unknown_users(server::Server& server, server::Client& caller) {
  kill_clients_where(server, caller, [&](const server::Client& client) {
    return server.acl().find(client.user->name) != client.user;
  });
}

void reply_acl_syntax(CommandContext& ctx) {
  ctx.reply.error(fmt::format(
      "ERR unknown subcommand or wrong number of arguments for '{}'. Try ACL HELP.",
      ctx.argv[1].substr(0, 128)));
}

void register_acl_commands(CommandTable& table) {
  const SpecBuilder family = SpecBuilder::family("server", "@admin @slow @dangerous");
  constexpr uint32_t admin_flags = flag_admin | flag_noscript | flag_loading | flag_stale;
  constexpr uint32_t open_flags = flag_noscript | flag_loading | flag_stale;
  table.add(
      container("acl", "server")
          .doc("A container for Access List Control commands", "6.0.0")
          .subcommands({
              family.command("acl|cat", -2, acl_cat).flags(open_flags).acl("@slow")
                  .doc("List the ACL categories or the commands inside a category", "6.0.0"),
              family.command("acl|deluser", -3, acl_deluser).flags(admin_flags)
                  .doc("Remove the specified ACL users and the associated rules", "6.0.0"),
              family.command("acl|dryrun", -4, acl_dryrun).flags(admin_flags)
                  .doc("Returns whether the user can execute the given command without "
                       "executing the command.", "7.0.0"),
              family.command("acl|genpass", -2, acl_genpass).flags(open_flags).acl("@slow")
                  .doc("Generate a pseudorandom secure password to use for ACL users", "6.0.0"),
              family.command("acl|getuser", 3, acl_getuser).flags(admin_flags)
                  .doc("Get the rules for a specific ACL user", "6.0.0"),
              family.command("acl|help", 2, acl_help).flags(flag_loading | flag_stale).acl("@slow")
                  .doc("Show helpful text about the different subcommands", "6.0.0"),
              family.command("acl|list", 2, acl_list).flags(admin_flags)
                  .doc("List the current ACL rules in ACL config file format", "6.0.0"),
              family.command("acl|load", 2, acl_load).flags(admin_flags)
                  .doc("Reload the ACLs from the configured ACL file", "6.0.0"),
              family.command("acl|log", -2, acl_log).flags(admin_flags)
                  .doc("List latest events denied because of ACLs in place", "6.0.0"),
              family.command("acl|save", 2, acl_save).flags(admin_flags)
                  .doc("Save the current ACL rules in the configured ACL file", "6.0.0"),
              family.command("acl|setuser", -3, acl_setuser).flags(admin_flags)
                  .doc("Modify or create the rules for a specific ACL user", "6.0.0"),
              family.command("acl|users", 2, acl_users).flags(admin_flags)
                  .doc("List the username of all the configured ACL rules", "6.0.0"),
              family.command("acl|whoami", 2, acl_whoami).flags(open_flags).acl("@slow")
                  .doc("Return the name of the user associated to the current connection",
                       "6.0.0"),
          }));
}

}  // namespace ringcache::commands
