#pragma once
// The client side of RESP2 for simulated clients: commands out, replies in. Kept apart from
// core/protocol on purpose — the simulator checks the node's protocol code, so it must not
// reuse it to read what that code wrote.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/status.h"

namespace ringcache::sim {

struct RespValue {
  enum class Type { simple, error, integer, bulk, null, array };
  Type type = Type::null;
  std::string text;              // simple, error, bulk
  int64_t integer = 0;           // integer
  std::vector<RespValue> items;  // array

  static RespValue null() { return {}; }
  static RespValue bulk(std::string value) { return {Type::bulk, std::move(value), 0, {}}; }
  static RespValue simple(std::string value) { return {Type::simple, std::move(value), 0, {}}; }
  static RespValue error(std::string value) { return {Type::error, std::move(value), 0, {}}; }
  static RespValue number(int64_t value) { return {Type::integer, {}, value, {}}; }

  bool is_error() const { return type == Type::error; }
  // "+OK", "-ERR x", ":3", "$value", "(nil)", "[a, b]": for traces and failure reports.
  std::string describe() const;
  bool operator==(const RespValue& other) const = default;
};

// An array of bulk strings, as clients send commands.
std::string encode_command(std::span<const std::string_view> argv);
std::string encode_command(const std::vector<std::string>& argv);

// Parses replies from a byte stream fed in pieces.
class RespParser {
 public:
  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // A complete reply, nullopt if more bytes are needed, or Errc::corrupt for bytes no RESP2
  // server would send.
  Result<std::optional<RespValue>> next();

 private:
  // Parses one value at `pos`; nullopt if incomplete. Advances pos past it.
  Result<std::optional<RespValue>> parse(size_t& pos, int depth);
  std::optional<std::string_view> line(size_t& pos) const;

  std::string buffer_;
  size_t consumed_ = 0;
};

}  // namespace ringcache::sim
