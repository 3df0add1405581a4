#include "core/commands/geo/geohash.h"

#include <algorithm>
#include <cmath>

#include "core/protocol/ascii.h"

namespace ringcache::commands::geo {
namespace {

struct Range {
  double min;
  double max;
};
constexpr Range longitudes{longitude_min, longitude_max};
constexpr Range latitudes{latitude_min, latitude_max};

// Spreads the 32 bits of `x` over the even bits of the result.
uint64_t spread(uint32_t x) {
  uint64_t v = x;
  v = (v | (v << 16)) & 0x0000FFFF0000FFFFULL;
  v = (v | (v << 8)) & 0x00FF00FF00FF00FFULL;
  v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FULL;
  v = (v | (v << 2)) & 0x3333333333333333ULL;
  v = (v | (v << 1)) & 0x5555555555555555ULL;
  return v;
}

// The even bits of `v`, packed.
uint32_t squash(uint64_t v) {
  v &= 0x5555555555555555ULL;
  v = (v | (v >> 1)) & 0x3333333333333333ULL;
  v = (v | (v >> 2)) & 0x0F0F0F0F0F0F0F0FULL;
  v = (v | (v >> 4)) & 0x00FF00FF00FF00FFULL;
  v = (v | (v >> 8)) & 0x0000FFFF0000FFFFULL;
  v = (v | (v >> 16)) & 0x00000000FFFFFFFFULL;
  return static_cast<uint32_t>(v);
}

uint64_t encode_in(Range lon, Range lat, const Position& p) {
  double lat_offset = (p.latitude - lat.min) / (lat.max - lat.min);
  double lon_offset = (p.longitude - lon.min) / (lon.max - lon.min);
  lat_offset *= static_cast<double>(1ULL << step_max);
  lon_offset *= static_cast<double>(1ULL << step_max);
  return spread(static_cast<uint32_t>(lat_offset)) |
         (spread(static_cast<uint32_t>(lon_offset)) << 1);
}

double deg_rad(double degrees) { return degrees * (M_PI / 180.0); }

}  // namespace

bool in_range(const Position& p) {
  return p.longitude >= longitude_min && p.longitude <= longitude_max &&
         p.latitude >= latitude_min && p.latitude <= latitude_max;
}

uint64_t encode(const Position& position) { return encode_in(longitudes, latitudes, position); }

Position decode(uint64_t bits) {
  const uint32_t lat_cell = squash(bits);
  const uint32_t lon_cell = squash(bits >> 1);
  const double cells = static_cast<double>(1ULL << step_max);
  const double lat_scale = latitudes.max - latitudes.min;
  const double lon_scale = longitudes.max - longitudes.min;
  const double lat_lo = latitudes.min + (lat_cell * 1.0 / cells) * lat_scale;
  const double lat_hi = latitudes.min + ((lat_cell + 1) * 1.0 / cells) * lat_scale;
  const double lon_lo = longitudes.min + (lon_cell * 1.0 / cells) * lon_scale;
  const double lon_hi = longitudes.min + ((lon_cell + 1) * 1.0 / cells) * lon_scale;
  Position p;
  p.longitude = std::clamp((lon_lo + lon_hi) / 2, longitude_min, longitude_max);
  p.latitude = std::clamp((lat_lo + lat_hi) / 2, latitude_min, latitude_max);
  return p;
}

std::string standard_geohash(uint64_t bits) {
  static constexpr char alphabet[] = "0123456789bcdefghjkmnpqrstuvwxyz";
  const uint64_t standard = encode_in({-180, 180}, {-90, 90}, decode(bits));
  std::string out(11, '0');
  // 52 bits make ten characters; the eleventh is always '0', as Redis answers.
  for (int i = 0; i < 10; ++i) out[i] = alphabet[(standard >> (52 - (i + 1) * 5)) & 0x1f];
  return out;
}

double distance_m(const Position& a, const Position& b) {
  const double v = std::sin((deg_rad(b.longitude) - deg_rad(a.longitude)) / 2);
  // Same longitude: the distance along the meridian, as Redis computes it then.
  if (v == 0.0) return earth_radius_m * std::fabs(deg_rad(b.latitude) - deg_rad(a.latitude));
  const double lat1 = deg_rad(a.latitude);
  const double lat2 = deg_rad(b.latitude);
  const double u = std::sin((lat2 - lat1) / 2);
  const double h = u * u + std::cos(lat1) * std::cos(lat2) * v * v;
  return 2.0 * earth_radius_m * std::asin(std::sqrt(h));
}

std::optional<double> unit_meters(std::string_view unit) {
  const auto is = [&](std::string_view name) { return protocol::iequals(unit, name); };
  if (is("m")) return 1.0;
  if (is("km")) return 1000.0;
  if (is("ft")) return 0.3048;
  if (is("mi")) return 1609.34;
  return std::nullopt;
}

}  // namespace ringcache::commands::geo
