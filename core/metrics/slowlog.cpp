#include "core/metrics/slowlog.h"

#include <fmt/format.h>

#include "core/constants.h"

namespace ringcache::metrics {
namespace {

std::string clipped(std::string_view arg) {
  if (arg.size() <= constants::slowlog_entry_arg_bytes_max) return std::string(arg);
  return fmt::format("{}... ({} more bytes)", arg.substr(0, constants::slowlog_entry_arg_bytes_max),
                     arg.size() - constants::slowlog_entry_arg_bytes_max);
}

}  // namespace

void SlowLog::push(std::span<const std::string_view> argv,
                   const std::function<bool(size_t)>& redacted, int64_t unix_seconds,
                   int64_t duration_us, std::string_view client_address,
                   std::string_view client_name, size_t max_len) {
  SlowLogEntry entry{next_id_++, unix_seconds, duration_us, {}, std::string(client_address),
                     std::string(client_name)};
  const size_t kept = std::min(argv.size(), constants::slowlog_entry_args_max);
  for (size_t i = 0; i < kept; ++i) {
    // With too many arguments, the last slot says how many were left out.
    if (kept != argv.size() && i == kept - 1) {
      entry.args.push_back(fmt::format("... ({} more arguments)", argv.size() - kept + 1));
    } else {
      entry.args.push_back(redacted(i) ? std::string("(redacted)") : clipped(argv[i]));
    }
  }
  entries_.push_front(std::move(entry));
  while (entries_.size() > max_len) entries_.pop_back();
}

}  // namespace ringcache::metrics
