#include "core/scripting/shebang.h"

#include <fmt/format.h>

#include <vector>

namespace ringcache::scripting {
namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (!text.empty()) {
    const size_t end = text.find(separator);
    const std::string_view part = text.substr(0, end);
    if (!part.empty()) parts.push_back(part);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return parts;
}

Status invalid_shebang(std::string message) { return Status(Errc::invalid_argument, std::move(message)); }

}  // namespace

uint32_t script_flag_named(std::string_view name) {
  if (name == "no-writes") return script_no_writes;
  if (name == "allow-oom") return script_allow_oom;
  if (name == "allow-stale") return script_allow_stale;
  if (name == "no-cluster") return script_no_cluster;
  if (name == "allow-cross-slot-keys") return script_allow_cross_slot_keys;
  return 0;
}

Result<Shebang> parse_shebang(std::string_view body, bool allow_name) {
  Shebang shebang;
  if (!body.starts_with("#!")) return shebang;
  shebang.present = true;
  shebang.line_bytes = std::min(body.find('\n'), body.size());
  const std::vector<std::string_view> words = split(body.substr(0, shebang.line_bytes), ' ');
  if (words.empty() || words[0] != "#!lua") {
    const std::string_view engine = words.empty() ? "" : words[0].substr(2);
    return invalid_shebang(fmt::format("Unexpected engine in script shebang: {}", engine));
  }
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string_view word = words[i];
    if (word.starts_with("flags=")) {
      for (const std::string_view flag : split(word.substr(6), ',')) {
        const uint32_t bit = script_flag_named(flag);
        if (bit == 0) return invalid_shebang(fmt::format("Unexpected flag in script shebang: {}", flag));
        shebang.flags |= bit;
      }
    } else if (allow_name && word.starts_with("name=")) {
      shebang.library_name = word.substr(5);
    } else {
      return invalid_shebang(fmt::format("Unknown lua shebang option: {}", word));
    }
  }
  return shebang;
}

}  // namespace ringcache::scripting
