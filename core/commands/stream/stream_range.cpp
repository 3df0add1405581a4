// XRANGE and XREVRANGE: entries between two IDs ("-" and "+" the ends, "(" an exclusive bound),
// at most COUNT of them.

#include "core/commands/arguments.h"
#include "core/commands/stream/stream_family.h"
#include "core/server/server.h"

namespace ringcache::commands::stream {
namespace {

// One end of an interval: "(" makes it exclusive (then "-" and "+" are refused).
std::optional<StreamId> interval_end(CommandContext& ctx, std::string_view text,
                                     uint64_t missing_seq, bool is_start) {
  const bool exclusive = text.size() > 1 && text[0] == '(';
  if (exclusive) text.remove_prefix(1);
  const auto id = id_or_reply(ctx, text, missing_seq, exclusive);
  if (!id || !exclusive) return id;
  const auto moved = is_start ? id->next() : id->previous();
  if (!moved) {
    ctx.reply.error(is_start ? "ERR invalid start ID for the interval"
                             : "ERR invalid end ID for the interval");
  }
  return moved;
}

void range_generic(CommandContext& ctx, bool reverse) {
  const std::string_view start_text = reverse ? ctx.argv[3] : ctx.argv[2];
  const std::string_view end_text = reverse ? ctx.argv[2] : ctx.argv[3];
  const auto start = interval_end(ctx, start_text, 0, true);
  if (!start) return;
  const auto end = interval_end(ctx, end_text, UINT64_MAX, false);
  if (!end) return;
  int64_t count = -1;
  for (size_t i = 4; i < ctx.argv.size(); ++i) {
    if (option_is(ctx.argv[i], "COUNT") && i + 1 < ctx.argv.size()) {
      const auto value = int64_or_reply(ctx, ctx.argv[++i]);
      if (!value) return;
      count = *value < 0 ? 0 : *value;
    } else {
      return ctx.reply.error(errors::syntax);
    }
  }
  const Lookup lookup = find_read(ctx, ctx.argv[1]);
  if (!lookup.ok) return;
  if (lookup.value == nullptr) return ctx.reply.empty_array();
  if (count == 0) return ctx.reply.null_array();
  std::vector<std::pair<StreamId, std::vector<std::string_view>>> found;
  lookup.value->state().log.range(
      *start, *end, reverse, [&](StreamId id, std::span<const std::string_view> items) {
        found.emplace_back(id, std::vector<std::string_view>(items.begin(), items.end()));
        return count < 0 || static_cast<int64_t>(found.size()) < count;
      });
  ctx.reply.array(found.size());
  for (const auto& [id, items] : found) reply_entry(ctx, id, items);
}

}  // namespace

// XRANGE key start end [COUNT count]
void xrange_command(CommandContext& ctx) { range_generic(ctx, false); }
// XREVRANGE key end start [COUNT count]
void xrevrange_command(CommandContext& ctx) { range_generic(ctx, true); }

}  // namespace ringcache::commands::stream
