// CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO: client-side caching's controls, with Redis
// 7.0's options, checks and error words (networking.c clientCommand). What tracking does is in
// node/tracking.h.

#include <fmt/format.h>

#include <algorithm>

#include "core/commands/arguments.h"
#include "core/commands/server/server_family.h"
#include "core/server/server.h"

namespace ringcache::commands {
namespace {

struct TrackingRequest {
  uint64_t redirect = 0;
  bool bcast = false;
  bool optin = false;
  bool optout = false;
  bool noloop = false;
  std::vector<std::string_view> prefixes;
};

// Reads the options after ON|OFF; replies the error and returns nullopt on a bad one.
std::optional<TrackingRequest> parse_tracking(CommandContext& ctx) {
  TrackingRequest request;
  for (size_t i = 3; i < ctx.argv.size(); ++i) {
    const bool more = i + 1 < ctx.argv.size();
    const std::string_view option = ctx.argv[i];
    if (option_is(option, "REDIRECT") && more) {
      if (request.redirect != 0) {
        ctx.reply.error("ERR A client can only redirect to a single other client");
        return std::nullopt;
      }
      const std::optional<int64_t> id = int64_or_reply(ctx, ctx.argv[++i]);
      if (!id) return std::nullopt;
      if (*id <= 0 || ctx.server.clients().count(static_cast<uint64_t>(*id)) == 0) {
        ctx.reply.error("ERR The client ID you want redirect to does not exist");
        return std::nullopt;
      }
      request.redirect = static_cast<uint64_t>(*id);
    } else if (option_is(option, "BCAST")) {
      request.bcast = true;
    } else if (option_is(option, "OPTIN")) {
      request.optin = true;
    } else if (option_is(option, "OPTOUT")) {
      request.optout = true;
    } else if (option_is(option, "NOLOOP")) {
      request.noloop = true;
    } else if (option_is(option, "PREFIX") && more) {
      request.prefixes.push_back(ctx.argv[++i]);
    } else {
      ctx.reply.error(errors::syntax);
      return std::nullopt;
    }
  }
  return request;
}

// One of two prefixes starts the other: a key under both would be reported twice.
bool overlapping(std::string_view a, std::string_view b) {
  const size_t common = std::min(a.size(), b.size());
  return a.substr(0, common) == b.substr(0, common);
}

bool prefixes_ok(CommandContext& ctx, const TrackingRequest& request) {
  const auto& prefixes = request.prefixes;
  for (size_t i = 0; i < prefixes.size(); ++i) {
    for (const std::string& existing : ctx.client.tracking.prefixes) {
      if (!overlapping(existing, prefixes[i])) continue;
      ctx.reply.error(fmt::format("ERR Prefix '{}' overlaps with an existing prefix '{}'. "
                                  "Prefixes for a single client must not overlap.",
                                  prefixes[i], existing));
      return false;
    }
    for (size_t j = i + 1; j < prefixes.size(); ++j) {
      if (!overlapping(prefixes[i], prefixes[j])) continue;
      ctx.reply.error(fmt::format("ERR Prefix '{}' overlaps with another provided prefix '{}'. "
                                  "Prefixes for a single client must not overlap.",
                                  prefixes[i], prefixes[j]));
      return false;
    }
  }
  return true;
}

// The checks of CLIENT TRACKING ON against each other and the client's current mode.
bool tracking_on_allowed(CommandContext& ctx, const TrackingRequest& request) {
  const server::Client::Tracking& now = ctx.client.tracking;
  std::string_view error;
  if (!request.bcast && !request.prefixes.empty()) {
    error = "ERR PREFIX option requires BCAST mode to be enabled";
  } else if (now.on && now.bcast != request.bcast) {
    error = "ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
            "and then re-enabling it with a different mode.";
  } else if (request.bcast && (request.optin || request.optout)) {
    error = "ERR OPTIN and OPTOUT are not compatible with BCAST";
  } else if (request.optin && request.optout) {
    error = "ERR You can't specify both OPTIN mode and OPTOUT mode";
  } else if ((request.optin && now.optout) || (request.optout && now.optin)) {
    error = "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
            "and then re-enabling it with a different mode.";
  }
  if (!error.empty()) {
    ctx.reply.error(error);
    return false;
  }
  return !request.bcast || prefixes_ok(ctx, request);
}

void client_tracking(CommandContext& ctx) {
  const std::optional<TrackingRequest> request = parse_tracking(ctx);
  if (!request) return;
  server::Client::Tracking& tracking = ctx.client.tracking;
  if (option_is(ctx.argv[2], "OFF")) {
    ctx.server.tracking().disable(ctx.client);
    return ctx.reply.ok();
  }
  if (!option_is(ctx.argv[2], "ON")) return ctx.reply.error(errors::syntax);
  if (!tracking_on_allowed(ctx, *request)) return;
  // Enabling again replaces the options (prefixes add up), as Redis' enableTracking.
  tracking.on = true;
  tracking.bcast = request->bcast;
  tracking.optin = request->optin;
  tracking.optout = request->optout;
  tracking.noloop = request->noloop;
  tracking.redirect = request->redirect;
  if (request->bcast) {
    std::vector<std::string_view> added = request->prefixes;
    if (added.empty()) added.push_back("");  // no prefix: every key
    for (std::string_view prefix : added) {
      const auto& mine = tracking.prefixes;
      if (std::find(mine.begin(), mine.end(), prefix) == mine.end()) {
        tracking.prefixes.emplace_back(prefix);
      }
    }
  }
  ctx.server.tracking().enabled(ctx.client);
  ctx.reply.ok();
}

void client_caching(CommandContext& ctx) {
  server::Client::Tracking& tracking = ctx.client.tracking;
  if (!tracking.on) {
    return ctx.reply.error("ERR CLIENT CACHING can be called only when the client is in tracking "
                           "mode with OPTIN or OPTOUT mode enabled");
  }
  if (option_is(ctx.argv[2], "YES")) {
    if (!tracking.optin) {
      return ctx.reply.error(
          "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
    }
    tracking.caching_yes = true;
  } else if (option_is(ctx.argv[2], "NO")) {
    if (!tracking.optout) {
      return ctx.reply.error(
          "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
    }
    tracking.caching_no = true;
  } else {
    return ctx.reply.error(errors::syntax);
  }
  ctx.reply.ok();
}

int64_t redirect_shown(const server::Client& client) {
  return client.tracking.on ? static_cast<int64_t>(client.tracking.redirect) : -1;
}

void client_getredir(CommandContext& ctx) { ctx.reply.integer(redirect_shown(ctx.client)); }

void client_trackinginfo(CommandContext& ctx) {
  const server::Client::Tracking& tracking = ctx.client.tracking;
  std::vector<std::string_view> flags;
  if (!tracking.on) flags.push_back("off");
  if (tracking.on) flags.push_back("on");
  if (tracking.bcast) flags.push_back("bcast");
  if (tracking.optin) flags.push_back("optin");
  if (tracking.optout) flags.push_back("optout");
  if (tracking.optin && tracking.caching_yes) flags.push_back("caching-yes");
  if (tracking.optout && tracking.caching_no) flags.push_back("caching-no");
  if (tracking.noloop) flags.push_back("noloop");
  if (tracking.redirect != 0 && ctx.server.clients().count(tracking.redirect) == 0) {
    flags.push_back("broken_redirect");
  }
  ctx.reply.map(3);
  ctx.reply.bulk("flags");
  ctx.reply.set(flags.size());
  for (std::string_view flag : flags) ctx.reply.bulk(flag);
  ctx.reply.bulk("redirect");
  ctx.reply.integer(redirect_shown(ctx.client));
  ctx.reply.bulk("prefixes");
  ctx.reply.array(tracking.prefixes.size());
  for (const std::string& prefix : tracking.prefixes) ctx.reply.bulk(prefix);
}

}  // namespace

std::vector<CommandSpec> client_tracking_subcommands() {
  const SpecBuilder session = SpecBuilder::family("connection", "@slow @connection")
                                  .flags(flag_noscript | flag_loading | flag_stale);
  return {
      session.command("client|tracking", -3, client_tracking)
          .doc("Enable or disable server assisted client side caching support", "6.0.0"),
      session.command("client|caching", 3, client_caching)
          .doc("Instruct the server about tracking or not keys in the next request", "6.0.0"),
      session.command("client|getredir", 2, client_getredir)
          .doc("Get tracking notifications redirection client ID if any", "6.0.0"),
      session.command("client|trackinginfo", 2, client_trackinginfo)
          .doc("Return information about server assisted client side caching for the current "
               "connection",
               "6.2.0"),
  };
}

}  // namespace ringcache::commands
