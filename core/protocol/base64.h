#pragma once
// Base64 (RFC 4648 section 4, standard alphabet, '=' padding): how the HTTP API carries values
// that are not UTF-8 text (?encoding=base64).

#include <optional>
#include <string>
#include <string_view>

namespace ringcache::protocol {

void base64_encode(std::string_view bytes, std::string& out);
// Decodes canonical base64: length a multiple of 4, padding only at the end, no whitespace,
// unused bits zero. nullopt for anything else.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace ringcache::protocol
