#pragma once
// The command families whose values are encodings inside the existing types: bitmaps and
// HyperLogLogs inside strings, geo positions as sorted-set scores; and LCS over strings. Each
// registers its commands in the server's table with one function, as the families of command.h.

#include "core/commands/command.h"

namespace ringcache::commands {

void register_bitmap_commands(CommandTable& table);       // bitmap/
void register_hyperloglog_commands(CommandTable& table);  // hyperloglog/
void register_lcs_commands(CommandTable& table);          // lcs/
void register_geo_commands(CommandTable& table);          // geo/

}  // namespace ringcache::commands
