#include "core/persistence/key_commands.h"

#include <fmt/format.h>

#include <array>
#include <string>

#include "core/store/collection.h"

namespace ringcache::persistence {

void emit_key_commands(const store::Entry& entry, const EmitCommand& emit) {
  const std::string_view key = entry.key();
  const bool string = entry.type() == store::ValueType::string;
  const std::string at = entry.has_expiry() ? fmt::format("{}", entry.expire_at_ms()) : "";
  if (string && entry.has_expiry()) {
    const std::array<std::string_view, 5> set{"SET", key, entry.string_value(), "PXAT", at};
    return emit(set);
  }
  if (string) {
    const std::array<std::string_view, 3> set{"SET", key, entry.string_value()};
    return emit(set);
  }
  entry.collection()->rebuild(key, emit);
  if (entry.has_expiry()) {
    const std::array<std::string_view, 3> expire{"PEXPIREAT", key, at};
    emit(expire);
  }
}

}  // namespace ringcache::persistence
