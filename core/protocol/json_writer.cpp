#include "core/protocol/json_writer.h"

#include <fmt/format.h>

#include "core/util/assert.h"

namespace ringcache::protocol {

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ > 0) {
    if (has_element_ & 1) out_.push_back(',');
    has_element_ |= 1;
  }
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  RING_ASSERT_MSG(depth_ < 64, "JSON nesting beyond what the writer tracks");
  out_.push_back('{');
  has_element_ <<= 1;
  ++depth_;
  return *this;
}

JsonWriter& JsonWriter::end_object() { return close_container('}'); }
JsonWriter& JsonWriter::end_array() { return close_container(']'); }

JsonWriter& JsonWriter::close_container(char bracket) {
  RING_ASSERT(depth_ > 0 && !after_key_);
  out_.push_back(bracket);
  has_element_ >>= 1;
  --depth_;
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  RING_ASSERT_MSG(depth_ < 64, "JSON nesting beyond what the writer tracks");
  out_.push_back('[');
  has_element_ <<= 1;
  ++depth_;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  RING_ASSERT_MSG(depth_ > 0 && !after_key_, "a key belongs inside an object");
  before_value();
  append_string(out_, name);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
  before_value();
  append_string(out_, text);
  return *this;
}

JsonWriter& JsonWriter::integer(int64_t value) {
  before_value();
  fmt::format_to(std::back_inserter(out_), "{}", value);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  before_value();
  out_.append(value ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_.append("null");
  return *this;
}

void JsonWriter::append_string(std::string& out, std::string_view text) {
  static constexpr char hex_digits[] = "0123456789abcdef";
  out.push_back('"');
  size_t run_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.substr(run_start, i - run_start));  // the plain run before this byte
    run_start = i + 1;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        out.append("\\u00");
        out.push_back(hex_digits[c >> 4]);
        out.push_back(hex_digits[c & 0xF]);
    }
  }
  out.append(text.substr(run_start));
  out.push_back('"');
}

}  // namespace ringcache::protocol
