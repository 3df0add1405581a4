#pragma once
// What an allocation really costs, so used_memory() counts bytes the allocator hands out rather
// than bytes we asked for.
//
// The model is glibc malloc on 64-bit Linux, the allocator the node links: a small request of n
// bytes takes a chunk of max(32, round_up(n + 8, 16)) bytes (8 bytes of chunk header, 16-byte
// alignment); requests at or above the mmap threshold (128 KiB by default) are mapped whole pages
// plus a 16-byte header. The store sizes its entries so the usable part of a chunk is not wasted.

#include <cstddef>

namespace ringcache::store {

inline constexpr size_t malloc_mmap_threshold_bytes = 128 * 1024;
inline constexpr size_t malloc_page_bytes = 4096;
// A std::map/std::set node's own bytes before its value: libstdc++'s red-black links and colour.
inline constexpr size_t tree_node_header_bytes = 32;

// Bytes the allocator consumes for a request of `request` bytes.
constexpr size_t malloc_chunk_bytes(size_t request) {
  if (request >= malloc_mmap_threshold_bytes) {
    return (request + 16 + malloc_page_bytes - 1) / malloc_page_bytes * malloc_page_bytes;
  }
  const size_t chunk = (request + 8 + 15) & ~static_cast<size_t>(15);
  return chunk < 32 ? 32 : chunk;
}

// Bytes of a small chunk the caller may use (chunk minus its header).
constexpr size_t malloc_usable_bytes(size_t request) {
  return request >= malloc_mmap_threshold_bytes ? malloc_chunk_bytes(request) - 16
                                                : malloc_chunk_bytes(request) - 8;
}

// The request the store actually makes for `request` bytes: the whole usable part of the chunk,
// so a value may later grow in place up to it (legally: we asked for those bytes). Requests
// whose usable part would cross the mmap threshold stay as they are.
constexpr size_t malloc_request_bytes(size_t request) {
  const size_t usable = malloc_usable_bytes(request);
  const bool crosses = request < malloc_mmap_threshold_bytes && usable >= malloc_mmap_threshold_bytes;
  return crosses ? request : usable;
}

static_assert(malloc_chunk_bytes(1) == 32);
static_assert(malloc_request_bytes(52) == 56 && malloc_chunk_bytes(56) == 64);
static_assert(malloc_chunk_bytes(malloc_request_bytes(200 * 1024)) == malloc_chunk_bytes(200 * 1024));
static_assert(malloc_chunk_bytes(24) == 32);
static_assert(malloc_chunk_bytes(25) == 48);
static_assert(malloc_chunk_bytes(56) == 64);
static_assert(malloc_chunk_bytes(57) == 80);

}  // namespace ringcache::store
