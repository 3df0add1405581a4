// The geo family on sorted sets, with Redis 7.0's replies and errors (geo.c): GEOADD stores
// positions as 52-bit geohash scores through ZADD (and propagates as that ZADD, as Redis does);
// GEOPOS, GEODIST and GEOHASH decode them. The encoding is in geohash.h.

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/command.h"
#include "core/commands/encoded_families.h"
#include "core/commands/geo/geo_search.h"
#include "core/commands/geo/geohash.h"
#include "core/commands/spec_builder.h"
#include "core/commands/zset/zset_family.h"
#include "core/server/server.h"

namespace ringcache::commands {
namespace {

using geo::Position;

// A longitude/latitude pair at argv[at], argv[at + 1]; nullopt after Redis' error.
std::optional<Position> position_or_reply(CommandContext& ctx, size_t at) {
  Position p;
  const auto longitude = zset::score_or_reply(ctx, ctx.argv[at], errors::not_float);
  if (!longitude) return std::nullopt;
  const auto latitude = zset::score_or_reply(ctx, ctx.argv[at + 1], errors::not_float);
  if (!latitude) return std::nullopt;
  p.longitude = *longitude;
  p.latitude = *latitude;
  if (!geo::in_range(p)) {
    char text[128];
    std::snprintf(text, sizeof text, "ERR invalid longitude,latitude pair %f,%f", p.longitude,
                  p.latitude);
    ctx.reply.error(text);
    return std::nullopt;
  }
  return p;
}

void geoadd_command(CommandContext& ctx) {
  size_t first = 2;
  bool nx = false;
  bool xx = false;
  for (; first < ctx.argv.size(); ++first) {
    const std::string_view arg = ctx.argv[first];
    if (option_is(arg, "NX")) {
      nx = true;
    } else if (option_is(arg, "XX")) {
      xx = true;
    } else if (!option_is(arg, "CH")) {
      break;
    }
  }
  if ((ctx.argv.size() - first) % 3 != 0 || (nx && xx)) return ctx.reply.error(errors::syntax);
  // The equivalent ZADD: the same key and options, each position turned into its score.
  std::vector<std::string> zadd{"ZADD"};
  for (size_t i = 1; i < first; ++i) zadd.emplace_back(ctx.argv[i]);
  for (size_t i = first; i < ctx.argv.size(); i += 3) {
    const auto position = position_or_reply(ctx, i);
    if (!position) return;
    zadd.push_back(std::to_string(geo::encode(*position)));
    zadd.emplace_back(ctx.argv[i + 2]);
  }
  const std::vector<std::string_view> views(zadd.begin(), zadd.end());
  CommandContext as_zadd{ctx.server, ctx.client, views, ctx.reply};
  const uint64_t dirty_before = ctx.server.dirty();
  zset::zadd_command(as_zadd);
  if (ctx.server.dirty() != dirty_before) ctx.server.propagation().replace_with(views);
}

// The decoded position of each member in argv[2..], nullopt for a missing one; nullopt overall
// after WRONGTYPE.
std::optional<std::vector<std::optional<Position>>> positions(CommandContext& ctx, size_t first,
                                                              size_t end) {
  const zset::Lookup lookup = zset::find_read(ctx, ctx.argv[1]);
  if (!lookup.ok) return std::nullopt;
  std::vector<std::optional<Position>> out;
  for (size_t i = first; i < end; ++i) {
    const auto score = lookup.value == nullptr ? std::nullopt : lookup.value->score(ctx.argv[i]);
    out.push_back(score ? std::optional(geo::decode(static_cast<uint64_t>(*score)))
                        : std::nullopt);
  }
  return out;
}

// Coordinates in INCRBYFLOAT's human form (%.17Lf, trimmed), even as a RESP3 double.
void reply_coordinate(CommandContext& ctx, double value) {
  const std::string text = format_long_double_human(value);
  if (ctx.client.resp_version >= 3) {
    ctx.reply.raw("," + text + "\r\n");
  } else {
    ctx.reply.bulk(text);
  }
}

void geopos_command(CommandContext& ctx) {
  const auto found = positions(ctx, 2, ctx.argv.size());
  if (!found) return;
  ctx.reply.array(found->size());
  for (const auto& position : *found) {
    if (!position) {
      ctx.reply.null_array();
      continue;
    }
    ctx.reply.array(2);
    reply_coordinate(ctx, position->longitude);
    reply_coordinate(ctx, position->latitude);
  }
}

// Distances are replied with four decimals, as a bulk string in both protocols.
void reply_distance(CommandContext& ctx, double distance) {
  char text[128];
  const int length = std::snprintf(text, sizeof text, "%.4f", distance);
  ctx.reply.bulk(std::string_view(text, static_cast<size_t>(length)));
}

void geodist_command(CommandContext& ctx) {
  double to_meters = 1;
  if (ctx.argv.size() == 5) {
    const auto unit = geo::unit_meters(ctx.argv[4]);
    if (!unit) return ctx.reply.error("ERR unsupported unit provided. please use M, KM, FT, MI");
    to_meters = *unit;
  } else if (ctx.argv.size() > 5) {
    return ctx.reply.error(errors::syntax);
  }
  const auto found = positions(ctx, 2, 4);
  if (!found) return;
  if (!(*found)[0] || !(*found)[1]) return ctx.reply.null();
  reply_distance(ctx, geo::distance_m(*(*found)[0], *(*found)[1]) / to_meters);
}

void geohash_command(CommandContext& ctx) {
  const zset::Lookup lookup = zset::find_read(ctx, ctx.argv[1]);
  if (!lookup.ok) return;
  ctx.reply.array(ctx.argv.size() - 2);
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    const auto score = lookup.value == nullptr ? std::nullopt : lookup.value->score(ctx.argv[i]);
    if (!score) {
      ctx.reply.null();
    } else {
      ctx.reply.bulk(geo::standard_geohash(static_cast<uint64_t>(*score)));
    }
  }
}

CommandSpec movable(CommandSpec spec, KeyFinder finder) {
  spec.flags |= flag_movablekeys;
  spec.key_finder = finder;
  return spec;
}

CommandSpec geo_spec(std::string name, int arity, uint32_t flags, KeyRange keys, Handler handler,
                     std::string summary, std::string since) {
  return SpecBuilder::family("geo", data_acl("@geo"), keys)
      .command(name, arity, handler)
      .flags(flags)
      .doc(summary, since);
}

}  // namespace

