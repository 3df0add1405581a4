#include "core/persistence/listpack_codec.h"

#include <fmt/format.h>

#include <optional>

#include "core/util/assert.h"
#include "core/util/integer.h"

namespace ringcache::persistence {
namespace {

constexpr size_t listpack_header_bytes = 6;  // total size (4), element count (2)
constexpr uint8_t listpack_end = 0xff;
constexpr uint32_t listpack_count_unknown = 65535;

void put_le(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

uint64_t get_le(const char* at, int bytes) {
  uint64_t value = 0;
  for (int i = bytes - 1; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(at[i]);
  return value;
}

// The backlen of an element whose encoding takes `size` bytes: seven bits a byte, the lowest
// seven last, every byte but the first (the most significant) marked with the top bit.
// The byte count follows Redis' thresholds exactly (a size of 16383 takes three bytes though two
// would hold it), so a backlen Redis wrote compares equal to ours.
void put_backlen(std::string& out, uint64_t size) {
  const int bytes = size <= 127 ? 1 : size < 16383 ? 2 : size < 2097151 ? 3 : size < 268435455 ? 4 : 5;
  for (int i = bytes - 1; i >= 0; --i) {
    const uint8_t seven = (size >> (7 * i)) & 0x7f;
    out.push_back(static_cast<char>(i == bytes - 1 ? seven : (seven | 0x80)));
  }
}

void put_integer(std::string& out, int64_t v) {
  const auto u = static_cast<uint64_t>(v);
  if (v >= 0 && v <= 127) {
    out.push_back(static_cast<char>(v));
  } else if (v >= -4096 && v <= 4095) {
    const uint64_t bits = u & 0x1fff;  // 13-bit two's complement
    out.push_back(static_cast<char>(0xc0 | (bits >> 8)));
    out.push_back(static_cast<char>(bits & 0xff));
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    out.push_back(static_cast<char>(0xf1));
    put_le(out, u, 2);
  } else if (v >= -(1 << 23) && v < (1 << 23)) {
    out.push_back(static_cast<char>(0xf2));
    put_le(out, u, 3);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    out.push_back(static_cast<char>(0xf3));
    put_le(out, u, 4);
  } else {
    out.push_back(static_cast<char>(0xf4));
    put_le(out, u, 8);
  }
}

void put_string(std::string& out, std::string_view s) {
  if (s.size() < 64) {
    out.push_back(static_cast<char>(0x80 | s.size()));
  } else if (s.size() < 4096) {
    out.push_back(static_cast<char>(0xe0 | (s.size() >> 8)));
    out.push_back(static_cast<char>(s.size() & 0xff));
  } else {
    out.push_back(static_cast<char>(0xf0));
    put_le(out, s.size(), 4);
  }
  out.append(s);
}

// One element's encoding at the front of `rest`: its size in bytes and its value (a string
// view into `rest`, or an integer). nullopt when it runs past `rest` or is no encoding.
struct ListpackItem {
  size_t size = 0;
  std::string_view text;
  std::optional<int64_t> integer;
};

std::optional<ListpackItem> read_listpack_item(std::string_view rest) {
  if (rest.empty()) return std::nullopt;
  const uint8_t first = static_cast<uint8_t>(rest[0]);
  auto string_item = [&](size_t header, uint64_t length) -> std::optional<ListpackItem> {
    if (length > rest.size() - header) return std::nullopt;
    return ListpackItem{header + length, rest.substr(header, length), std::nullopt};
  };
  auto integer_item = [&](size_t bytes) -> std::optional<ListpackItem> {
    if (rest.size() < 1 + bytes) return std::nullopt;
    const int shift = static_cast<int>(64 - 8 * bytes);
    const int64_t value = static_cast<int64_t>(get_le(rest.data() + 1, static_cast<int>(bytes))
                                               << shift) >> shift;
    return ListpackItem{1 + bytes, {}, value};
  };
  if ((first & 0x80) == 0) return ListpackItem{1, {}, first};
  if ((first & 0xc0) == 0x80) return string_item(1, first & 0x3f);
  if ((first & 0xe0) == 0xc0) {
    if (rest.size() < 2) return std::nullopt;
    const int64_t bits = ((first & 0x1f) << 8) | static_cast<uint8_t>(rest[1]);
    return ListpackItem{2, {}, bits >= 4096 ? bits - 8192 : bits};
  }
  if ((first & 0xf0) == 0xe0) {
    if (rest.size() < 2) return std::nullopt;
    return string_item(2, (uint64_t{first} & 0x0f) << 8 | static_cast<uint8_t>(rest[1]));
  }
  switch (first) {
    case 0xf0:
      if (rest.size() < 5) return std::nullopt;
      return string_item(5, get_le(rest.data() + 1, 4));
    case 0xf1: return integer_item(2);
    case 0xf2: return integer_item(3);
    case 0xf3: return integer_item(4);
    case 0xf4: return integer_item(8);
    default: return std::nullopt;  // 0xf5..0xfe are unused, 0xff is the end
  }
}

// The backlen at the front of `rest` must say `size` in the bytes put_backlen writes; returns
// its own length, or 0 when it does not.
size_t check_backlen(std::string_view rest, size_t size) {
  std::string expected;
  put_backlen(expected, size);
  return rest.starts_with(expected) ? expected.size() : 0;
}

}  // namespace

ListpackBuilder::ListpackBuilder() { body_.assign(listpack_header_bytes, '\0'); }

void ListpackBuilder::append(std::string_view element) {
  const size_t start = body_.size();
  const std::optional<int64_t> integer =
      element.size() <= 20 ? parse_int64(element) : std::nullopt;
  if (integer) {
    put_integer(body_, *integer);
  } else {
    put_string(body_, element);
  }
  put_backlen(body_, body_.size() - start);
  ++count_;
}

std::string ListpackBuilder::finish() {
  std::string out = std::move(body_);
  out.push_back(static_cast<char>(listpack_end));
  RING_ASSERT(out.size() <= UINT32_MAX);
  std::string header;
  put_le(header, out.size(), 4);
  put_le(header, count_ < listpack_count_unknown ? count_ : listpack_count_unknown, 2);
  out.replace(0, listpack_header_bytes, header);
  body_.assign(listpack_header_bytes, '\0');
  count_ = 0;
  return out;
}

bool listpack_for_each(std::string_view listpack,
                       const std::function<bool(std::string_view element)>& visit) {
  if (listpack.size() < listpack_header_bytes + 1) return false;
  if (get_le(listpack.data(), 4) != listpack.size()) return false;
  if (static_cast<uint8_t>(listpack.back()) != listpack_end) return false;
  const uint64_t declared = get_le(listpack.data() + 4, 2);
  std::string_view rest = listpack.substr(listpack_header_bytes,
                                          listpack.size() - listpack_header_bytes - 1);
  uint64_t count = 0;
  while (!rest.empty()) {
    const std::optional<ListpackItem> item = read_listpack_item(rest);
    if (!item) return false;
    const size_t backlen = check_backlen(rest.substr(item->size), item->size);
    if (backlen == 0) return false;
    const std::string integer_text = item->integer ? fmt::format("{}", *item->integer) : "";
    if (!visit(item->integer ? std::string_view(integer_text) : item->text)) return false;
    rest.remove_prefix(item->size + backlen);
    ++count;
  }
  return declared == listpack_count_unknown || declared == count;
}

}  // namespace ringcache::persistence
