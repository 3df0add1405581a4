// XADD and XTRIM options: MAXLEN/MINID with "=" or "~", LIMIT, NOMKSTREAM and the ID, read in
// Redis 7.0's order and refused with its words.

#include "core/commands/arguments.h"
#include "core/commands/stream/stream_family.h"
#include "core/constants.h"
#include "core/server/server.h"

namespace ringcache::commands::stream {
namespace {

using Strategy = store::StreamTrim::Strategy;

constexpr std::string_view both_strategies =
    "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";

// "~" or "=" after MAXLEN/MINID; moves `i` past it.
void read_trim_operator(std::span<const std::string_view> argv, size_t& i, size_t more,
                        store::StreamTrim& trim) {
  trim.approximate = false;
  if (more < 2) return;
  if (argv[i + 1] == "~") {
    trim.approximate = true;
    ++i;
  } else if (argv[i + 1] == "=") {
    ++i;
  }
}

// Reads MAXLEN/MINID [=|~] threshold at argv[i]; false after replying.
bool read_strategy(CommandContext& ctx, size_t& i, size_t more, bool minid, TrimArgs& args) {
  if (args.trim.strategy != Strategy::none) {
    ctx.reply.error(both_strategies);
    return false;
  }
  read_trim_operator(ctx.argv, i, more, args.trim);
  if (minid) {
    const auto id = id_or_reply(ctx, ctx.argv[i + 1]);
    if (!id) return false;
    args.trim.minid = *id;
    args.trim.strategy = Strategy::minid;
  } else {
    const auto maxlen = int64_or_reply(ctx, ctx.argv[i + 1]);
    if (!maxlen) return false;
    if (*maxlen < 0) {
      ctx.reply.error("ERR The MAXLEN argument must be >= 0.");
      return false;
    }
    args.trim.maxlen = static_cast<uint64_t>(*maxlen);
    args.trim.strategy = Strategy::maxlen;
  }
  ++i;
  args.threshold_at = i;
  return true;
}

// The checks after the options were read; false after replying.
bool settle_limit(CommandContext& ctx, bool xadd, bool limit_given, TrimArgs& args) {
  if (args.trim.limit != 0 && args.trim.strategy == Strategy::none) {
    ctx.reply.error(
        "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    return false;
  }
  if (!xadd && args.trim.strategy == Strategy::none) {
    ctx.reply.error("ERR syntax error, XTRIM must be called with a trimming strategy");
    return false;
  }
  if (limit_given) {
    if (!args.trim.approximate) {
      ctx.reply.error("ERR syntax error, LIMIT cannot be used without the special ~ option");
      return false;
    }
  } else if (args.trim.approximate) {
    const int64_t nodes = ctx.server.config().encoding.stream_node_max_entries;
    const bool overflows =
        nodes > constants::stream_node_bytes_max / constants::stream_trim_limit_nodes;
    args.trim.limit = overflows ? 0 : constants::stream_trim_limit_nodes * nodes;
    if (args.trim.limit <= 0 || args.trim.limit > constants::stream_node_bytes_max) {
      args.trim.limit = constants::stream_trim_limit_fallback;
    }
  } else {
    args.trim.limit = 0;
  }
  return true;
}

}  // namespace

std::optional<TrimArgs> parse_trim_args(CommandContext& ctx, bool xadd) {
  TrimArgs args;
  const auto& argv = ctx.argv;
  bool limit_given = false;
  size_t i = 2;
  for (; i < argv.size(); ++i) {
    const size_t more = argv.size() - 1 - i;
    const std::string_view option = argv[i];
    if (xadd && option == "*") break;
    if (option_is(option, "MAXLEN") && more > 0) {
      if (!read_strategy(ctx, i, more, false, args)) return std::nullopt;
    } else if (option_is(option, "MINID") && more > 0) {
      if (!read_strategy(ctx, i, more, true, args)) return std::nullopt;
    } else if (option_is(option, "LIMIT") && more > 0) {
      const auto limit = int64_or_reply(ctx, argv[i + 1]);
      if (!limit) return std::nullopt;
      if (*limit < 0) {
        ctx.reply.error("ERR The LIMIT argument must be >= 0.");
        return std::nullopt;
      }
      args.trim.limit = *limit;
      limit_given = true;
      ++i;
    } else if (xadd && option_is(option, "NOMKSTREAM")) {
      args.no_mkstream = true;
    } else if (xadd) {
      const auto id = store::parse_stream_id(option, 0, true, true);
      if (!id) {
        ctx.reply.error(invalid_id);
        return std::nullopt;
      }
      args.id = *id;
      args.id_given = true;
      break;
    } else {
      ctx.reply.error(errors::syntax);
      return std::nullopt;
    }
  }
  args.id_at = i;
  if (!settle_limit(ctx, xadd, limit_given, args)) return std::nullopt;
  return args;
}

std::vector<std::string> exact_trim_words(const TrimArgs& args, const store::StreamValue& value) {
  const auto& state = value.state();
  // An emptied stream is said as MAXLEN 0: its first ID (0-0) would trim nothing on replay.
  if (args.trim.strategy == Strategy::maxlen || state.log.size() == 0) {
    return {"MAXLEN", "=", std::to_string(state.log.size())};
  }
  return {"MINID", "=", state.first_id.to_string()};
}

}  // namespace ringcache::commands::stream
