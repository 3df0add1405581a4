#pragma once
// UTF-8 checks and encoding for the JSON front end (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF).

#include <cstdint>
#include <string>
#include <string_view>

namespace ringcache::protocol {

// Whether `text` is well-formed UTF-8.
bool valid_utf8(std::string_view text);
// Appends the UTF-8 form of a Unicode scalar value (not a surrogate, at most U+10FFFF).
void append_utf8(std::string& out, uint32_t code_point);

}  // namespace ringcache::protocol
