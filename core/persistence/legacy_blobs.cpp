#include "core/persistence/legacy_blobs.h"

#include <fmt/format.h>

#include <cstdint>
#include <optional>
#include <string>

namespace ringcache::persistence {
namespace {

uint64_t legacy_le(const char* at, size_t bytes) {
  uint64_t value = 0;
  for (size_t i = bytes; i-- > 0;) value = (value << 8) | static_cast<uint8_t>(at[i]);
  return value;
}

int64_t sign_extend(uint64_t bits, size_t bytes) {
  const int shift = static_cast<int>(64 - 8 * bytes);
  return static_cast<int64_t>(bits << shift) >> shift;
}

constexpr size_t ziplist_header_bytes = 10;  // zlbytes, zltail, zllen
constexpr uint8_t ziplist_end = 0xff;
constexpr uint8_t ziplist_big_prevlen = 254;
constexpr uint64_t ziplist_count_unknown = 65535;

// One ziplist entry at `rest`: its total size, and its value as text or integer.
struct ZiplistEntry {
  size_t prevlen = 0;
  size_t size = 0;
  std::string_view text;
  std::optional<int64_t> integer;
};

std::optional<ZiplistEntry> read_ziplist_entry(std::string_view rest) {
  ZiplistEntry entry;
  size_t at = 0;
  if (rest.empty()) return std::nullopt;
  if (static_cast<uint8_t>(rest[0]) < ziplist_big_prevlen) {
    entry.prevlen = static_cast<uint8_t>(rest[0]);
    at = 1;
  } else {
    if (static_cast<uint8_t>(rest[0]) != ziplist_big_prevlen || rest.size() < 5) {
      return std::nullopt;
    }
    entry.prevlen = legacy_le(rest.data() + 1, 4);
    at = 5;
  }
  if (at >= rest.size()) return std::nullopt;
  const uint8_t encoding = static_cast<uint8_t>(rest[at]);
  auto take_string = [&](size_t header, uint64_t length) -> std::optional<ZiplistEntry> {
    if (header > rest.size() - at || length > rest.size() - at - header) return std::nullopt;
    entry.text = rest.substr(at + header, length);
    entry.size = at + header + length;
    return entry;
  };
  auto take_integer = [&](size_t bytes) -> std::optional<ZiplistEntry> {
    if (1 + bytes > rest.size() - at) return std::nullopt;
    entry.integer = sign_extend(legacy_le(rest.data() + at + 1, bytes), bytes);
    entry.size = at + 1 + bytes;
    return entry;
  };
  switch (encoding >> 6) {
    case 0: return take_string(1, encoding & 0x3f);
    case 1:
      if (rest.size() - at < 2) return std::nullopt;
      return take_string(2, (uint64_t{encoding} & 0x3f) << 8 | static_cast<uint8_t>(rest[at + 1]));
    case 2: {
      if (encoding != 0x80 || rest.size() - at < 5) return std::nullopt;
      uint64_t length = 0;  // big-endian, unlike everything else in a ziplist
      for (size_t i = 1; i <= 4; ++i) length = (length << 8) | static_cast<uint8_t>(rest[at + i]);
      return take_string(5, length);
    }
    default: break;
  }
  switch (encoding) {
    case 0xc0: return take_integer(2);
    case 0xd0: return take_integer(4);
    case 0xe0: return take_integer(8);
    case 0xf0: return take_integer(3);
    case 0xfe: return take_integer(1);
    default: break;
  }
  // 0xf1..0xfd: the values 0..12 in the encoding byte itself.
  if (encoding >= 0xf1 && encoding <= 0xfd) {
    entry.integer = (encoding & 0x0f) - 1;
    entry.size = at + 1;
    return entry;
  }
  return std::nullopt;
}

bool visit_value(const VisitElement& visit, std::string_view text, std::optional<int64_t> integer) {
  if (!integer) return visit(text);
  const std::string digits = fmt::format("{}", *integer);
  return visit(digits);
}

}  // namespace

bool ziplist_for_each(std::string_view ziplist, const VisitElement& visit) {
  if (ziplist.size() < ziplist_header_bytes + 1) return false;
  if (legacy_le(ziplist.data(), 4) != ziplist.size()) return false;
  if (static_cast<uint8_t>(ziplist.back()) != ziplist_end) return false;
  const uint64_t tail = legacy_le(ziplist.data() + 4, 4);
  const uint64_t declared = legacy_le(ziplist.data() + 8, 2);
  size_t at = ziplist_header_bytes;
  size_t previous_size = 0;
  size_t last_start = ziplist_header_bytes;
  uint64_t count = 0;
  const std::string_view body = ziplist.substr(0, ziplist.size() - 1);
  while (at < body.size()) {
    const std::optional<ZiplistEntry> entry = read_ziplist_entry(body.substr(at));
    if (!entry || entry->prevlen != previous_size) return false;
    if (!visit_value(visit, entry->text, entry->integer)) return false;
    last_start = at;
    previous_size = entry->size;
    at += entry->size;
    ++count;
  }
  if (tail != last_start) return false;
  return declared == ziplist_count_unknown || declared == count;
}

bool zipmap_for_each(std::string_view zipmap, const VisitElement& visit) {
  if (zipmap.size() < 2 || static_cast<uint8_t>(zipmap.back()) != 0xff) return false;
  size_t at = 1;  // zmlen: a count below 254, else unknown; the walk counts for itself
  const size_t end = zipmap.size() - 1;
  auto read_length = [&]() -> std::optional<uint64_t> {
    if (at >= end) return std::nullopt;
    const uint8_t first = static_cast<uint8_t>(zipmap[at]);
    if (first < 254) {
      at += 1;
      return first;
    }
    if (first != 254 || end - at < 5) return std::nullopt;
    const uint64_t length = legacy_le(zipmap.data() + at + 1, 4);
    at += 5;
    return length;
  };
  uint64_t count = 0;
  while (at < end) {
    const std::optional<uint64_t> key_length = read_length();
    if (!key_length || *key_length > end - at) return false;
    const std::string_view key = zipmap.substr(at, *key_length);
    at += *key_length;
    const std::optional<uint64_t> value_length = read_length();
    if (!value_length || at >= end) return false;
    const uint8_t free_bytes = static_cast<uint8_t>(zipmap[at++]);
    if (*value_length > end - at || free_bytes > end - at - *value_length) return false;
    const std::string_view value = zipmap.substr(at, *value_length);
    at += *value_length + free_bytes;
    if (!visit(key) || !visit(value)) return false;
    ++count;
  }
  const uint8_t declared = static_cast<uint8_t>(zipmap[0]);
  return declared >= 254 || declared == count;
}

bool intset_for_each(std::string_view intset, const VisitElement& visit) {
  if (intset.size() < 8) return false;
  const uint64_t width = legacy_le(intset.data(), 4);
  const uint64_t length = legacy_le(intset.data() + 4, 4);
  if (width != 2 && width != 4 && width != 8) return false;
  if (length == 0 || (intset.size() - 8) / width != length || (intset.size() - 8) % width != 0) {
    return false;
  }
  std::optional<int64_t> previous;
  for (uint64_t i = 0; i < length; ++i) {
    const int64_t value = sign_extend(legacy_le(intset.data() + 8 + i * width, width), width);
    if (previous && value <= *previous) return false;  // sorted, no duplicates
    previous = value;
    const std::string digits = fmt::format("{}", value);
    if (!visit(digits)) return false;
  }
  return true;
}

}  // namespace ringcache::persistence
