#pragma once
// Redis' geo positions: a longitude/latitude pair as a 52-bit interleaved geohash (26 bits each,
// latitude in the even bits), stored as the score of a sorted-set member; decoding gives the
// centre of the hash's cell. Distances are haversine on Redis' Earth radius. The same
// coordinates give the same score and the same replies as redis-server. Pure functions.

#include <cstdint>
#include <optional>
#include <string>

namespace ringcache::commands::geo {

inline constexpr double longitude_min = -180;
inline constexpr double longitude_max = 180;
// Web Mercator's limits, as Redis (EPSG:900913).
inline constexpr double latitude_min = -85.05112878;
inline constexpr double latitude_max = 85.05112878;
inline constexpr int step_max = 26;  // bits per coordinate
inline constexpr double earth_radius_m = 6372797.560856;

struct Position {
  double longitude = 0;
  double latitude = 0;
};

bool in_range(const Position& position);
// The 52-bit score of a position (within range).
uint64_t encode(const Position& position);
// The centre of the cell a score names.
Position decode(uint64_t bits);
// The standard 11-character base32 geohash (latitude range +-90) of a stored score.
std::string standard_geohash(uint64_t bits);
// Great-circle distance in meters.
double distance_m(const Position& a, const Position& b);
// Meters per unit ("m", "km", "ft", "mi", any case), or nullopt.
std::optional<double> unit_meters(std::string_view unit);

}  // namespace ringcache::commands::geo
