#pragma once
// SHA-1 (FIPS 180-4) as 40 lower-case hex digits: the name a script goes by (EVALSHA,
// SCRIPT LOAD, redis.sha1hex). Not used for anything that needs a secure hash.

#include <string>
#include <string_view>

namespace ringcache {

std::string sha1_hex(std::string_view data);

}  // namespace ringcache
