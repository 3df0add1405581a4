// MODULE: modules cannot be loaded here, so MODULE answers as a Redis 7.0 whose
// enable-module-command is "no" (its default): LIST is empty, LOAD, LOADEX and UNLOAD are refused
// with Redis' words.

#include "core/commands/server/server_family.h"

namespace ringcache::commands {
namespace {

constexpr std::string_view module_command_not_allowed =
    "ERR MODULE command not allowed. If the enable-module-command option is set to \"local\", "
    "you can run it from a local connection, otherwise you need to set this option in the "
    "configuration file, and then restart the server.";

void module_list(CommandContext& ctx) { ctx.reply.empty_array(); }
void module_refused(CommandContext& ctx) { ctx.reply.error(module_command_not_allowed); }

void module_help(CommandContext& ctx) {
  reply_help(ctx, "MODULE",
             {"LIST", "    Return a list of loaded modules.", "LOAD <path> [<arg> ...]",
              "    Load a module library from <path>, passing to it any optional arguments.",
              "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
              "    Load a module library from <path>, while passing it module configurations "
              "and optional arguments.",
              "UNLOAD <name>", "    Unload a module."});
}

}  // namespace

void register_module_commands(CommandTable& table) {
  const SpecBuilder module =
      SpecBuilder::family("server", "@admin @slow @dangerous").flags(flag_admin | flag_noscript);
  table.add(
      container("module", "server")
          .doc("A container for module commands", "4.0.0")
          .subcommands({
              module.command("module|list", 2, module_list)
                  .doc("List all modules loaded by the server", "4.0.0"),
              module.command("module|load", -3, module_refused).doc("Load a module", "4.0.0"),
              module.command("module|loadex", -3, module_refused)
                  .doc("Load a module with extended parameters", "7.0.0"),
              module.command("module|unload", 3, module_refused).doc("Unload a module", "4.0.0"),
              module.command("module|help", 2, module_help)
                  .flags(flag_loading | flag_stale)
                  .acl("@slow")
                  .doc("Show helpful text about the different subcommands", "5.0.0"),
          }));
}

}  // namespace ringcache::commands
