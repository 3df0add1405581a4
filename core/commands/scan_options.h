#pragma once
// What SCAN and the element scans (HSCAN, SSCAN, ZSCAN) share: the MATCH/COUNT(/TYPE) options
// with Redis 7.0's rules and errors, and the gather-then-filter loop of Redis'
// scanGenericCommand. A family's scan command is:
//
//   auto scan = begin_collection_scan(ctx, store::ValueType::zset);
//   if (!scan) return;                                   // replied (error or empty page)
//   const auto& zset = ...scan->entry->collection()...;
//   reply_collection_scan(ctx, *scan, 2, [&](uint64_t cursor, std::vector<std::string>& out) {
//     return zset.scan(cursor, ...push member, score...);  // next cursor, 0 when done
//   });

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/command.h"
#include "core/store/entry.h"

namespace ringcache::commands {

struct ScanOptions {
  int64_t count = 10;
  std::optional<std::string_view> pattern;  // absent: everything ("*" is dropped as Redis does)
  std::optional<std::string_view> type;     // SCAN only
};

// "*" selects everything, so Redis skips matching for it (and so matches the empty key too).
bool pattern_matches_all(std::string_view pattern);

// MATCH/COUNT (and TYPE when `allow_type`), each with a value, from argv[first] on; nullopt after
// replying the error (Redis' "ERR syntax error" for everything but an unparsable COUNT).
std::optional<ScanOptions> parse_scan_options(CommandContext& ctx, size_t first, bool allow_type);

// Whether `element` passes MATCH.
bool scan_pattern_selects(const ScanOptions& options, std::string_view element);

struct CollectionScan {
  store::Entry* entry;
  uint64_t cursor;
  ScanOptions options;
};

// The front of HSCAN/SSCAN/ZSCAN key cursor [MATCH p] [COUNT n], in Redis' order: the cursor
// ("ERR invalid cursor"), then the key (absent: an empty page with cursor 0; another type:
// WRONGTYPE), then the options. nullopt after replying.
std::optional<CollectionScan> begin_collection_scan(CommandContext& ctx, store::ValueType type);

// Appends the elements of one step at `cursor` to `out` and returns the next cursor (0: done).
using ScanStep = std::function<uint64_t(uint64_t cursor, std::vector<std::string>& out)>;

// Steps until about COUNT elements are gathered (at most COUNT*10 steps), filters them by MATCH
// (`width` elements per record: 2 for field/value or member/score, the first one matched) and
// replies [next cursor, elements].
void reply_collection_scan(CommandContext& ctx, const CollectionScan& scan, size_t width,
                           const ScanStep& step);

}  // namespace ringcache::commands
