#pragma once
// Reads a file in chunks, decompressing gzip or zstd when the file starts with their magic bytes
// (so a compressed trace needs no flag). Errors are values: a message naming the file.

#include <cstdint>
#include <functional>
#include <span>
#include <string>

namespace ringcache::lab {

// Calls `chunk` with successive pieces of the (decompressed) file; returns an error message or "".
std::string read_file_chunks(const std::string& path,
                             const std::function<void(std::span<const uint8_t>)>& chunk);

}  // namespace ringcache::lab
