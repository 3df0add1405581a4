#pragma once
// Internal to the generic key family: keys.cpp registers its own commands and calls these for
// the ones that live in this folder.

#include "core/commands/command.h"

namespace ringcache::commands {

void register_sort_commands(CommandTable& table);  // sort.cpp: SORT, SORT_RO
void register_copy_command(CommandTable& table);   // copy.cpp: COPY
void register_dump_restore_commands(CommandTable& table);  // dump_restore.cpp: DUMP, RESTORE

}  // namespace ringcache::commands
