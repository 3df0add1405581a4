#pragma once
// Redis' listpack, the blob inside RDB payloads of small hashes and sorted sets, list nodes and
// stream nodes: a 4-byte total size and a 2-byte element count (65535: count unknown), the
// elements, then 0xFF. Each element is its encoding (a 7/13/16/24/32/64-bit integer, or a
// string with a 6/12/32-bit length) followed by its "backlen", the encoding's size in 1-5 bytes
// of seven bits, readable from the end so the list can be walked backwards.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace ringcache::persistence {

// Builds a listpack element by element, encoding each as Redis' lpAppend does (an element that
// reads as an int64 in at most 20 characters becomes the smallest integer encoding).
class ListpackBuilder {
 public:
  ListpackBuilder();
  void append(std::string_view element);
  size_t size() const { return count_; }
  // Bytes of the listpack so far, header and terminator included.
  size_t bytes() const { return body_.size() + 1; }
  // The finished listpack; the builder is left empty.
  std::string finish();

 private:
  std::string body_;  // header placeholder, then the elements
  size_t count_ = 0;
};

// Calls `visit` with each element of `listpack` in order (integers as their decimal text) after
// checking the whole structure: the header's size and count, every encoding and backlen, the
// terminator. Returns false when the bytes are not a valid listpack or `visit` returned false.
bool listpack_for_each(std::string_view listpack,
                       const std::function<bool(std::string_view element)>& visit);

}  // namespace ringcache::persistence
