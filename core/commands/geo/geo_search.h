#pragma once
// The geo search commands (geo_search.cpp), registered with the rest of the family in geo.cpp.

#include <span>
#include <string_view>
#include <vector>

#include "core/commands/command.h"

namespace ringcache::commands::geo {

void georadius_command(CommandContext& ctx);
void georadius_ro_command(CommandContext& ctx);
void georadiusbymember_command(CommandContext& ctx);
void georadiusbymember_ro_command(CommandContext& ctx);
void geosearch_command(CommandContext& ctx);
void geosearchstore_command(CommandContext& ctx);
// GEORADIUS/GEORADIUSBYMEMBER's keys: the source, and the key after STORE/STOREDIST.
std::vector<int> georadius_keys(std::span<const std::string_view> argv);
std::vector<int> georadiusbymember_keys(std::span<const std::string_view> argv);

}  // namespace ringcache::commands::geo
