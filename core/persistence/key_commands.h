#pragma once
// A key as the commands that rebuild it: strings as SET (+PXAT), collections through
// Collection::rebuild (large ones in several commands), then PEXPIREAT. The AOF rewrite writes
// these into the base file; slot migration sends them to a slot's new owner.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>

#include "core/store/entry.h"

namespace ringcache::persistence {

using EmitCommand = std::function<void(std::span<const std::string_view> argv)>;

// Calls `emit` with each command that recreates `entry` (key, value and expiry) on an empty key.
// The expiry is absolute (PXAT, PEXPIREAT: the same node's clock reads it back), or, given
// `now_ms`, what remains of it at that time (PX, PEXPIRE: for another node, whose wall clock
// may differ).
void emit_key_commands(const store::Entry& entry, const EmitCommand& emit,
                       std::optional<int64_t> now_ms = std::nullopt);

}  // namespace ringcache::persistence
