// COPY source destination [DB index] [REPLACE]: a copy of the value and its expiry under another
// name, with Redis 7.0's replies and errors. Only database 0 exists here, so DB names it or is out
// of range (and cluster mode refuses any other, as Redis).

#include <memory>
#include <optional>
#include <string>

#include "core/commands/arguments.h"
#include "core/commands/keys/keys_family.h"
#include "core/commands/spec_builder.h"
#include "core/server/server.h"
#include "core/store/collection.h"
#include "core/store/hash_value.h"
#include "core/store/keyspace.h"
#include "core/store/list_value.h"
#include "core/store/set_value.h"
#include "core/store/stream_value.h"
#include "core/store/zset_value.h"
#include "core/util/assert.h"

namespace ringcache::commands {
namespace {

struct CopyOptions {
  int64_t db = 0;
  bool replace = false;
};

std::optional<CopyOptions> parse_options(CommandContext& ctx) {
  CopyOptions options;
  for (size_t j = 3; j < ctx.argv.size(); ++j) {
    if (option_is(ctx.argv[j], "REPLACE")) {
      options.replace = true;
    } else if (option_is(ctx.argv[j], "DB") && j + 1 < ctx.argv.size()) {
      auto db = int64_or_reply(ctx, ctx.argv[++j]);
      if (!db) return std::nullopt;
      if (*db != 0) {
        ctx.reply.error("ERR DB index is out of range");
        return std::nullopt;
      }
      options.db = *db;
    } else {
      ctx.reply.error(errors::syntax);
      return std::nullopt;
    }
  }
  return options;
}

// A new collection holding the same elements as `source`, built through the type's own
// insertion (so it takes the encoding the limits give it).
std::unique_ptr<store::Collection> copy_collection(CommandContext& ctx,
                                                   const store::Collection& source) {
  const store::EncodingLimits& limits = ctx.server.config().encoding;
  Rng& rng = ctx.server.runtime().rng();
  switch (source.type()) {
    case store::ValueType::list: {
      auto list = std::make_unique<store::ListValue>();
      static_cast<const store::ListValue&>(source).visit(
          0, false, [&](size_t, std::string_view element) {
            list->push(store::ListEnd::tail, element, limits.list_max_listpack_size);
            return true;
          });
      return list;
    }
    case store::ValueType::set: {
      auto set = std::make_unique<store::SetValue>();
      static_cast<const store::SetValue&>(source).for_each(
          [&](std::string_view member) { set->add(member, limits, rng); });
      set->shrink_to_fit();
      return set;
    }
    case store::ValueType::zset: {
      const auto& from = static_cast<const store::ZsetValue&>(source);
      auto zset =
          from.is_full()
              ? std::make_unique<store::ZsetValue>(store::ZsetValue::StartFull{rng.next_u64()})
              : std::make_unique<store::ZsetValue>();
      from.visit(0, from.size(), false, [&](std::string_view member, double score) {
        zset->set(member, score, limits, rng);
      });
      return zset;
    }
    case store::ValueType::hash: {
      auto hash = std::make_unique<store::HashValue>();
      static_cast<const store::HashValue&>(source).for_each(
          [&](const store::HashValue::Item& item) {
            hash->set(item.field, item.value, limits, rng);
          });
      hash->shrink_to_fit();
      return hash;
    }
    case store::ValueType::stream:
      return static_cast<const store::StreamValue&>(source).clone();
    default:
      RING_ASSERT(false);
      return nullptr;
  }
}

void copy_command(CommandContext& ctx) {
  std::optional<CopyOptions> options = parse_options(ctx);
  if (!options) return;
  const std::string_view source = ctx.argv[1];
  const std::string_view destination = ctx.argv[2];
  if (source == destination)
    return ctx.reply.error("ERR source and destination objects are the same");
  auto& keyspace = ctx.server.keyspace();
  if (keyspace.find_read(source) == nullptr) return ctx.reply.integer(0);
  if (keyspace.find_write(destination) != nullptr && !options->replace) {
    return ctx.reply.integer(0);
  }
  // Looked up again: the destination's lookup may have expired keys since.
  const store::Entry* from = keyspace.peek(source);
  const int64_t expire_at_ms = from->expire_at_ms();
  if (from->type() == store::ValueType::string) {
    keyspace.set_string(destination, std::string(from->string_value()), expire_at_ms);
  } else {
    store::Entry* to =
        keyspace.store_collection(destination, copy_collection(ctx, *from->collection()));
    keyspace.set_expire(to, expire_at_ms);
  }
  ctx.server.key_modified(destination);
  ctx.server.notify_keyspace_event(server::event_generic, "copy_to", destination);
  ctx.reply.integer(1);
}

}  // namespace

void register_copy_command(CommandTable& table) {
  table.add(spec("copy", -3, copy_command)
                .flags(write_oom)
                .keys({1, 2, 1})
                .acl("@keyspace @write @slow")
                .group("generic")
                .doc("Copy a key", "6.2.0"));
}

}  // namespace ringcache::commands
