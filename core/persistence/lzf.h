#pragma once
// LZF, for the compressed strings of RDB payloads (Redis compresses strings longer than 20 bytes
// when that saves at least 4 bytes). Written from the format's description: a control byte
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
// `data` compressed, or nullopt when that would take more than `max_bytes`. Greedy, with the last
// position of each 3-byte sequence remembered in a small table: any valid LZF stream will do,
// since readers only need to expand it.
std::optional<std::string> lzf_compress(std::string_view data, size_t max_bytes);

}  // namespace ringcache::persistence
