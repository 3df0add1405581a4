// GEOSEARCH, GEOSEARCHSTORE, GEORADIUS and GEORADIUSBYMEMBER (and the _RO forms): one search with
// Redis 7.0's argument rules and error words (geo.c's georadiusGeneric). Members are tested with
// Redis' own distance checks, so the same members match; every member of the set is a candidate
// (Redis visits the nine geohash cells around the centre), so unsorted replies list the matches
// in score order.

#include "core/commands/geo/geo_search.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>

#include "core/commands/arguments.h"
#include "core/commands/geo/geohash.h"
#include "core/commands/zset/zset_family.h"
#include "core/server/server.h"

namespace ringcache::commands::geo {
namespace {

enum class Variant { radius, radius_ro, by_member, by_member_ro, search, search_store };

struct Shape {
  Position centre;
  bool box = false;
  double radius = 0;  // in units
  double width = 0;
  double height = 0;
  double to_meters = 1;
};

struct Search {
  Shape shape;
  bool with_dist = false;
  bool with_hash = false;
  bool with_coord = false;
  bool any = false;
  int sort = 0;  // 0 none, 1 ascending, -1 descending
  int64_t count = 0;
  std::optional<std::string_view> store_key;
  bool store_dist = false;
  bool from_member = false;
  bool from_lonlat = false;
  bool by_radius = false;
  bool by_box = false;
};

struct Match {
  std::string_view member;
  double score = 0;
  double distance_m = 0;
  Position position;
};

// A "value unit" pair as Redis' extractDistanceOrReply reads it.
bool unit_or_reply(CommandContext& ctx, std::string_view arg, double& to_meters) {
  const auto unit = unit_meters(arg);
  if (!unit) {
    ctx.reply.error("ERR unsupported unit provided. please use M, KM, FT, MI");
    return false;
  }
  to_meters = *unit;
  return true;
}

bool number_or_reply(CommandContext& ctx, std::string_view arg, std::string_view error,
                     double& out) {
  const auto value = zset::parse_score(arg);
  if (!value) {
    ctx.reply.error(std::string("ERR ") + std::string(error));
    return false;
  }
  out = *value;
  return true;
}

bool radius_or_reply(CommandContext& ctx, size_t at, Shape& shape) {
  if (!number_or_reply(ctx, ctx.argv[at], "need numeric radius", shape.radius)) return false;
  if (shape.radius < 0) {
    ctx.reply.error("ERR radius cannot be negative");
    return false;
  }
  shape.box = false;
  return unit_or_reply(ctx, ctx.argv[at + 1], shape.to_meters);
}

bool box_or_reply(CommandContext& ctx, size_t at, Shape& shape) {
  if (!number_or_reply(ctx, ctx.argv[at], "need numeric width", shape.width) ||
      !number_or_reply(ctx, ctx.argv[at + 1], "need numeric height", shape.height)) {
    return false;
  }
  if (shape.width < 0 || shape.height < 0) {
    ctx.reply.error("ERR height or width cannot be negative");
    return false;
  }
  shape.box = true;
  return unit_or_reply(ctx, ctx.argv[at + 2], shape.to_meters);
}

bool lonlat_or_reply(CommandContext& ctx, size_t at, Position& out) {
  double lon = 0;
  double lat = 0;
  if (!number_or_reply(ctx, ctx.argv[at], "value is not a valid float", lon) ||
      !number_or_reply(ctx, ctx.argv[at + 1], "value is not a valid float", lat)) {
    return false;
  }
  out = {lon, lat};
  if (in_range(out)) return true;
  char text[128];
  std::snprintf(text, sizeof text, "ERR invalid longitude,latitude pair %f,%f", lon, lat);
  ctx.reply.error(text);
  return false;
}

bool member_position_or_reply(CommandContext& ctx, const store::ZsetValue& set,
                              std::string_view member, Position& out) {
  const auto score = set.score(member);
  if (!score) {
    ctx.reply.error("ERR could not decode requested zset member");
    return false;
  }
  out = decode(static_cast<uint64_t>(*score));
  return true;
}

bool is_store_variant(Variant v) { return v == Variant::radius || v == Variant::by_member; }
bool is_search(Variant v) { return v == Variant::search || v == Variant::search_store; }

// One option at argv[i] (advancing i past its arguments); false after replying an error.
bool parse_option(CommandContext& ctx, Variant variant, const store::ZsetValue* set, size_t& i,
                  Search& s) {
  const std::string_view arg = ctx.argv[i];
  const size_t left = ctx.argv.size() - i - 1;
  if (option_is(arg, "WITHDIST")) return s.with_dist = true;
  if (option_is(arg, "WITHHASH")) return s.with_hash = true;
  if (option_is(arg, "WITHCOORD")) return s.with_coord = true;
  if (option_is(arg, "ANY")) return s.any = true;
  if (option_is(arg, "ASC")) return (s.sort = 1);
  if (option_is(arg, "DESC")) return (s.sort = -1) != 0;
  if (option_is(arg, "COUNT") && left >= 1) {
    const auto count = int64_or_reply(ctx, ctx.argv[++i]);
    if (!count) return false;
    if (*count <= 0) {
      ctx.reply.error("ERR COUNT must be > 0");
      return false;
    }
    s.count = *count;
    return true;
  }
  const bool store_word = option_is(arg, "STORE") || option_is(arg, "STOREDIST");
  if (store_word && left >= 1 && is_store_variant(variant)) {
    s.store_dist = option_is(arg, "STOREDIST");
    s.store_key = ctx.argv[++i];
    return true;
  }
  if (option_is(arg, "STOREDIST") && variant == Variant::search_store) return s.store_dist = true;
  if (option_is(arg, "FROMMEMBER") && left >= 1 && is_search(variant) && !s.from_lonlat) {
    ++i;
    s.from_member = true;
    return set == nullptr || member_position_or_reply(ctx, *set, ctx.argv[i], s.shape.centre);
  }
  if (option_is(arg, "FROMLONLAT") && left >= 2 && is_search(variant) && !s.from_member) {
    s.from_lonlat = true;
    i += 2;
    return lonlat_or_reply(ctx, i - 1, s.shape.centre);
  }
  if (option_is(arg, "BYRADIUS") && left >= 2 && is_search(variant) && !s.by_box) {
    s.by_radius = true;
    i += 2;
    return radius_or_reply(ctx, i - 1, s.shape);
  }
  if (option_is(arg, "BYBOX") && left >= 3 && is_search(variant) && !s.by_radius) {
    s.by_box = true;
    i += 3;
    return box_or_reply(ctx, i - 2, s.shape);
  }
  ctx.reply.error(errors::syntax);
  return false;
}

// The checks after the options, in Redis' order.
bool consistent_or_reply(CommandContext& ctx, Variant variant, const Search& s) {
  if (s.store_key && (s.with_dist || s.with_hash || s.with_coord)) {
    ctx.reply.error(std::string("ERR ") +
                    (variant == Variant::search_store ? "GEOSEARCHSTORE"
                                                      : "STORE option in GEORADIUS") +
                    " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
    return false;
  }
  if (is_search(variant) && !(s.from_member || s.from_lonlat)) {
    ctx.reply.error("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " +
                    std::string(ctx.argv[0]));
    return false;
  }
  if (is_search(variant) && !(s.by_radius || s.by_box)) {
    ctx.reply.error("ERR exactly one of BYRADIUS and BYBOX can be specified for " +
                    std::string(ctx.argv[0]));
    return false;
  }
  if (s.any && s.count == 0) {
    ctx.reply.error("ERR the ANY argument requires COUNT argument");
    return false;
  }
  return true;
}

// Redis' geoWithinShape: the distance to the centre when `p` is inside the shape.
std::optional<double> within(const Shape& shape, const Position& p) {
  const Position& c = shape.centre;
  if (!shape.box) {
    const double d = distance_m(c, p);
    if (d > shape.radius * shape.to_meters) return std::nullopt;
    return d;
  }
  const double lon_distance = distance_m({p.longitude, p.latitude}, {c.longitude, p.latitude});
  const double lat_distance = distance_m({p.longitude, p.latitude}, {p.longitude, c.latitude});
  if (lon_distance > shape.width * shape.to_meters / 2 ||
      lat_distance > shape.height * shape.to_meters / 2) {
    return std::nullopt;
  }
  return distance_m(c, p);
}

std::vector<Match> matches(const store::ZsetValue& set, const Search& s) {
  std::vector<Match> out;
  const size_t limit = s.any ? static_cast<size_t>(s.count) : SIZE_MAX;
  set.visit(0, set.size(), false, [&](std::string_view member, double score) {
    if (out.size() >= limit) return;
    const Position p = decode(static_cast<uint64_t>(score));
    if (const auto d = within(s.shape, p)) out.push_back({member, score, *d, p});
  });
  if (s.sort != 0) {
    std::stable_sort(out.begin(), out.end(), [&](const Match& a, const Match& b) {
      return s.sort > 0 ? a.distance_m < b.distance_m : a.distance_m > b.distance_m;
    });
  }
  if (s.count > 0 && out.size() > static_cast<size_t>(s.count)) out.resize(s.count);
  return out;
}

void reply_human(CommandContext& ctx, double value) {
  const std::string text = format_long_double_human(value);
  if (ctx.client.resp_version >= 3) {
    ctx.reply.raw("," + text + "\r\n");
  } else {
    ctx.reply.bulk(text);
  }
}

void reply_distance(CommandContext& ctx, double distance) {
  char text[128];
  const int length = std::snprintf(text, sizeof text, "%.4f", distance);
  ctx.reply.bulk(std::string_view(text, static_cast<size_t>(length)));
}

void reply_matches(CommandContext& ctx, const Search& s, const std::vector<Match>& found) {
  const size_t extras = size_t{s.with_dist} + s.with_hash + s.with_coord;
  ctx.reply.array(found.size());
  for (const auto& m : found) {
    if (extras > 0) ctx.reply.array(extras + 1);
    ctx.reply.bulk(m.member);
    if (s.with_dist) reply_distance(ctx, m.distance_m / s.shape.to_meters);
    if (s.with_hash) ctx.reply.integer(static_cast<int64_t>(m.score));
    if (s.with_coord) {
      ctx.reply.array(2);
      reply_human(ctx, m.position.longitude);
      reply_human(ctx, m.position.latitude);
    }
  }
}

void store_matches(CommandContext& ctx, Variant variant, const Search& s,
                   const std::vector<Match>& found) {
  std::vector<zset::Member> members;
  for (const auto& m : found) {
    members.push_back({std::string(m.member),
                       s.store_dist ? m.distance_m / s.shape.to_meters : m.score});
  }
  zset::store_result(ctx, *s.store_key, members,
                     is_search(variant) ? "geosearchstore" : "georadiusstore");
}

// The fixed arguments before the options; false after an error.
bool parse_base(CommandContext& ctx, Variant variant, const store::ZsetValue* set, Search& s,
                size_t& first_option) {
  switch (variant) {
    case Variant::radius:
    case Variant::radius_ro:
      first_option = 6;
      return lonlat_or_reply(ctx, 2, s.shape.centre) && radius_or_reply(ctx, 4, s.shape);
    case Variant::by_member:
    case Variant::by_member_ro:
      first_option = 5;
      if (set == nullptr) return true;
      return member_position_or_reply(ctx, *set, ctx.argv[2], s.shape.centre) &&
             radius_or_reply(ctx, 3, s.shape);
    case Variant::search:
      first_option = 2;
      return true;
    case Variant::search_store:
      first_option = 3;
      s.store_key = ctx.argv[1];
      return true;
  }
  return false;
}

void search_generic(CommandContext& ctx, Variant variant) {
  const size_t source_at = variant == Variant::search_store ? 2 : 1;
  const zset::Lookup lookup = zset::find_read(ctx, ctx.argv[source_at]);
  if (!lookup.ok) return;
  Search s;
  size_t i = 0;
  if (!parse_base(ctx, variant, lookup.value, s, i)) return;
  for (; i < ctx.argv.size(); ++i) {
    if (!parse_option(ctx, variant, lookup.value, i, s)) return;
  }
  if (!consistent_or_reply(ctx, variant, s)) return;
  if (s.count != 0 && s.sort == 0 && !s.any) s.sort = 1;  // the nearest N, as Redis
  std::vector<Match> found;
  if (lookup.value != nullptr) found = matches(*lookup.value, s);
  if (s.store_key) return store_matches(ctx, variant, s, found);
  reply_matches(ctx, s, found);
}

std::vector<int> radius_keys(std::span<const std::string_view> argv, size_t first_option) {
  std::vector<int> keys{1};
  for (size_t i = first_option; i + 1 < argv.size(); ++i) {
    if (option_is(argv[i], "STORE") || option_is(argv[i], "STOREDIST")) {
      keys.push_back(static_cast<int>(i + 1));
      ++i;
    }
  }
  return keys;
}

}  // namespace

void georadius_command(CommandContext& ctx) { search_generic(ctx, Variant::radius); }
void georadius_ro_command(CommandContext& ctx) { search_generic(ctx, Variant::radius_ro); }
void georadiusbymember_command(CommandContext& ctx) { search_generic(ctx, Variant::by_member); }
void georadiusbymember_ro_command(CommandContext& ctx) {
  search_generic(ctx, Variant::by_member_ro);
}
void geosearch_command(CommandContext& ctx) { search_generic(ctx, Variant::search); }
void geosearchstore_command(CommandContext& ctx) { search_generic(ctx, Variant::search_store); }

std::vector<int> georadius_keys(std::span<const std::string_view> argv) {
  return radius_keys(argv, 6);
}
std::vector<int> georadiusbymember_keys(std::span<const std::string_view> argv) {
  return radius_keys(argv, 5);
}

}  // namespace ringcache::commands::geo
