#pragma once
// FUNCTION DUMP's payload and FUNCTION RESTORE's reading of it: the libraries' code, framed and
// checksummed in a format of ringcache's own (Redis' is an RDB fragment; the two do not mix):
//   "RCFN" version:u8 count:u32 (length:u32 code)* fnv1a64:u64   (integers little-endian)
// The checksum covers everything before it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringcache::scripting {

std::string dump_libraries(const std::vector<std::string_view>& codes);
// The libraries' code, or nullopt when the payload is not one dump_libraries() wrote.
std::optional<std::vector<std::string>> read_dump(std::string_view payload);

}  // namespace ringcache::scripting
