#include "core/scripting/library_metadata.h"

#include <fmt/format.h>

#include <vector>

#include "core/protocol/ascii.h"

namespace ringcache::scripting {
namespace {

Status invalid_metadata(std::string message) { return Status(Errc::invalid_argument, std::move(message)); }

}  // namespace

bool valid_function_name(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

Result<LibraryMetadata> parse_library_metadata(std::string_view code) {
  if (!code.starts_with("#!")) return invalid_metadata("Missing library metadata");
  LibraryMetadata metadata;
  metadata.line_bytes = std::min(code.find('\n'), code.size());
  std::string_view line = code.substr(2, metadata.line_bytes - 2);
  std::vector<std::string_view> words;
  while (!line.empty()) {
    const size_t end = line.find(' ');
    if (end != 0) words.push_back(line.substr(0, end));
    if (end == std::string_view::npos) break;
    line.remove_prefix(end + 1);
  }
  const std::string_view engine = words.empty() || code[2] == ' ' ? "" : words[0];
  if (!protocol::iequals(engine, "lua")) {
    return invalid_metadata(fmt::format("Engine '{}' not found", engine));
  }
  bool named = false;
  for (size_t i = 1; i < words.size(); ++i) {
    if (!words[i].starts_with("name=")) {
      return invalid_metadata(fmt::format("Invalid metadata value given: {}", words[i]));
    }
    if (named) return invalid_metadata("Invalid metadata value, name argument was given multiple times");
    named = true;
    std::string_view name = words[i].substr(5);
    // The line is split as Redis splits arguments: a quoted name loses its quotes.
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
      name = name.substr(1, name.size() - 2);
    }
    metadata.name = name;
  }
  if (!named) return invalid_metadata("Library name was not given");
  if (!valid_function_name(metadata.name)) {
    return invalid_metadata(
        "Library names can only contain letters, numbers, or underscores(_) and must be at least "
        "one character long");
  }
  return metadata;
}

}  // namespace ringcache::scripting
