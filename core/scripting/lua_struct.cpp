#include "core/scripting/lua_struct.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

#include "core/constants.h"
#include "core/util/assert.h"

namespace ringcache::scripting {
namespace {

// Scripts must get Redis' bytes, and Redis' sizes are those of its C types on x86-64.
constexpr size_t short_bytes = 2;
constexpr size_t int_bytes = 4;  // i and I without a number
constexpr size_t long_bytes = 8;
constexpr size_t float_bytes = 4;
constexpr size_t double_bytes = 8;
static_assert(std::numeric_limits<float>::is_iec559 && std::numeric_limits<double>::is_iec559,
              "f and d are IEEE 754 binary32 and binary64");
constexpr uint64_t top_bit = uint64_t{1} << 63;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Redis turns numbers into integers with C casts, which x86-64 carries out as below; C++ leaves
// the out-of-range cases undefined, so they are spelled out. A number outside int64 (or NaN)
// becomes INT64_MIN's bits, as the CPU's conversion answers.
uint64_t to_int64_bits(double n) {
  if (n >= -0x1p63 && n < 0x1p63) return static_cast<uint64_t>(static_cast<int64_t>(n));
  return top_bit;
}

// A cast to an unsigned 64-bit integer: below 2^63 (and NaN) the signed conversion, from 2^63 on
// the signed conversion of n - 2^63 with the top bit flipped, so 2^64 and above wrap to 0.
uint64_t to_uint64(double n) {
  if (!(n >= 0x1p63)) return to_int64_bits(n);
  return to_int64_bits(n - 0x1p63) ^ top_bit;
}

// The format string and the options met so far. It ends at its first zero byte, as it does for
// Redis, which reads it as a C string.
class Format {
 public:
  Format(lua_State* L, int index) : L_(L), rest_(luaL_checkstring(L, index)) {}

  // The next option, or '\0' at the end.
  char next() {
    if (rest_.empty()) return '\0';
    const char option = rest_.front();
    rest_.remove_prefix(1);
    return option;
  }

  bool little_endian() const { return little_endian_; }

  // The bytes `option` takes (0 for the control options and s); reads its number if it has one.
  size_t option_size(char option) {
    switch (option) {
      case 'b':
      case 'B':
      case 'x':
        return 1;
      case 'h':
      case 'H':
        return short_bytes;
      case 'l':
      case 'L':
      case 'T':
        return long_bytes;
      case 'f':
        return float_bytes;
      case 'd':
        return double_bytes;
      case 'c':
        return static_cast<size_t>(count(1));
      case 'i':
      case 'I':
        return integer_size();
      default:
        return 0;
    }
  }

  // Zero bytes to put before a value of `size` bytes at `position`. The mask is meant for powers
  // of two; Redis applies it to any size (i3, i6...), and what it gives is what Redis pads.
  size_t padding(size_t position, char option, size_t size) const {
    if (size == 0 || option == 'c') return 0;
    const size_t unit = std::min(size, align_bytes_);
    return (unit - (position & (unit - 1))) & (unit - 1);
  }

  // Takes a control option (< > ! and space); anything else is not an option at all.
  void control(char option) {
    switch (option) {
      case ' ':
        return;
      case '<':
        little_endian_ = true;
        return;
      case '>':
        little_endian_ = false;
        return;
      case '!':
        return set_alignment(count(constants::lua_struct_align_default_bytes));
      default: {
        const char* message = lua_pushfstring(L_, "invalid format option '%c'", option);
        luaL_argerror(L_, 1, message);
      }
    }
  }

 private:
  // The number after an option, or `fallback` when none follows. Redis keeps it in a C int.
  int count(int fallback) {
    if (rest_.empty() || !is_digit(rest_.front())) return fallback;
    int64_t value = 0;
    while (!rest_.empty() && is_digit(rest_.front())) {
      value = value * 10 + (rest_.front() - '0');
      if (value > std::numeric_limits<int>::max()) luaL_error(L_, "integral size overflow");
      rest_.remove_prefix(1);
    }
    return static_cast<int>(value);
  }

  size_t integer_size() {
    const int size = count(static_cast<int>(int_bytes));
    if (size > constants::lua_struct_integer_bytes_max) {
      luaL_error(L_, "integral size %d is larger than limit of %d", size,
                 constants::lua_struct_integer_bytes_max);
    }
    return static_cast<size_t>(size);
  }

  void set_alignment(int bytes) {
    if (bytes <= 0 || !std::has_single_bit(static_cast<unsigned>(bytes))) {
      luaL_error(L_, "alignment %d is not a power of 2", bytes);
    }
    align_bytes_ = static_cast<size_t>(bytes);
  }