void register_geo_commands(CommandTable& table) {
  using namespace geo;  // NOLINT: the search handlers
  constexpr KeyRange store_then_source{1, 2, 1};
  const CommandSpec specs[] = {
      movable(geo_spec("georadius", -6, write_oom, one_key, georadius_command,
                       "Query a sorted set representing a geospatial index to fetch members "
                       "matching a given maximum distance from a point",
                       "3.2.0"),
              georadius_keys),
      geo_spec("georadius_ro", -6, flag_readonly, one_key, georadius_ro_command,
               "A read-only variant for GEORADIUS", "3.2.10"),
      movable(geo_spec("georadiusbymember", -5, write_oom, one_key, georadiusbymember_command,
                       "Query a sorted set representing a geospatial index to fetch members "
                       "matching a given maximum distance from a member",
                       "3.2.0"),
              georadiusbymember_keys),
      geo_spec("georadiusbymember_ro", -5, flag_readonly, one_key, georadiusbymember_ro_command,
               "A read-only variant for GEORADIUSBYMEMBER", "3.2.10"),
      geo_spec("geosearch", -7, flag_readonly, one_key, geosearch_command,
               "Query a sorted set representing a geospatial index to fetch members inside an "
               "area of a box or a circle.",
               "6.2.0"),
      geo_spec("geosearchstore", -8, write_oom, store_then_source, geosearchstore_command,
               "Query a sorted set representing a geospatial index to fetch members inside an "
               "area of a box or a circle, and store the result in another key.",
               "6.2.0"),
      geo_spec("geoadd", -5, write_oom, one_key, geoadd_command,
               "Add one or more geospatial items in the geospatial index represented using a "
               "sorted set",
               "3.2.0"),
      geo_spec("geopos", -2, flag_readonly, one_key, geopos_command,
               "Returns longitude and latitude of members of a geospatial index", "3.2.0"),
      geo_spec("geodist", -4, flag_readonly, one_key, geodist_command,
               "Returns the distance between two members of a geospatial index", "3.2.0"),
      geo_spec("geohash", -2, flag_readonly, one_key, geohash_command,
               "Returns members of a geospatial index as standard geohash strings", "3.2.0"),
  };
  for (const auto& spec : specs) table.add(spec);
}

}  // namespace ringcache::commands
