// The pub/sub family: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE,
// PUBLISH, SPUBLISH and PUBSUB. The registry and delivery live in node/pubsub.h; replies and
// errors are Redis 7.0's (pubsub.c). Subscription replies are pushes in RESP3, arrays in RESP2.

#include <fmt/format.h>

#include "core/commands/arguments.h"
#include "core/commands/command.h"
#include "core/commands/server/server_family.h"
#include "core/commands/spec_builder.h"
#include "core/server/server.h"
#include "core/util/assert.h"

namespace ringcache::commands {
namespace {

using Kind = server::PubSub::Kind;

// The count a subscription reply carries: channels plus patterns, or shard channels alone.
int64_t subscription_count(const server::Client& client, Kind kind) {
  if (kind == Kind::shard) return static_cast<int64_t>(client.shard_channels.size());
  return static_cast<int64_t>(client.channels.size() + client.patterns.size());
}

// A confirmation is a push, so CLIENT REPLY OFF does not silence it: it then goes with the
// pushes, which the connection sends whatever the reply mode.
void reply_subscription(CommandContext& ctx, std::string_view verb,
                        std::optional<std::string_view> name, Kind kind) {
  protocol::ReplyWriter as_push(ctx.client.pushes, ctx.reply.resp_version());
  protocol::ReplyWriter& out = ctx.client.replies_silenced() ? as_push : ctx.reply;
  out.push(3);
  out.bulk(verb);
  if (name) {
    out.bulk(*name);
  } else {
    out.null();
  }
  out.integer(subscription_count(ctx.client, kind));
}

void subscribe_to(CommandContext& ctx, Kind kind, std::string_view verb) {
  for (size_t i = 1; i < ctx.argv.size(); ++i) {
    ctx.server.pubsub().subscribe(ctx.client, kind, ctx.argv[i]);
    reply_subscription(ctx, verb, ctx.argv[i], kind);
  }
}

const std::set<std::string>& names_of(const server::Client& client, Kind kind) {
  switch (kind) {
    case Kind::channel: return client.channels;
    case Kind::pattern: return client.patterns;
    case Kind::shard: return client.shard_channels;
  }
  RING_UNREACHABLE();
}

// Without arguments, every subscription of the kind goes; with none, one reply with a nil name.
void unsubscribe_from(CommandContext& ctx, Kind kind, std::string_view verb) {
  std::vector<std::string> names(ctx.argv.begin() + 1, ctx.argv.end());
  if (ctx.argv.size() == 1) {
    const std::set<std::string>& mine = names_of(ctx.client, kind);
    names.assign(mine.begin(), mine.end());
    if (names.empty()) return reply_subscription(ctx, verb, std::nullopt, kind);
  }
  for (const std::string& name : names) {
    ctx.server.pubsub().unsubscribe(ctx.client, kind, name);
    reply_subscription(ctx, verb, name, kind);
  }
}

void subscribe_command(CommandContext& ctx) { subscribe_to(ctx, Kind::channel, "subscribe"); }
void psubscribe_command(CommandContext& ctx) { subscribe_to(ctx, Kind::pattern, "psubscribe"); }
void ssubscribe_command(CommandContext& ctx) { subscribe_to(ctx, Kind::shard, "ssubscribe"); }
void unsubscribe_command(CommandContext& ctx) {
  unsubscribe_from(ctx, Kind::channel, "unsubscribe");
}
void punsubscribe_command(CommandContext& ctx) {
  unsubscribe_from(ctx, Kind::pattern, "punsubscribe");
}
void sunsubscribe_command(CommandContext& ctx) {
  unsubscribe_from(ctx, Kind::shard, "sunsubscribe");
}

void publish_command(CommandContext& ctx) {
  const size_t receivers = ctx.server.pubsub().publish(ctx.argv[1], ctx.argv[2], Kind::channel);
  ctx.reply.integer(static_cast<int64_t>(receivers));
}

void spublish_command(CommandContext& ctx) {
  const size_t receivers = ctx.server.pubsub().publish(ctx.argv[1], ctx.argv[2], Kind::shard);
  ctx.reply.integer(static_cast<int64_t>(receivers));
}

// PUBSUB CHANNELS/SHARDCHANNELS [pattern].
void list_active(CommandContext& ctx, Kind kind) {
  if (ctx.argv.size() > 3) {
    return ctx.reply.error(fmt::format(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try PUBSUB HELP.",
        ctx.argv[1]));
  }
  std::optional<std::string_view> pattern;
  if (ctx.argv.size() == 3) pattern = ctx.argv[2];
  const std::vector<std::string> names = ctx.server.pubsub().active(kind, pattern);
  ctx.reply.array(names.size());
  for (const std::string& name : names) ctx.reply.bulk(name);
}

// PUBSUB NUMSUB/SHARDNUMSUB [channel ...]: a flat array of channel, count pairs.
void count_subscribers(CommandContext& ctx, Kind kind) {
  ctx.reply.array((ctx.argv.size() - 2) * 2);
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    ctx.reply.bulk(ctx.argv[i]);
    ctx.reply.integer(static_cast<int64_t>(ctx.server.pubsub().subscriber_count(kind, ctx.argv[i])));
  }
}

void pubsub_channels(CommandContext& ctx) { list_active(ctx, Kind::channel); }
void pubsub_shardchannels(CommandContext& ctx) { list_active(ctx, Kind::shard); }
void pubsub_numsub(CommandContext& ctx) { count_subscribers(ctx, Kind::channel); }
void pubsub_shardnumsub(CommandContext& ctx) { count_subscribers(ctx, Kind::shard); }
void pubsub_numpat(CommandContext& ctx) {
  ctx.reply.integer(static_cast<int64_t>(ctx.server.pubsub().pattern_count()));
}

void pubsub_help(CommandContext& ctx) {
  reply_help(ctx, "PUBSUB",
             {"CHANNELS [<pattern>]",
              "    Return the currently active channels matching a <pattern> (default: '*').",
              "NUMPAT", "    Return number of subscriptions to patterns.",
              "NUMSUB [<channel> ...]",
              "    Return the number of subscribers for the specified channels, excluding",
              "    pattern subscriptions(default: no channels).",
              "SHARDCHANNELS [<pattern>]",
              "    Return the currently active shard level channels matching a <pattern> "
              "(default: '*').",
              "SHARDNUMSUB [<shardchannel> ...]",
              "    Return the number of subscribers for the specified shard level channel(s)"});
}

}  // namespace

