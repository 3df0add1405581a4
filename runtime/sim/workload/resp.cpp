#include "runtime/sim/workload/resp.h"

#include <fmt/format.h>

#include <charconv>

namespace ringcache::sim {
namespace {
constexpr int nesting_max = 8;
constexpr int64_t bulk_bytes_max = 512LL * 1024 * 1024;

std::optional<int64_t> to_int(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Status corrupt(std::string_view what) { return {Errc::corrupt, std::string(what)}; }
}  // namespace

std::string RespValue::describe() const {
  switch (type) {
    case Type::simple:
      return "+" + text;
    case Type::error:
      return "-" + text;
    case Type::integer:
      return fmt::format(":{}", integer);
    case Type::bulk:
      return "$" + text;
    case Type::null:
      return "(nil)";
    case Type::array: {
      std::string out = "[";
      for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i].describe();
      return out + "]";
    }
  }
  return "?";
}

namespace {
// "<marker><count>\r\n": written by hand, as every simulated request passes here.
void append_header(std::string& out, char marker, size_t count) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof(digits), count).ptr;
  out.push_back(marker);
  out.append(digits, end);
  out.append("\r\n");
}
}  // namespace

std::string encode_command(std::span<const std::string_view> argv) {
  size_t bytes = 16;
  for (const std::string_view arg : argv) bytes += arg.size() + 16;
  std::string out;
  out.reserve(bytes);
  append_header(out, '*', argv.size());
  for (const std::string_view arg : argv) {
    append_header(out, '$', arg.size());
    out.append(arg);
    out.append("\r\n");
  }
  return out;
}

std::string encode_command(const std::vector<std::string>& argv) {
  const std::vector<std::string_view> views(argv.begin(), argv.end());
  return encode_command(views);
}

std::optional<std::string_view> RespParser::line(size_t& pos) const {
  const size_t end = buffer_.find("\r\n", pos);
  if (end == std::string::npos) return std::nullopt;
  std::string_view text(buffer_.data() + pos, end - pos);
  pos = end + 2;
  return text;
}

Result<std::optional<RespValue>> RespParser::next() {
  size_t pos = consumed_;
  auto value = parse(pos, 0);
  if (!value) return value.status();
  if (value.value()) {
    consumed_ = pos;
    if (consumed_ == buffer_.size()) {
      buffer_.clear();
      consumed_ = 0;
    }
  }
  return value;
}

Result<std::optional<RespValue>> RespParser::parse(size_t& pos, int depth) {
  if (depth > nesting_max) return corrupt("reply nested too deeply");
  if (pos >= buffer_.size()) return std::optional<RespValue>();
  const char kind = buffer_[pos++];
  const auto header = line(pos);
  if (!header) return std::optional<RespValue>();
  switch (kind) {
    case '+':
      return std::optional(RespValue::simple(std::string(*header)));
    case '-':
      return std::optional(RespValue::error(std::string(*header)));
    case ':': {
      auto number = to_int(*header);
      if (!number) return corrupt("bad integer reply");
      return std::optional(RespValue::number(*number));
    }
    case '$': {
      auto length = to_int(*header);
      if (!length || *length < -1 || *length > bulk_bytes_max) return corrupt("bad bulk length");
      if (*length == -1) return std::optional(RespValue::null());
      if (buffer_.size() < pos + *length + 2) return std::optional<RespValue>();
      if (buffer_.compare(pos + *length, 2, "\r\n") != 0) return corrupt("bulk without CRLF");
      RespValue value = RespValue::bulk(buffer_.substr(pos, *length));
      pos += *length + 2;
      return std::optional(std::move(value));
    }
    case '*': {
      auto count = to_int(*header);
      if (!count || *count < -1) return corrupt("bad array length");
      if (*count == -1) return std::optional(RespValue::null());
      RespValue array;
      array.type = RespValue::Type::array;
      for (int64_t i = 0; i < *count; ++i) {
        auto item = parse(pos, depth + 1);
        if (!item || !item.value()) return item;
        array.items.push_back(std::move(*item.value()));
      }
      return std::optional(std::move(array));
    }
    default:
      return corrupt(fmt::format("unknown reply type byte {:#x}", kind));
  }
}

}  // namespace ringcache::sim
