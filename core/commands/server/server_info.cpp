// INFO [section ...]: Redis 7.0's sections, in its order, with its field names (the sections
// themselves are written in info/). Several sections may be named in one call; "default", "all"
// and "everything" select groups; an unknown name selects nothing.

#include "core/commands/server/info/info_text.h"
#include "core/commands/server/server_family.h"
#include "core/protocol/ascii.h"

namespace ringcache::commands {
namespace {

struct Section {
  std::string_view name;
  bool in_default;
  void (*write)(server::Server&, info::InfoText&);
};

constexpr Section info_sections[] = {
    {"server", true, info::server_section},
    {"clients", true, info::clients_section},
    {"memory", true, info::memory_section},
    {"persistence", true, info::persistence_section},
    {"stats", true, info::stats_section},
    {"replication", true, info::replication_section},
    {"cpu", true, info::cpu_section},
    {"modules", true, info::modules_section},
    {"commandstats", false, info::commandstats_section},
    {"errorstats", true, info::errorstats_section},
    {"latencystats", false, info::latencystats_section},
    {"cluster", true, info::cluster_section},
    {"keyspace", true, info::keyspace_section},
};

// Whether INFO's arguments select `section`: none means "default"; "all" and "everything" take
// every section (there are no module-made sections for "everything" to add).
bool selected(std::span<const std::string_view> args, const Section& section) {
  if (args.empty()) return section.in_default;
  for (std::string_view arg : args) {
    if (protocol::iequals(arg, "all") || protocol::iequals(arg, "everything")) return true;
    if (protocol::iequals(arg, "default") && section.in_default) return true;
    if (protocol::iequals(arg, section.name)) return true;
  }
  return false;
}

void info_command(CommandContext& ctx) {
  info::InfoText text;
  for (const Section& section : info_sections) {
    if (selected(ctx.argv.subspan(1), section)) section.write(ctx.server, text);
  }
  ctx.reply.verbatim("txt", text.text());
}

}  // namespace

void register_info_command(CommandTable& table) {
  table.add(spec("info", -1, info_command)
                .flags(flag_loading | flag_stale)
                .acl("@slow @dangerous")
                .group("server")
                .doc("Get information and statistics about the server", "1.0.0"));
}

}  // namespace ringcache::commands
