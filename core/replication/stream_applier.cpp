#include "core/replication/stream_applier.h"

#include <array>

#include "core/constants.h"
#include "core/protocol/ascii.h"

namespace ringcache::replication {

StreamApplier::StreamApplier(uint64_t applied_offset, Apply apply)
    : applied_offset_(applied_offset), apply_(std::move(apply)) {
  protocol::ParserLimits limits;
  limits.bulk_bytes_max = static_cast<int64_t>(constants::repl_pending_bytes_max);
  parser_.set_limits(limits);
}

Status StreamApplier::feed(std::string_view bytes) {
  buffer_.append(bytes);
  if (Status status = apply_complete_units(); !status) return status;
  if (buffer_.size() > constants::repl_pending_bytes_max) {
    return Status(Errc::invalid_argument, "a unit of the replication stream is too large");
  }
  return Status::ok();
}

Status StreamApplier::apply_complete_units() {
  size_t unit_start = 0;  // in buffer_: where the unit being parsed began
  while (true) {
    const auto outcome = parser_.parse(std::string_view(buffer_).substr(parsed_));
    if (outcome == protocol::RespParser::Outcome::incomplete) break;
    if (outcome == protocol::RespParser::Outcome::error) {
      return Status(Errc::invalid_argument, "replication stream: " + parser_.error());
    }
    const std::span<const std::string_view> argv = parser_.argv();
    parsed_ += parser_.consumed();
    if (argv.empty()) continue;  // a bare newline: keeps the offset, applies nothing
    const bool multi = protocol::iequals(argv[0], "MULTI");
    const bool exec = protocol::iequals(argv[0], "EXEC");
    if (!in_block_ && !multi) {
      const std::array<server::ArgvView, 1> unit{argv};
      apply_(unit, std::string_view(buffer_).substr(unit_start, parsed_ - unit_start));
    } else {
      in_block_ = true;
      block_.emplace_back(argv.begin(), argv.end());
      if (!exec) continue;
      std::vector<std::vector<std::string_view>> views;
      for (const auto& command : block_) views.emplace_back(command.begin(), command.end());
      const std::vector<server::ArgvView> unit(views.begin(), views.end());
      apply_(unit, std::string_view(buffer_).substr(unit_start, parsed_ - unit_start));
      block_.clear();
      in_block_ = false;
    }
    applied_offset_ += parsed_ - unit_start;
    unit_start = parsed_;
  }
  // Keep only the unit still arriving: an open block's bytes stay from its MULTI on, for `raw`.
  buffer_.erase(0, unit_start);
  parsed_ -= unit_start;
  return Status::ok();
}

}  // namespace ringcache::replication
