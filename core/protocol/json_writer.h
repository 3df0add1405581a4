#pragma once
// Writes JSON text into a string: objects, arrays, strings (escaped), integers, booleans, null.
// Commas are placed by the writer, so callers only say what comes next:
//
//   JsonWriter json(out);
//   json.begin_object().key("value").string("v").key("ttl_remaining_ms").null().end_object();
//
// Strings must be valid UTF-8 (check with valid_utf8); control characters, quotes and
// backslashes are escaped, everything else is written as is.

#include <cstdint>
#include <string>
#include <string_view>

namespace ringcache::protocol {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // A member name inside an object; the member's value is the next call.
  JsonWriter& key(std::string_view name);
  JsonWriter& string(std::string_view text);
  JsonWriter& integer(int64_t value);
  JsonWriter& boolean(bool value);
  JsonWriter& null();

  // Appends `text` as a quoted, escaped JSON string.
  static void append_string(std::string& out, std::string_view text);

 private:
  void before_value();
  JsonWriter& close_container(char bracket);

  std::string& out_;
  // One bit per open container (innermost lowest): whether it has an element yet. 64 levels
  // are far beyond any reply the API writes.
  uint64_t has_element_ = 0;
  int depth_ = 0;
  bool after_key_ = false;
};

}  // namespace ringcache::protocol