  lua_State* L_;
  std::string_view rest_;
  bool little_endian_ = true;  // Redis' default is the machine's order, little on its builds
  size_t align_bytes_ = 1;     // no padding until '!'
};

bool is_integer_option(char option) {
  return std::string_view("bBhHlLTiI").find(option) != std::string_view::npos;
}

// The options that stand for a value: pack takes an argument for each, unpack returns one.
bool is_value_option(char option) {
  return is_integer_option(option) ||
         std::string_view("fdcs").find(option) != std::string_view::npos;
}

bool is_signed_option(char option) {
  return option == 'b' || option == 'h' || option == 'l' || option == 'i';
}

// The bits of `bytes` read as one number, most significant first unless little-endian: of more
// than 8 bytes only the last 8 read stay, the least significant.
uint64_t read_bits(std::string_view bytes, bool little_endian) {
  uint64_t bits = 0;
  const size_t size = bytes.size();
  for (size_t i = 0; i < size; ++i) {
    bits = bits << 8 | static_cast<uint8_t>(bytes[little_endian ? size - 1 - i : i]);
  }
  return bits;
}

// ------------------------------------------------------------------------------------ pack --

// Appends the `size` low bytes of `value`, most significant first when !little_endian. Past the
// 8th byte the value has no more bits: the rest are zeros, even for a negative number (Redis'
// value is 64 bits wide).
void add_bytes(luaL_Buffer& out, uint64_t value, size_t size, bool little_endian) {
  char bytes[constants::lua_struct_integer_bytes_max];
  RING_ASSERT(size <= sizeof bytes);
  for (size_t i = 0; i < size; ++i) {
    bytes[little_endian ? i : size - 1 - i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  luaL_addlstring(&out, bytes, size);
}

void add_zeros(luaL_Buffer& out, size_t count) {
  for (size_t i = 0; i < count; ++i) luaL_addchar(&out, '\0');
}

// The string option at argument `arg` (c or s); returns the bytes it added.
size_t add_string(lua_State* L, luaL_Buffer& out, int arg, char option, size_t size) {
  size_t length = 0;
  const char* text = luaL_checklstring(L, arg, &length);
  if (size == 0) size = length;
  // Redis names the argument after the string; kept, so the error reads the same.
  if (length < size) luaL_argerror(L, arg + 1, "string too short");
  luaL_addlstring(&out, text, size);
  if (option != 's') return size;
  luaL_addchar(&out, '\0');
  return size + 1;
}

// Appends the value option `option` takes from argument `arg`; returns the bytes added.
size_t add_value(lua_State* L, luaL_Buffer& out, const Format& format, int arg, char option,
                 size_t size) {
  const bool little = format.little_endian();
  switch (option) {
    case 'f': {
      const auto value = static_cast<float>(luaL_checknumber(L, arg));
      add_bytes(out, std::bit_cast<uint32_t>(value), size, little);
      return size;
    }
    case 'd':
      add_bytes(out, std::bit_cast<uint64_t>(luaL_checknumber(L, arg)), size, little);
      return size;
    case 'c':
    case 's':
      return add_string(L, out, arg, option, size);
    default:
      add_bytes(out, to_uint64(luaL_checknumber(L, arg)), size, little);
      return size;
  }
}

int pack(lua_State* L) {
  Format format(L, 1);
  // The result grows in Lua's heap, under the script's heap limit, as pieces on the stack. Below
  // them this nil: an option past the last argument reads it ("number expected, got nil", as in
  // Redis), never a piece.
  lua_pushnil(L);
  luaL_Buffer out;
  luaL_buffinit(L, &out);
  int arg = 2;
  size_t total = 0;
  while (const char option = format.next()) {
    size_t size = format.option_size(option);
    const size_t padding = format.padding(total, option, size);
    add_zeros(out, padding);
    total += padding;
    if (is_value_option(option)) {
      size = add_value(L, out, format, arg++, option, size);
    } else if (option == 'x') {
      luaL_addchar(&out, '\0');
    } else {
      format.control(option);
    }
    total += size;
  }
  luaL_pushresult(&out);
  return 1;
}

// ---------------------------------------------------------------------------------- unpack --

// Reads `size` bytes as an integer. Like Redis, it keeps 64 bits: of a wider integer only the 8
// least significant bytes count, and the sign is the bit (8 * size - 1) mod 64, which is where
// Redis' shift lands on x86-64 (the top bit for sizes 1 to 8).
double read_integer(std::string_view bytes, bool little_endian, bool is_signed) {
  uint64_t value = read_bits(bytes, little_endian);
  if (!is_signed) return static_cast<double>(value);
  const uint64_t sign_and_above = ~uint64_t{0} << ((8 * bytes.size() + 63) % 64);
  if ((value & sign_and_above) != 0) value |= sign_and_above;
  return static_cast<double>(static_cast<int64_t>(value));
}

// Unpacking reads from `data` at `position`, which wraps as Redis' size_t does: a negative
// start passes the check for 0 and then fails this one, the only guard of every read.
class Reader {
 public:
  Reader(lua_State* L, std::string_view data, uint64_t position)
      : L_(L), data_(data), position_(position) {}

  uint64_t position() const { return position_; }
  void skip(uint64_t bytes) { position_ += bytes; }

  void need(uint64_t bytes) const {
    if (bytes > data_.size() || position_ > data_.size() - bytes) {
      luaL_argerror(L_, 2, "data string too short");
    }
  }

  // The next `size` bytes, once need(size) has passed.
  std::string_view bytes(size_t size) const {
    RING_ASSERT(position_ <= data_.size() && size <= data_.size() - position_);
    return {data_.data() + position_, size};
  }

  // The bytes up to the next zero byte (not included), or an error when there is none.
  std::string_view zero_terminated() const {
    const size_t end = data_.find('\0', position_);
    if (end == std::string_view::npos) luaL_error(L_, "unfinished string in data");
    return bytes(end - position_);
  }

 private:
  lua_State* L_;
  std::string_view data_;
  uint64_t position_;
};

// c0's length: the value unpacked just before, popped. A numeric string counts, as Lua converts
// it; a length past the data fails the caller's check.
size_t previous_length(lua_State* L, int results) {
  if (results == 0 || lua_isnumber(L, -1) == 0) {
    luaL_error(L, "format 'c0' needs a previous size");
  }
  const uint64_t length = to_uint64(lua_tonumber(L, -1));
  lua_pop(L, 1);
  return length;
}

// Pushes the value `option` reads (one of is_value_option's); returns the bytes it took.
size_t push_value(lua_State* L, const Reader& reader, const Format& format, char option,
                  size_t size, int& results) {
  const bool little = format.little_endian();
  switch (option) {
    case 'f': {
      const auto bits = static_cast<uint32_t>(read_bits(reader.bytes(size), little));
      lua_pushnumber(L, std::bit_cast<float>(bits));
      break;
    }
    case 'd':
      lua_pushnumber(L, std::bit_cast<double>(read_bits(reader.bytes(size), little)));
      break;
    case 'c':
      if (size == 0) {
        size = previous_length(L, results);
        --results;
        reader.need(size);
      }
      lua_pushlstring(L, reader.bytes(size).data(), size);
      break;
    case 's': {
      const std::string_view text = reader.zero_terminated();
      lua_pushlstring(L, text.data(), text.size());
      size = text.size() + 1;
      break;
    }
    default:
      lua_pushnumber(L, read_integer(reader.bytes(size), little, is_signed_option(option)));
  }
  ++results;
  return size;
}

int unpack(lua_State* L) {
  Format format(L, 1);
  size_t length = 0;
  const char* data = luaL_checklstring(L, 2, &length);
  auto start = static_cast<uint64_t>(luaL_optinteger(L, 3, 1));
  luaL_argcheck(L, start != 0, 3, "offset must be 1 or greater");
  Reader reader(L, {data, length}, start - 1);
  int results = 0;
  while (const char option = format.next()) {
    const size_t size = format.option_size(option);
    reader.skip(format.padding(reader.position(), option, size));
    reader.need(size);
    luaL_checkstack(L, 2, "too many results");  // this value and the final position
    size_t taken = size;
    if (is_value_option(option)) {
      taken = push_value(L, reader, format, option, size, results);
    } else if (option != 'x') {
      format.control(option);
    }
    reader.skip(taken);
  }
  lua_pushinteger(L, static_cast<lua_Integer>(reader.position() + 1));
  return results + 1;
}

// ------------------------------------------------------------------------------------ size --

int fixed_size(lua_State* L) {
  Format format(L, 1);
  size_t total = 0;
  while (const char option = format.next()) {
    const size_t size = format.option_size(option);
    total += format.padding(total, option, size);
    if (option == 's') luaL_argerror(L, 1, "option 's' has no fixed size");
    if (option == 'c' && size == 0) luaL_argerror(L, 1, "option 'c0' has no fixed size");
    // Letters and digits Redis does not know are skipped here, not refused as pack refuses them.
    if (!is_alnum(option)) format.control(option);
    total += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(total));
  return 1;
}

}  // namespace

int luaopen_struct(lua_State* L) {
  static constexpr luaL_Reg functions[] = {
      {"pack", pack}, {"unpack", unpack}, {"size", fixed_size}, {nullptr, nullptr}};
  lua_newtable(L);
  luaL_register(L, nullptr, functions);
  return 1;
}

}  // namespace ringcache::scripting
