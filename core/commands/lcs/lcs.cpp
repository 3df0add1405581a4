// LCS (the longest common subsequence of two string keys) with Redis 7.0's options and replies:
// the subsequence, LEN, or IDX with MINMATCHLEN and WITHMATCHLEN. The algorithm is in
// common_subsequence.h.

#include <string>
#include <string_view>

#include "core/commands/arguments.h"
#include "core/commands/command.h"
#include "core/commands/encoded_families.h"
#include "core/commands/lcs/common_subsequence.h"
#include "core/commands/spec_builder.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands {
namespace {

struct LcsOptions {
  bool len = false;
  bool idx = false;
  bool with_match_len = false;
  int64_t min_match_len = 0;
};

std::optional<LcsOptions> parse_lcs_options(CommandContext& ctx) {
  LcsOptions options;
  for (size_t i = 3; i < ctx.argv.size(); ++i) {
    const std::string_view arg = ctx.argv[i];
    if (option_is(arg, "IDX")) {
      options.idx = true;
    } else if (option_is(arg, "LEN")) {
      options.len = true;
    } else if (option_is(arg, "WITHMATCHLEN")) {
      options.with_match_len = true;
    } else if (option_is(arg, "MINMATCHLEN") && i + 1 < ctx.argv.size()) {
      const auto value = int64_or_reply(ctx, ctx.argv[++i]);
      if (!value) return std::nullopt;
      options.min_match_len = std::max<int64_t>(*value, 0);
    } else {
      ctx.reply.error(errors::syntax);
      return std::nullopt;
    }
  }
  if (options.idx && options.len) {
    ctx.reply.error("ERR If you want both the length and indexes, please just use IDX.");
    return std::nullopt;
  }
  return options;
}

void reply_matches(CommandContext& ctx, const lcs::Subsequence& result, const LcsOptions& options) {
  size_t shown = 0;
  for (const auto& match : result.matches) {
    shown += match.length() >= options.min_match_len ? 1 : 0;
  }
  ctx.reply.map(2);
  ctx.reply.bulk("matches");
  ctx.reply.array(shown);
  for (const auto& match : result.matches) {
    if (match.length() < options.min_match_len) continue;
    ctx.reply.array(options.with_match_len ? 3 : 2);
    ctx.reply.array(2);
    ctx.reply.integer(match.a_first);
    ctx.reply.integer(match.a_last);
    ctx.reply.array(2);
    ctx.reply.integer(match.b_first);
    ctx.reply.integer(match.b_last);
    if (options.with_match_len) ctx.reply.integer(match.length());
  }
  ctx.reply.bulk("len");
  ctx.reply.integer(result.length);
}

void lcs_command(CommandContext& ctx) {
  auto& keyspace = ctx.server.keyspace();
  const store::Entry* a = keyspace.find_read(ctx.argv[1]);
  const store::Entry* b = keyspace.find_read(ctx.argv[2]);
  if ((a != nullptr && a->type() != store::ValueType::string) ||
      (b != nullptr && b->type() != store::ValueType::string)) {
    return ctx.reply.error("ERR The specified keys must contain string values");
  }
  const std::string a_value(a == nullptr ? std::string_view() : a->string_value());
  const std::string b_value(b == nullptr ? std::string_view() : b->string_value());
  const auto options = parse_lcs_options(ctx);
  if (!options) return;
  if (a_value.size() >= UINT32_MAX - 1 || b_value.size() >= UINT32_MAX - 1) {
    return ctx.reply.error("ERR String too long for LCS");
  }
  if (lcs::table_bytes(a_value.size(), b_value.size()) >
      static_cast<uint64_t>(ctx.server.config().proto_max_bulk_len)) {
    return ctx.reply.error(
        "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
  }
  const lcs::Subsequence result = lcs::longest_common_subsequence(a_value, b_value);
  if (options->idx) return reply_matches(ctx, result, *options);
  if (options->len) return ctx.reply.integer(result.length);
  ctx.reply.bulk(result.text);
}

}  // namespace

void register_lcs_commands(CommandTable& table) {
  table.add(SpecBuilder::family("string", data_acl("@string"), two_keys)
                .command("lcs", -3, lcs_command)
                .flags(flag_readonly)
                .doc("Find longest common substring", "7.0.0"));
}

}  // namespace ringcache::commands
