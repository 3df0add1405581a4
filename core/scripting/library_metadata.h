#pragma once
// The first line of a function library, "#!lua name=mylib" (FUNCTION LOAD), checked with Redis
// 7.0's errors: "Missing library metadata", "Engine 'x' not found", "Invalid metadata value given:
// x", "Invalid metadata value, name argument was given multiple times", "Library name was not
// given", "Library names can only contain letters, numbers, or underscores(_) and must be at least
// one character long".

#include <string>
#include <string_view>

#include "core/util/status.h"

namespace ringcache::scripting {

struct LibraryMetadata {
  std::string name;
  size_t line_bytes = 0;  // the metadata line, newline excluded
};

Result<LibraryMetadata> parse_library_metadata(std::string_view code);

// Library and function names: letters, digits and '_', at least one.
bool valid_function_name(std::string_view name);

}  // namespace ringcache::scripting
