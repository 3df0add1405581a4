#pragma once
// SHA-256 (FIPS 180-4) as 64 lower-case hex digits: how ACL users' passwords are stored and
// compared (ACL SETUSER >pass, #hash), as Redis stores them. Written here rather than taken from
// a crypto library because core/ links nothing but the standard library, fmt and Lua, and the
// simulator and fuzz targets build the same core.

#include <string>
#include <string_view>

namespace ringcache {

std::string sha256_hex(std::string_view data);

}  // namespace ringcache
