#pragma once
// The compact blobs older RDB payloads carry and Redis 7.0 still loads: the ziplist (lists,
// hashes and sorted sets before 7.0, quicklist nodes before 7.0), the zipmap (hashes before 2.6)
// and the intset (sets of integers, still current). Each reader checks the whole structure and
// calls `visit` with the elements in order (integers as decimal text); it returns false when the
// bytes are damaged or `visit` returned false.

#include <functional>
#include <string_view>

namespace ringcache::persistence {

using VisitElement = std::function<bool(std::string_view element)>;

// zlbytes (4) zltail (4) zllen (2), entries (prevlen, encoding, data), 0xFF.
bool ziplist_for_each(std::string_view ziplist, const VisitElement& visit);
// zmlen (1), then key length, key, value length, free count, value, free bytes ..., 0xFF:
// visits key, value, key, value ...
bool zipmap_for_each(std::string_view zipmap, const VisitElement& visit);
// encoding (4: bytes per integer, 2/4/8), length (4), integers little-endian in ascending order.
bool intset_for_each(std::string_view intset, const VisitElement& visit);

}  // namespace ringcache::persistence
