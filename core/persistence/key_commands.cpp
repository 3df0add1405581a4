#include "core/persistence/key_commands.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>

#include "core/store/collection.h"

namespace ringcache::persistence {

void emit_key_commands(const store::Entry& entry, const EmitCommand& emit,
                       std::optional<int64_t> now_ms) {
  const std::string_view key = entry.key();
  const bool string = entry.type() == store::ValueType::string;
  // A key about to expire keeps at least a millisecond: it expires on the other side.
  const int64_t at_ms = entry.has_expiry() && now_ms
                            ? std::max<int64_t>(1, entry.expire_at_ms() - *now_ms)
                            : entry.expire_at_ms();
  const std::string at = entry.has_expiry() ? fmt::format("{}", at_ms) : "";
  const std::string_view set_option = now_ms ? "PX" : "PXAT";
  const std::string_view expire_command = now_ms ? "PEXPIRE" : "PEXPIREAT";
  if (string && entry.has_expiry()) {
    const std::array<std::string_view, 5> set{"SET", key, entry.string_value(), set_option, at};
    return emit(set);
  }
  if (string) {
    const std::array<std::string_view, 3> set{"SET", key, entry.string_value()};
    return emit(set);
  }
  entry.collection()->rebuild(key, emit);
  if (entry.has_expiry()) {
    const std::array<std::string_view, 3> expire{expire_command, key, at};
    emit(expire);
  }
}

}  // namespace ringcache::persistence
