// ACL LOG (the refusals and failed logins), ACL LOAD and ACL SAVE (the aclfile, through the
// runtime's Disk), and the aclfile's load at startup.

#include <fmt/format.h>

#include <algorithm>

#include "core/commands/acl_file.h"
#include "core/commands/arguments.h"
#include "core/commands/server/server_acl.h"
#include "core/server/server.h"

namespace ringcache::commands {
namespace {

constexpr int64_t log_count_default = 10;
constexpr size_t read_chunk_bytes = 64 * 1024;

constexpr std::string_view no_aclfile_error =
    "ERR This Redis instance is not configured to use an ACL file. You may want to specify users "
    "via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis "
    "configuration file set) in order to store users in the Redis configuration.";

void reply_log_entry(CommandContext& ctx, const server::acl::LogEntry& entry) {
  const int64_t age_ms = ctx.server.runtime().wall_time_ms() - entry.updated_ms;
  ctx.reply.map(7);
  ctx.reply.bulk("count");
  ctx.reply.integer(static_cast<int64_t>(entry.count));
  ctx.reply.bulk("reason");
  ctx.reply.bulk(entry.reason);
  ctx.reply.bulk("context");
  ctx.reply.bulk(entry.context);
  ctx.reply.bulk("object");
  ctx.reply.bulk(entry.object);
  ctx.reply.bulk("username");
  ctx.reply.bulk(entry.username);
  ctx.reply.bulk("age-seconds");
  ctx.reply.dbl(static_cast<double>(age_ms) / 1000.0);
  ctx.reply.bulk("client-info");
  ctx.reply.bulk(entry.client_info);
}

Result<std::string> read_whole(Disk& disk, const std::string& path) {
  std::string text;
  std::vector<char> buffer(read_chunk_bytes);
  for (;;) {
    Result<size_t> got = disk.read(path, text.size(), buffer);
    if (!got) return got.status();
    if (got.value() == 0) return text;
    text.append(buffer.data(), got.value());
  }
}

}  // namespace

Result<std::string> acl_file_path(server::Server& server) {
  const std::string& file = server.config().aclfile;
  const bool inside = !file.empty() && file.front() != '/' && file != ".." &&
                      !file.starts_with("../") && file.find("/../") == std::string::npos &&
                      !file.ends_with("/..");
  if (!inside) {
    return Status(Errc::invalid_argument,
                  fmt::format("the aclfile '{}' must be a path inside dir, relative to it", file));
  }
  return file;
}

Status load_acl_file(server::Server& server) {
  Result<std::string> path = acl_file_path(server);
  if (!path) return path.status();
  Result<std::string> text = read_whole(server.runtime().disk(), path.value());
  if (!text) {
    return Status(Errc::not_found, fmt::format("Error loading ACLs, opening file '{}': {}",
                                               path.value(), text.status().message()));
  }
  return server.acl().load_file_text(text.value(), server.config().aclfile);
}

void acl_log(CommandContext& ctx) {
  if (ctx.argv.size() > 3) return reply_acl_syntax(ctx);
  int64_t count = log_count_default;
  if (ctx.argv.size() == 3) {
    if (option_is(ctx.argv[2], "RESET")) {
      ctx.server.acl().log().reset();
      return ctx.reply.ok();
    }
    const std::optional<int64_t> parsed = parse_int64(ctx.argv[2]);
    if (!parsed) return ctx.reply.error(errors::not_integer);
    count = std::max<int64_t>(*parsed, 0);
  }
  const auto& entries = ctx.server.acl().log().entries();
  const size_t shown = std::min(entries.size(), static_cast<size_t>(count));
  ctx.reply.array(shown);
  for (size_t i = 0; i < shown; ++i) reply_log_entry(ctx, entries[i]);
}

void acl_load(CommandContext& ctx) {
  if (ctx.server.config().aclfile.empty()) return ctx.reply.error(no_aclfile_error);
  if (Status status = load_acl_file(ctx.server); !status) {
    return ctx.reply.error("ERR " + status.message());
  }
  // Users the file replaced are gone: their clients are closed, as Redis frees them.
  kill_clients_of_unknown_users(ctx.server, ctx.client);
  ctx.reply.ok();
}

void acl_save(CommandContext& ctx) {
  if (ctx.server.config().aclfile.empty()) return ctx.reply.error(no_aclfile_error);
  Disk& disk = ctx.server.runtime().disk();
  Result<std::string> path = acl_file_path(ctx.server);
  if (!path) return ctx.reply.error("ERR " + path.status().message());
  const std::string temporary = path.value() + ".tmp";
  Result<std::unique_ptr<WritableFile>> file = disk.open_append(temporary, /*truncate=*/true);
  Status status = file ? file.value()->append(ctx.server.acl().file_text()) : file.status();
  if (status) status = file.value()->sync();
  if (file) (void)file.value()->close();
  if (status) status = disk.rename(temporary, path.value());
  if (!status) {
    ctx.server.runtime().log(LogLevel::warning,
                             fmt::format("Failed to save the ACL file: {}", status.message()));
    return ctx.reply.error("ERR There was an error trying to save the ACLs. Please check the "
                           "server logs for more information");
  }
  ctx.reply.ok();
}

}  // namespace ringcache::commands
