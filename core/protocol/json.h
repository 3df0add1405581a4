#pragma once
// A small JSON reader (RFC 8259) for the HTTP API's request bodies: a document becomes a Value
// tree. Strict on purpose: UTF-8 only, every escape including \uXXXX and surrogate pairs (an
// unpaired surrogate is an error, since it is no character), no trailing commas, comments,
// NaN or leading zeros, duplicate object keys refused, nesting bounded. Errors say what and where.
//
// Our own code rather than a library, so core/ keeps to the standard library and fmt (see
// docs/http-api.md); bodies are small, so the tree is built eagerly.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/constants.h"
#include "core/util/status.h"

namespace ringcache::protocol::json {

struct Member;

struct Value {
  enum class Kind { null, boolean, number, string, array, object };
  Kind kind = Kind::null;
  bool boolean = false;
  double number = 0;               // every number
  std::optional<int64_t> integer;  // numbers written without fraction or exponent that fit
  std::string string;              // decoded UTF-8
  std::vector<Value> items;        // array elements
  std::vector<Member> members;     // object members, in document order

  // The member named `key`, or nullptr (also when this is not an object).
  const Value* find(std::string_view key) const;
};

struct Member {
  std::string key;
  Value value;
};

// Parses one JSON document (whitespace around it allowed, nothing else). Errors:
// invalid_argument, with a message such as "malformed JSON at byte 12: expected ':'".
Result<Value> parse(std::string_view text, size_t depth_max = constants::json_depth_max);

// The name of a kind, for error messages ("a number").
std::string_view kind_name(Value::Kind kind);

}  // namespace ringcache::protocol::json
