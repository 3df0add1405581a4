#pragma once
// LZF decompression, for the compressed strings of RDB payloads (Redis compresses strings longer
// than 20 bytes when that saves space). Written from the format's description: a control byte
// below 32 starts a run of control+1 literal bytes; otherwise its top three bits are a match
// length less 2 (7: add the next byte), its low five bits and the next byte an offset less 1
// back into the output.

#include <optional>
#include <string>
#include <string_view>

namespace ringcache::persistence {

// The `expected_bytes` bytes `compressed` expands to, or nullopt when it is damaged: a run or
// match past the end of the input or of the output, a match reaching before the output's start,
// or an output shorter than expected. Allocates `expected_bytes`, which the caller bounds.
std::optional<std::string> lzf_decompress(std::string_view compressed, size_t expected_bytes);

}  // namespace ringcache::persistence