void register_pubsub_commands(CommandTable& table) {
  // Shard commands name their channels where keys go (Redis marks them not_key), so cluster
  // clients route them by slot.
  const SpecBuilder pubsub = SpecBuilder::family("pubsub", "@pubsub {speed}");
  constexpr uint32_t subscribe_flags =
      flag_pubsub | flag_noscript | flag_loading | flag_stale | flag_subscribed_allowed;
  // may_replicate (not shown by COMMAND INFO): CLIENT PAUSE WRITE holds a PUBLISH back.
  constexpr uint32_t publish_flags =
      flag_pubsub | flag_loading | flag_stale | flag_fast | flag_may_replicate;
  constexpr uint32_t inspect_flags = flag_pubsub | flag_loading | flag_stale;
  constexpr KeyRange channels{1, -1, 1};
  const CommandSpec specs[] = {
      pubsub.command("subscribe", -2, subscribe_command)
          .flags(subscribe_flags)
          .channels(ChannelArgs::subscribed)
          .doc("Listen for messages published to the given channels", "2.0.0"),
      pubsub.command("unsubscribe", -1, unsubscribe_command)
          .flags(subscribe_flags)
          .doc("Stop listening for messages posted to the given channels", "2.0.0"),
      pubsub.command("psubscribe", -2, psubscribe_command)
          .flags(subscribe_flags)
          .channels(ChannelArgs::subscribed_patterns)
          .doc("Listen for messages published to channels matching the given patterns", "2.0.0"),
      pubsub.command("punsubscribe", -1, punsubscribe_command)
          .flags(subscribe_flags)
          .doc("Stop listening for messages posted to channels matching the given patterns",
               "2.0.0"),
      pubsub.command("ssubscribe", -2, ssubscribe_command)
          .flags(subscribe_flags)
          .keys(channels)
          .channels(ChannelArgs::subscribed)
          .key_flags(server::ks_not_key)
          .doc("Listen for messages published to the given shard channels", "7.0.0"),
      pubsub.command("sunsubscribe", -1, sunsubscribe_command)
          .flags(subscribe_flags)
          .keys(channels)
          .key_flags(server::ks_not_key)
          .doc("Stop listening for messages posted to the given shard channels", "7.0.0"),
      pubsub.command("publish", 3, publish_command)
          .flags(publish_flags)
          .channels(ChannelArgs::published)
          .doc("Post a message to a channel", "2.0.0"),
      pubsub.command("spublish", 3, spublish_command)
          .flags(publish_flags)
          .keys(one_key)
          .channels(ChannelArgs::published)
          .key_flags(server::ks_not_key)
          .doc("Post a message to a shard channel", "7.0.0"),
      container("pubsub", "pubsub")
          .doc("A container for Pub/Sub commands", "2.8.0")
          .subcommands({
              pubsub.command("pubsub|channels", -2, pubsub_channels)
                  .flags(inspect_flags)
                  .doc("List active channels", "2.8.0"),
              pubsub.command("pubsub|numsub", -2, pubsub_numsub)
                  .flags(inspect_flags)
                  .doc("Get the count of subscribers for channels", "2.8.0"),
              pubsub.command("pubsub|numpat", 2, pubsub_numpat)
                  .flags(inspect_flags)
                  .doc("Get the count of unique patterns pattern subscriptions", "2.8.0"),
              pubsub.command("pubsub|shardchannels", -2, pubsub_shardchannels)
                  .flags(inspect_flags)
                  .doc("List active shard channels", "7.0.0"),
              pubsub.command("pubsub|shardnumsub", -2, pubsub_shardnumsub)
                  .flags(inspect_flags)
                  .doc("Get the count of subscribers for shard channels", "7.0.0"),
              pubsub.command("pubsub|help", 2, pubsub_help)
                  .flags(flag_loading | flag_stale)
                  .acl("@slow")
                  .doc("Show helpful text about the different subcommands", "6.2.0"),
          }),
  };
  for (const auto& spec : specs) table.add(spec);
}

}  // namespace ringcache::commands
