#pragma once
// Pieces of a request target (RFC 3986): path and query, percent-decoding, query parameters.

#include <optional>
#include <string>
#include <string_view>

namespace ringcache::protocol {

struct Target {
  std::string_view path;   // still percent-encoded
  std::string_view query;  // after '?', without it; "" when absent
};

Target split_target(std::string_view target);

// Decodes %XX escapes ('+' stays '+': it means space only in form bodies). nullopt when a '%'
// is not followed by two hex digits.
std::optional<std::string> percent_decode(std::string_view text);

// Calls visit(name, value) for each "name=value" of a query, in order, still encoded; a bare
// "name" gives an empty value. Returns false as soon as visit does.
template <typename Visit>
bool for_each_query_parameter(std::string_view query, Visit visit) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t equals = pair.find('=');
    const std::string_view name = pair.substr(0, equals);
    const std::string_view value =
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    if (!pair.empty() && !visit(name, value)) return false;
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return true;
}

}  // namespace ringcache::protocol
