#pragma once
// Which arguments of a command carry secrets, to be shown as "(redacted)" wherever commands are
// shown to operators (the slow log, MONITOR), as Redis 7.0 does: every argument of AUTH, and the
// username and password after HELLO's AUTH option.

#include <cstddef>
#include <span>
#include <string_view>

#include "core/server/command_table.h"

namespace ringcache::server {

bool is_secret_argument(const CommandSpec& spec, std::span<const std::string_view> argv, size_t i);

}  // namespace ringcache::server
