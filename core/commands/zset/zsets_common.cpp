// Helpers shared by the sorted set command files (zset_family.h).

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "core/commands/arguments.h"
#include "core/commands/zset/zset_family.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands::zset {
namespace {

Lookup checked(CommandContext& ctx, store::Entry* entry) {
  Lookup lookup;
  if (reject_wrong_type(ctx, entry, store::ValueType::zset)) {
    lookup.ok = false;
    return lookup;
  }
  lookup.entry = entry;
  if (entry != nullptr) lookup.value = static_cast<store::ZsetValue*>(entry->collection());
  return lookup;
}

// strtod over a NUL-terminated copy, as Redis runs it over an sds: an embedded NUL ends the
// number there, and what follows it is never looked at. `end_ok` says whether parsing stopped at
// a terminator.
double strtod_copy(std::string_view text, bool* end_ok, bool* range_error) {
  const std::string buffer(text);
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(buffer.c_str(), &end);
  *end_ok = *end == '\0';
  *range_error = errno == ERANGE;
  return value;
}

bool is_c_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// One end of a score range: Redis' zslParseRange reads the text after an optional "(" with
// strtod, refusing NaN and trailing characters (an empty number reads as 0, as there).
std::optional<double> parse_range_end(std::string_view text, bool* exclusive) {
  *exclusive = !text.empty() && text[0] == '(';
  if (*exclusive) text.remove_prefix(1);
  bool end_ok = false;
  bool range_error = false;
  const double value = strtod_copy(text, &end_ok, &range_error);
  if (!end_ok || std::isnan(value)) return std::nullopt;
  return value;
}

std::optional<LexBound> parse_lex_bound(std::string_view text) {
  if (text == "+") return LexBound{LexBound::Kind::plus, {}};
  if (text == "-") return LexBound{LexBound::Kind::minus, {}};
  if (text.empty()) return std::nullopt;
  if (text[0] == '[') return LexBound{LexBound::Kind::inclusive, text.substr(1)};
  if (text[0] == '(') return LexBound{LexBound::Kind::exclusive, text.substr(1)};
  return std::nullopt;
}

// Members before a lex bound used as the range's start (`as_min`) or as its end.
size_t lex_position(const store::ZsetValue& value, const LexBound& bound, bool as_min) {
  switch (bound.kind) {
    case LexBound::Kind::minus:
      return 0;
    case LexBound::Kind::plus:
      return value.size();
    case LexBound::Kind::inclusive:
      return value.count_member_below(bound.value, !as_min);
    case LexBound::Kind::exclusive:
      return value.count_member_below(bound.value, as_min);
  }
  RING_UNREACHABLE();
}

}  // namespace

Lookup find_read(CommandContext& ctx, std::string_view key) {
  return checked(ctx, ctx.server.keyspace().find_read(key));
}

Lookup find_write(CommandContext& ctx, std::string_view key) {
  return checked(ctx, ctx.server.keyspace().find_write(key));
}

std::unique_ptr<store::ZsetValue> make_value(CommandContext& ctx, bool full) {
  if (!full) return std::make_unique<store::ZsetValue>();
  return std::make_unique<store::ZsetValue>(
      store::ZsetValue::StartFull{ctx.server.runtime().rng().next_u64()});
}

bool written(CommandContext& ctx, const Lookup& lookup, std::string_view key,
             std::string_view event) {
  const bool removed = ctx.server.keyspace().collection_written(lookup.entry);
  ctx.server.key_modified(key);
  ctx.server.notify_keyspace_event(server::event_zset, event, key);
  if (removed) ctx.server.notify_keyspace_event(server::event_generic, "del", key);
  return removed;
}

std::optional<double> parse_score(std::string_view text) {
  if (text.empty() || is_c_space(text[0])) return std::nullopt;
  bool end_ok = false;
  bool range_error = false;
  const double value = strtod_copy(text, &end_ok, &range_error);
  // Redis compares the parsed length with the sds length: an embedded NUL is refused here.
  if (!end_ok || text.find('\0') != std::string_view::npos || std::isnan(value)) {
    return std::nullopt;
  }
  if (range_error && (std::isinf(value) || value == 0)) return std::nullopt;
  return value;
}

std::optional<double> score_or_reply(CommandContext& ctx, std::string_view text,
                                     std::string_view error) {
  auto score = parse_score(text);
  if (!score) ctx.reply.error(error);
  return score;
}

std::optional<ScoreRange> parse_score_range(std::string_view min, std::string_view max) {
  ScoreRange range;
  const auto low = parse_range_end(min, &range.min_exclusive);
  const auto high = parse_range_end(max, &range.max_exclusive);
  if (!low || !high) return std::nullopt;
  range.min = *low;
  range.max = *high;
  return range;
}

std::optional<LexRange> parse_lex_range(std::string_view min, std::string_view max) {
  const auto low = parse_lex_bound(min);
  const auto high = parse_lex_bound(max);
  if (!low || !high) return std::nullopt;
  return LexRange{*low, *high};
}

std::pair<size_t, size_t> ranks_in(const store::ZsetValue& value, const ScoreRange& range) {
  const size_t start = value.count_score_below(range.min, range.min_exclusive);
  const size_t end = value.count_score_below(range.max, !range.max_exclusive);
  return {start, std::max(start, end)};
}

std::pair<size_t, size_t> ranks_in(const store::ZsetValue& value, const LexRange& range) {
  const size_t start = lex_position(value, range.min, true);
  const size_t end = lex_position(value, range.max, false);
  return {start, std::max(start, end)};
}

void reply_members(CommandContext& ctx, const store::ZsetValue& value, size_t start, size_t end,
                   bool reverse, bool withscores) {
  const size_t count = end - start;
  const bool pairs = withscores && ctx.reply.resp_version() >= 3;
  ctx.reply.array(withscores && !pairs ? 2 * count : count);
  value.visit(start, end, reverse, [&](std::string_view member, double score) {
    if (pairs) ctx.reply.array(2);
    ctx.reply.bulk(member);
    if (withscores) ctx.reply.dbl(score);
  });
}

std::unique_ptr<store::ZsetValue> value_from(CommandContext& ctx,
                                             const std::vector<Member>& members) {
  size_t longest = 0;
  for (const auto& m : members) longest = std::max(longest, m.member.size());
  const auto& limits = ctx.server.config().encoding;
  auto value = make_value(ctx, store::ZsetValue::needs_full(members.size(), longest, limits));
  for (const auto& m : members) value->set(m.member, m.score, limits, ctx.server.runtime().rng());
  return value;
}

void store_result(CommandContext& ctx, std::string_view key, const std::vector<Member>& members,
                  std::string_view event) {
  auto& keyspace = ctx.server.keyspace();
  const bool existed = keyspace.peek(key) != nullptr;
  keyspace.store_collection(key, value_from(ctx, members));
  ctx.reply.integer(static_cast<int64_t>(members.size()));
  if (!members.empty()) {
    ctx.server.key_modified(key);
    ctx.server.notify_keyspace_event(server::event_zset, event, key);
  } else if (existed) {
    ctx.server.key_modified(key);
    ctx.server.notify_keyspace_event(server::event_generic, "del", key);
  }
}

}  // namespace ringcache::commands::zset
