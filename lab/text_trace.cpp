// Text trace lines: splitting, field extraction, numbers.

#include "lab/text_trace.h"

#include <charconv>

namespace ringcache::lab {

namespace {

// The `index`th field of `line` (zero-based), or false when there are fewer.
bool field(std::string_view line, char delimiter, int index, std::string_view& out) {
  size_t start = 0;
  for (int i = 0; i < index; ++i) {
    const size_t comma = line.find(delimiter, start);
    if (comma == std::string_view::npos) return false;
    start = comma + 1;
  }
  const size_t end = line.find(delimiter, start);
  out = line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  return true;
}

bool number(std::string_view text, uint64_t& out) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc{} && end == text.data() + text.size();
}

uint32_t clamp_size(uint64_t size) {
  return size > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(size);
}

bool is_delete_op(std::string_view op) { return op == "delete" || op == "del" || op == "DELETE"; }

}  // namespace

bool parse_csv_columns(std::string_view spec, CsvColumns& columns) {
  while (!spec.empty()) {
    const size_t comma = spec.find(',');
    const std::string_view item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    const size_t eq = item.find('=');
    uint64_t column = 0;
    if (eq == std::string_view::npos || !number(item.substr(eq + 1), column) || column == 0 ||
        column > 1000) {
      return false;
    }
    const std::string_view name = item.substr(0, eq);
    const int zero_based = static_cast<int>(column - 1);
    if (name == "time") columns.time = zero_based;
    else if (name == "key") columns.key = zero_based;
    else if (name == "size") columns.size = zero_based;
    else if (name == "op") columns.op = zero_based;
    else return false;
  }
  return true;
}

TextTraceDecoder::TextTraceDecoder(TraceBuilder& builder, TextFormat format, CsvColumns columns)
    : builder_(builder), format_(format), columns_(columns) {}

void TextTraceDecoder::feed(std::span<const uint8_t> bytes) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  size_t start = 0;
  while (true) {
    const size_t newline = text.find('\n', start);
    if (newline == std::string_view::npos) break;
    if (partial_.empty()) {
      line(text.substr(start, newline - start));
    } else {
      partial_.append(text.substr(start, newline - start));
      line(partial_);
      partial_.clear();
    }
    start = newline + 1;
  }
  partial_.append(text.substr(start));
}

void TextTraceDecoder::finish() {
  if (!partial_.empty()) line(partial_);
  partial_.clear();
}

void TextTraceDecoder::line(std::string_view text) {
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  const uint64_t index = lines_++;
  if (text.empty()) return;
  if (index == 0 && format_ == TextFormat::csv && columns_.header) return;
  bool ok = true;
  switch (format_) {
    case TextFormat::plain:
      builder_.add(key_fingerprint(text), 1);
      break;
    case TextFormat::csv:
      ok = csv_line(text);
      break;
    case TextFormat::twitter:
      ok = twitter_line(text);
      break;
  }
  if (!ok) ++skipped_;
}

bool TextTraceDecoder::csv_line(std::string_view text) {
  std::string_view key, value;
  if (!field(text, columns_.delimiter, columns_.key, key) || key.empty()) return false;
  uint64_t size = 1;
  if (columns_.size >= 0 &&
      (!field(text, columns_.delimiter, columns_.size, value) || !number(value, size))) {
    return false;
  }
  if (columns_.op >= 0) {
    if (!field(text, columns_.delimiter, columns_.op, value)) return false;
    if (is_delete_op(value)) {
      builder_.add_delete(key_fingerprint(key));
      return true;
    }
  }
  builder_.add(key_fingerprint(key), clamp_size(size));
  return true;
}

bool TextTraceDecoder::twitter_line(std::string_view text) {
  std::string_view key, key_size, value_size, op;
  uint64_t k = 0, v = 0;
  if (!field(text, ',', 1, key) || !field(text, ',', 2, key_size) ||
      !field(text, ',', 3, value_size) || !field(text, ',', 5, op) || !number(key_size, k) ||
      !number(value_size, v)) {
    return false;
  }
  if (is_delete_op(op)) {
    builder_.add_delete(key_fingerprint(key));
    return true;
  }
  builder_.add(key_fingerprint(key), clamp_size(k + v));
  return true;
}

}  // namespace ringcache::lab
