#include "core/commands/scan_options.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/commands/arguments.h"
#include "core/constants.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"
#include "core/util/glob.h"

namespace ringcache::commands {
namespace {

std::nullopt_t reply_syntax_error(CommandContext& ctx) {
  ctx.reply.error(errors::syntax);
  return std::nullopt;
}

}  // namespace

bool pattern_matches_all(std::string_view pattern) { return pattern == "*"; }

std::optional<ScanOptions> parse_scan_options(CommandContext& ctx, size_t first, bool allow_type) {
  ScanOptions options;
  for (size_t i = first; i < ctx.argv.size(); i += 2) {
    const std::string_view arg = ctx.argv[i];
    if (i + 1 == ctx.argv.size()) return reply_syntax_error(ctx);
    if (option_is(arg, "COUNT")) {
      const auto count = int64_or_reply(ctx, ctx.argv[i + 1]);
      if (!count) return std::nullopt;
      if (*count < 1) return reply_syntax_error(ctx);
      options.count = *count;
    } else if (option_is(arg, "MATCH")) {
      options.pattern = ctx.argv[i + 1];
      if (pattern_matches_all(*options.pattern)) options.pattern.reset();
    } else if (allow_type && option_is(arg, "TYPE")) {
      options.type = ctx.argv[i + 1];
    } else {
      return reply_syntax_error(ctx);
    }
  }
  return options;
}

bool scan_pattern_selects(const ScanOptions& options, std::string_view element) {
  return !options.pattern || util::glob_match(*options.pattern, element);
}

std::optional<CollectionScan> begin_collection_scan(CommandContext& ctx, store::ValueType type) {
  const auto cursor = parse_cursor(ctx.argv[2]);
  if (!cursor) {
    ctx.reply.error(errors::invalid_cursor);
    return std::nullopt;
  }
  store::Entry* entry = ctx.server.keyspace().find_read(ctx.argv[1]);
  if (entry == nullptr) {
    ctx.reply.array(2);
    ctx.reply.bulk("0");
    ctx.reply.array(0);
    return std::nullopt;
  }
  if (reject_wrong_type(ctx, entry, type)) return std::nullopt;
  auto options = parse_scan_options(ctx, 3, false);
  if (!options) return std::nullopt;
  return CollectionScan{entry, *cursor, *options};
}

void reply_collection_scan(CommandContext& ctx, const CollectionScan& scan, size_t width,
                           const ScanStep& step) {
  const auto count = static_cast<size_t>(std::min(scan.options.count, constants::scan_count_max));
  std::vector<std::string> gathered;
  uint64_t cursor = scan.cursor;
  size_t steps_left = count * 10;
  do {
    cursor = step(cursor, gathered);
  } while (cursor != 0 && --steps_left > 0 && gathered.size() < count);
  size_t kept = 0;
  for (size_t i = 0; i + width <= gathered.size(); i += width) {
    if (!scan_pattern_selects(scan.options, gathered[i])) continue;
    if (kept != i) {
      std::move(gathered.begin() + i, gathered.begin() + i + width, gathered.begin() + kept);
    }
    kept += width;
  }
  ctx.reply.array(2);
  ctx.reply.bulk(fmt::format("{}", cursor));
  ctx.reply.array(kept);
  for (size_t i = 0; i < kept; ++i) ctx.reply.bulk(gathered[i]);
}

}  // namespace ringcache::commands
