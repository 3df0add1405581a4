#include "core/scripting/function_dump.h"

#include <cstdint>

namespace ringcache::scripting {
namespace {

constexpr std::string_view magic = "RCFN";
constexpr uint8_t version = 1;

uint64_t fnv1a64(std::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : bytes) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

void put(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

std::optional<uint64_t> take(std::string_view& in, size_t bytes) {
  if (in.size() < bytes) return std::nullopt;
  uint64_t value = 0;
  for (size_t i = 0; i < bytes; ++i) value |= uint64_t{static_cast<uint8_t>(in[i])} << (8 * i);
  in.remove_prefix(bytes);
  return value;
}

}  // namespace

std::string dump_libraries(const std::vector<std::string_view>& codes) {
  std::string out(magic);
  put(out, version, 1);
  put(out, codes.size(), 4);
  for (const std::string_view code : codes) {
    put(out, code.size(), 4);
    out.append(code);
  }
  put(out, fnv1a64(out), 8);
  return out;
}

std::optional<std::vector<std::string>> read_dump(std::string_view payload) {
  if (payload.size() < magic.size() + 1 + 4 + 8 || !payload.starts_with(magic)) return std::nullopt;
  const std::string_view body = payload.substr(0, payload.size() - 8);
  std::string_view tail = payload.substr(payload.size() - 8);
  if (take(tail, 8) != fnv1a64(body)) return std::nullopt;
  std::string_view in = body.substr(magic.size());
  if (take(in, 1) != version) return std::nullopt;
  const std::optional<uint64_t> count = take(in, 4);
  std::vector<std::string> codes;
  for (uint64_t i = 0; count && i < *count; ++i) {
    const std::optional<uint64_t> size = take(in, 4);
    if (!size || in.size() < *size) return std::nullopt;
    codes.emplace_back(in.substr(0, *size));
    in.remove_prefix(*size);
  }
  if (!in.empty()) return std::nullopt;
  return codes;
}

}  // namespace ringcache::scripting
