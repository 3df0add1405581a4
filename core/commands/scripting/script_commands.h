#pragma once
// The scripting family's registrations, one per file: EVAL and its variants (eval.cpp), SCRIPT
// (script_command.cpp), FCALL and FUNCTION (function_commands.cpp).

#include "core/commands/command.h"

namespace ringcache::commands {

void register_eval_commands(CommandTable& table);
void register_script_command(CommandTable& table);
void register_function_commands(CommandTable& table);  // function_commands.cpp

}  // namespace ringcache::commands
