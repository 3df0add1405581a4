#include "core/commands/list/list_access.h"

#include <memory>

#include "core/commands/arguments.h"
#include "core/server/pubsub/keyspace_events.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"
#include "core/util/assert.h"

namespace ringcache::commands {

using store::Entry;
using store::ListEnd;
using store::ListValue;

ListValue* list_of(Entry* entry) {
  if (entry == nullptr) return nullptr;
  RING_ASSERT(entry->type() == store::ValueType::list);
  return static_cast<ListValue*>(entry->collection());
}

bool find_list_for_write(CommandContext& ctx, std::string_view key, Entry*& entry) {
  entry = ctx.server.keyspace().find_write(key);
  return !reject_wrong_type(ctx, entry, store::ValueType::list);
}

std::vector<std::string> pop_from_list(CommandContext& ctx, Entry* entry, std::string_view key,
                                       ListEnd end, size_t count) {
  ListValue* list = list_of(entry);
  RING_ASSERT(list != nullptr && list->size() > 0);
  std::vector<std::string> popped;
  const size_t taken = std::min(count, list->size());
  popped.reserve(taken);
  for (size_t i = 0; i < taken; ++i) popped.push_back(list->pop(end));
  const bool removed = ctx.server.keyspace().collection_written(entry);
  ctx.server.notify_keyspace_event(server::event_list, end == ListEnd::head ? "lpop" : "rpop", key);
  if (removed) ctx.server.notify_keyspace_event(server::event_generic, "del", key);
  ctx.server.key_modified(key);
  return popped;
}

size_t push_to_list(CommandContext& ctx, Entry* entry, std::string_view key, ListEnd end,
                    std::span<const std::string_view> values) {
  auto& keyspace = ctx.server.keyspace();
  if (entry == nullptr) entry = keyspace.add_collection(key, std::make_unique<ListValue>());
  ListValue* list = list_of(entry);
  const int64_t fill = ctx.server.config().encoding.list_max_listpack_size;
  for (std::string_view value : values) list->push(end, value, fill);
  const size_t length = list->size();
  keyspace.collection_written(entry);
  ctx.server.notify_keyspace_event(server::event_list, end == ListEnd::head ? "lpush" : "rpush",
                                   key);
  ctx.server.key_modified(key);
  return length;
}

std::optional<ListEnd> parse_list_end(std::string_view word) {
  if (option_is(word, "LEFT")) return ListEnd::head;
  if (option_is(word, "RIGHT")) return ListEnd::tail;
  return std::nullopt;
}

std::string_view list_end_word(ListEnd end) { return end == ListEnd::head ? "LEFT" : "RIGHT"; }

MoveOutcome move_if_source_exists(CommandContext& ctx, std::string_view source,
                                  std::string_view destination, ListEnd from, ListEnd to) {
  Entry* source_entry = nullptr;
  if (!find_list_for_write(ctx, source, source_entry)) return MoveOutcome::replied;
  if (source_entry == nullptr) return MoveOutcome::source_missing;
  Entry* destination_entry = nullptr;
  if (!find_list_for_write(ctx, destination, destination_entry)) return MoveOutcome::replied;
  auto& keyspace = ctx.server.keyspace();
  ListValue* list = list_of(source_entry);
  RING_ASSERT(list != nullptr && list->size() > 0);
  std::string value = list->pop(from);
  const std::string_view pushed[] = {value};
  bool removed = false;
  if (source == destination) {
    // A rotation: the list never empties, so it stays one entry throughout.
    push_to_list(ctx, source_entry, destination, to, pushed);
  } else {
    removed = keyspace.collection_written(source_entry);
    push_to_list(ctx, keyspace.find_write(destination), destination, to, pushed);
  }
  // Redis reports the pop after the push, and an emptied source's "del" last.
  ctx.server.notify_keyspace_event(server::event_list, from == ListEnd::head ? "lpop" : "rpop",
                                   source);
  if (removed) ctx.server.notify_keyspace_event(server::event_generic, "del", source);
  ctx.server.key_modified(source);
  ctx.reply.bulk(value);
  return MoveOutcome::replied;
}

void reply_key_and_elements(CommandContext& ctx, std::string_view key,
                            const std::vector<std::string>& elements) {
  ctx.reply.array(2);
  ctx.reply.bulk(key);
  ctx.reply.array(elements.size());
  for (const auto& element : elements) ctx.reply.bulk(element);
}

namespace {
// A positive count as Redis' getRangeLongFromObjectOrReply(1, LONG_MAX) reads it, with the
// command's own error words for anything else.
std::optional<int64_t> positive_or_reply(CommandContext& ctx, std::string_view text,
                                         std::string_view error) {
  const auto value = parse_int64(text);
  if (!value || *value < 1) {
    ctx.reply.error(error);
    return std::nullopt;
  }
  return value;
}
}  // namespace

std::optional<MultiPopArgs> parse_multi_pop(CommandContext& ctx, size_t first) {
  const auto numkeys = positive_or_reply(ctx, ctx.argv[first], "ERR numkeys should be greater than 0");
  if (!numkeys) return std::nullopt;
  const size_t remaining = ctx.argv.size() - first - 1;
  if (static_cast<uint64_t>(*numkeys) >= remaining) {
    ctx.reply.error(errors::syntax);
    return std::nullopt;
  }
  MultiPopArgs args;
  args.keys.assign(ctx.argv.begin() + static_cast<ptrdiff_t>(first + 1),
                   ctx.argv.begin() + static_cast<ptrdiff_t>(first + 1 + *numkeys));
  size_t i = first + 1 + static_cast<size_t>(*numkeys);
  const auto end = parse_list_end(ctx.argv[i]);
  if (!end) {
    ctx.reply.error(errors::syntax);
    return std::nullopt;
  }
  args.end = *end;
  for (++i; i < ctx.argv.size(); ++i) {
    if (args.count_given || !option_is(ctx.argv[i], "COUNT") || i + 1 >= ctx.argv.size()) {
      ctx.reply.error(errors::syntax);
      return std::nullopt;
    }
    const auto count = positive_or_reply(ctx, ctx.argv[++i], "ERR count should be greater than 0");
    if (!count) return std::nullopt;
    args.count = static_cast<size_t>(*count);
    args.count_given = true;
  }
  return args;
}

std::vector<int> multi_pop_keys(std::span<const std::string_view> argv, size_t numkeys_at) {
  std::vector<int> positions;
  if (numkeys_at >= argv.size()) return positions;
  const auto numkeys = parse_int64(argv[numkeys_at]);
  if (!numkeys || *numkeys < 1) return positions;
  for (size_t i = 0; i < static_cast<uint64_t>(*numkeys) && numkeys_at + 1 + i < argv.size();
       ++i) {
    positions.push_back(static_cast<int>(numkeys_at + 1 + i));
  }
  return positions;
}

bool first_nonempty_list(CommandContext& ctx, std::span<const std::string_view> keys,
                         Entry*& found, std::string_view& found_key) {
  found = nullptr;
  for (std::string_view key : keys) {
    Entry* entry = nullptr;
    if (!find_list_for_write(ctx, key, entry)) return false;
    if (entry != nullptr) {
      found = entry;
      found_key = key;
      return true;
    }
  }
  return true;
}

}  // namespace ringcache::commands
