// SORT and SORT_RO: the elements of a list, set or sorted set, ordered by their own value or by
// weights read from other keys (BY pattern), with LIMIT, GET patterns (`#` is the element,
// `key*->field` a hash field) and, for SORT, STORE into a list. Replies, error words and the
// order of equal elements follow Redis 7.0 (sort.c).

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/keys/keys_family.h"
#include "core/commands/spec_builder.h"
#include "core/server/acl/permissions.h"
#include "core/server/server.h"
#include "core/store/collection.h"
#include "core/store/hash_value.h"
#include "core/store/keyspace.h"
#include "core/store/list_value.h"
#include "core/store/set_value.h"
#include "core/store/zset_value.h"

namespace ringcache::commands {
namespace {

struct SortOptions {
  std::optional<std::string_view> by;  // BY pattern
  bool dont_sort = false;              // BY a pattern without '*': keep the stored order
  std::vector<std::string_view> gets;  // GET patterns, in order
  int64_t limit_start = 0;
  int64_t limit_count = -1;
  bool desc = false;
  bool alpha = false;
  std::optional<std::string_view> store;
};

// BY and GET patterns read keys the command's key spec does not name: the client's user must be
// allowed to read every key, as Redis requires.
bool may_read_any_key(CommandContext& ctx) {
  if (ctx.client.user == nullptr) return true;
  const CommandSpec* spec = ctx.server.commands().find(ctx.argv[0]);
  return spec != nullptr && server::acl::may_read_any_key(*ctx.client.user, *spec, ctx.argv);
}

// Parses argv[2..]; replies the error and returns nullopt on a bad option.
std::optional<SortOptions> parse_options(CommandContext& ctx, bool read_only) {
  SortOptions options;
  const auto& argv = ctx.argv;
  for (size_t j = 2; j < argv.size(); ++j) {
    const size_t left = argv.size() - j - 1;
    if (option_is(argv[j], "ASC")) {
      options.desc = false;
    } else if (option_is(argv[j], "DESC")) {
      options.desc = true;
    } else if (option_is(argv[j], "ALPHA")) {
      options.alpha = true;
    } else if (option_is(argv[j], "LIMIT") && left >= 2) {
      auto start = int64_or_reply(ctx, argv[j + 1]);
      if (!start) return std::nullopt;
      auto count = int64_or_reply(ctx, argv[j + 2]);
      if (!count) return std::nullopt;
      options.limit_start = *start;
      options.limit_count = *count;
      j += 2;
    } else if (option_is(argv[j], "STORE") && left >= 1 && !read_only) {
      options.store = argv[++j];
    } else if (option_is(argv[j], "BY") && left >= 1) {
      options.by = argv[++j];
      if (options.by->find('*') == std::string_view::npos) {
        options.dont_sort = true;
      } else if (ctx.server.config().cluster.enabled) {
        ctx.reply.error("ERR BY option of SORT denied in Cluster mode.");
        return std::nullopt;
      } else if (!may_read_any_key(ctx)) {
        ctx.reply.error("ERR BY option of SORT denied due to insufficient ACL permissions.");
        return std::nullopt;
      }
    } else if (option_is(argv[j], "GET") && left >= 1) {
      if (ctx.server.config().cluster.enabled) {
        ctx.reply.error("ERR GET option of SORT denied in Cluster mode.");
        return std::nullopt;
      }
      if (!may_read_any_key(ctx)) {
        ctx.reply.error("ERR GET option of SORT denied due to insufficient ACL permissions.");
        return std::nullopt;
      }
      options.gets.push_back(argv[++j]);
    } else {
      ctx.reply.error(errors::syntax);
      return std::nullopt;
    }
  }
  return options;
}

// The value a BY or GET pattern names for `element`: "#" is the element itself; otherwise the
// first '*' is replaced by the element and the string (or, after "->", the hash field) of that
// key is read. Absent keys, fields and wrong types give nullopt.
std::optional<std::string> lookup_by_pattern(CommandContext& ctx, std::string_view pattern,
                                             std::string_view element) {
  if (pattern == "#") return std::string(element);
  const size_t star = pattern.find('*');
  if (star == std::string_view::npos) return std::nullopt;
  std::string_view rest = pattern.substr(star + 1);
  std::optional<std::string_view> field;
  const size_t arrow = rest.find("->");
  if (arrow != std::string_view::npos && arrow + 2 < rest.size()) {
    field = rest.substr(arrow + 2);
    rest = rest.substr(0, arrow);
  }
  std::string key(pattern.substr(0, star));
  key.append(element).append(rest);
  const store::Entry* entry = ctx.server.keyspace().find_read(key);
  if (entry == nullptr) return std::nullopt;
  if (field) {
    if (entry->type() != store::ValueType::hash) return std::nullopt;
    auto value = static_cast<const store::HashValue*>(entry->collection())->get(*field);
    return value ? std::optional<std::string>(std::string(*value)) : std::nullopt;
  }
  if (entry->type() != store::ValueType::string) return std::nullopt;
  return std::string(entry->string_value());
}

// Redis reads weights with strtod over the whole text (leading spaces and "" accepted).
std::optional<double> weight_of(const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (*end != '\0' || errno == ERANGE || std::isnan(value)) return std::nullopt;
  return value;
}

// The range LIMIT selects of `size` elements, as [start, end] (end < start: none).
std::pair<int64_t, int64_t> limit_range(const SortOptions& options, int64_t size) {
  int64_t start = options.limit_start < 0 ? 0 : options.limit_start;
  int64_t end = options.limit_count < 0 ? size - 1 : start + options.limit_count - 1;
  if (start >= size) {
    start = size - 1;
    end = size - 2;
  }
  if (end >= size) end = size - 1;
  return {start, end};
}

struct Item {
  std::string element;
  double score = 0;
  std::optional<std::string> by_value;  // ALPHA with BY: the weight's text (null sorts first)
};

// The elements of `entry` (null: none) in stored order. A sorted set that is not sorted gives
// only the LIMIT range in rank order (reversed for DESC), as Redis does; `options` then has its
// limit rebased to that range.
std::vector<Item> load_items(const store::Entry* entry, SortOptions& options) {
  std::vector<Item> items;
  if (entry == nullptr) return items;
  const auto add = [&items](std::string_view element) {
    items.push_back(Item{std::string(element), 0, std::nullopt});
  };
  switch (entry->type()) {
    case store::ValueType::list:
      static_cast<const store::ListValue*>(entry->collection())
          ->visit(0, false, [&](size_t, std::string_view element) {
            add(element);
            return true;
          });
      break;
    case store::ValueType::set:
      static_cast<const store::SetValue*>(entry->collection())->for_each(add);
      break;
    case store::ValueType::zset: {
      const auto* zset = static_cast<const store::ZsetValue*>(entry->collection());
      const auto size = static_cast<int64_t>(zset->size());
      if (!options.dont_sort) {
        zset->visit(0, zset->size(), false, [&](std::string_view member, double) { add(member); });
        break;
      }
      const auto [start, end] = limit_range(options, size);
      if (end >= start) {
        const auto first = static_cast<size_t>(options.desc ? size - 1 - end : start);
        const auto last = static_cast<size_t>(options.desc ? size - start : end + 1);
        zset->visit(first, last, options.desc,
                    [&](std::string_view member, double) { add(member); });
      }
      options.limit_start = 0;
      options.limit_count = static_cast<int64_t>(items.size());
      break;
    }
    default:
      break;
  }
  return items;
}

// Reads each item's weight; false (after replying) when one is not a number.
bool load_weights(CommandContext& ctx, const SortOptions& options, std::vector<Item>& items) {
  for (Item& item : items) {
    std::optional<std::string> source = item.element;
    if (options.by) source = lookup_by_pattern(ctx, *options.by, item.element);
    if (options.alpha) {
      if (options.by) item.by_value = std::move(source);
      continue;
    }
    if (!source) continue;  // a missing weight counts as 0
    auto score = weight_of(*source);
    if (!score) {
      ctx.reply.error("ERR One or more scores can't be converted into double");
      return false;
    }
    item.score = *score;
  }
  return true;
}

// Redis' sortCompare: by score (ties by the elements' bytes), or ALPHA by the weights' or the
// elements' bytes; DESC reverses.
int compare(const SortOptions& options, const Item& a, const Item& b) {
  int cmp = 0;
  if (!options.alpha) {
    cmp = a.score > b.score ? 1 : a.score < b.score ? -1 : a.element.compare(b.element);
  } else if (options.by) {
    if (!a.by_value || !b.by_value) {
      cmp = a.by_value ? 1 : b.by_value ? -1 : 0;
    } else {
      cmp = a.by_value->compare(*b.by_value);
    }
  } else {
    cmp = a.element.compare(b.element);
  }
  cmp = cmp < 0 ? -1 : cmp > 0 ? 1 : 0;
  return options.desc ? -cmp : cmp;
}

// The output: each element, or for each element the value of every GET pattern.
std::vector<std::optional<std::string>> output_of(CommandContext& ctx, const SortOptions& options,
                                                  const std::vector<Item>& items, int64_t start,
                                                  int64_t end) {
  std::vector<std::optional<std::string>> out;
  for (int64_t i = start; i <= end; ++i) {
    const std::string& element = items[static_cast<size_t>(i)].element;
    if (options.gets.empty()) out.emplace_back(element);
    for (std::string_view pattern : options.gets) {
      out.push_back(lookup_by_pattern(ctx, pattern, element));
    }
  }
  return out;
}

// STORE: the output becomes a list (missing values as empty strings); an empty output deletes
// the destination.
void store_output(CommandContext& ctx, std::string_view destination,
                  const std::vector<std::optional<std::string>>& out) {
  auto& keyspace = ctx.server.keyspace();
  if (out.empty()) {
    if (keyspace.erase(destination)) {
      ctx.server.key_modified(destination);
      ctx.server.notify_keyspace_event(server::event_generic, "del", destination);
    }
    return ctx.reply.integer(0);
  }
  auto list = std::make_unique<store::ListValue>();
  const int64_t fill = ctx.server.config().encoding.list_max_listpack_size;
  for (const auto& value : out) list->push(store::ListEnd::tail, value.value_or(""), fill);
  keyspace.store_collection(destination, std::move(list));
  ctx.server.key_modified(destination);
  ctx.server.notify_keyspace_event(server::event_list, "sortstore", destination);
  ctx.reply.integer(static_cast<int64_t>(out.size()));
}

void sort_generic(CommandContext& ctx, bool read_only) {
  std::optional<SortOptions> options = parse_options(ctx, read_only);
  if (!options) return;
  auto& keyspace = ctx.server.keyspace();
  // A read even with STORE (it counts as a hit or miss), as Redis 7.0 looks it up.
  const store::Entry* entry = keyspace.find_read(ctx.argv[1]);
  if (entry != nullptr && entry->type() != store::ValueType::list &&
      entry->type() != store::ValueType::set && entry->type() != store::ValueType::zset) {
    return ctx.reply.error(errors::wrong_type);
  }
  // A set has no order of its own: stored (or replicated) results, and what a script reads (its
  // effects may depend on it), must not depend on it.
  const server::ScriptRun* script = ctx.server.running_script();
  const bool from_script = script != nullptr && &ctx.client == script->script_client;
  if (options->dont_sort && entry != nullptr && entry->type() == store::ValueType::set &&
      (options->store || from_script)) {
    options->dont_sort = false;
    options->alpha = true;
    options->by.reset();
  }
  std::vector<Item> items = load_items(entry, *options);
  const auto [start, end] = limit_range(*options, static_cast<int64_t>(items.size()));
  if (!options->dont_sort) {
    if (!load_weights(ctx, *options, items)) return;
    std::stable_sort(items.begin(), items.end(),
                     [&](const Item& a, const Item& b) { return compare(*options, a, b) < 0; });
  }
  const auto out = output_of(ctx, *options, items, start, end);
  if (options->store) return store_output(ctx, *options->store, out);
  ctx.reply.array(out.size());
  for (const auto& value : out) value ? ctx.reply.bulk(*value) : ctx.reply.null();
}

void sort_command(CommandContext& ctx) { sort_generic(ctx, false); }
void sort_ro_command(CommandContext& ctx) { sort_generic(ctx, true); }

// SORT's keys: the sorted key and the STORE destination (the last one named), skipping the
// arguments of the other options as the parser does.
std::vector<int> sort_keys(std::span<const std::string_view> argv) {
  std::vector<int> keys{1};
  int store = 0;
  for (size_t j = 2; j < argv.size(); ++j) {
    const size_t left = argv.size() - j - 1;
    if (option_is(argv[j], "LIMIT") && left >= 2) {
      j += 2;
    } else if ((option_is(argv[j], "GET") || option_is(argv[j], "BY")) && left >= 1) {
      ++j;
    } else if (option_is(argv[j], "STORE") && left >= 1) {
      store = static_cast<int>(++j);
    }
  }
  if (store != 0) keys.push_back(store);
  return keys;
}

}  // namespace

void register_sort_commands(CommandTable& table) {
  const SpecBuilder sort =
      SpecBuilder::family("generic", "{access} @set @sortedset @list @slow @dangerous", one_key);
  table.add(sort.command("sort", -2, sort_command)
                .flags(flag_write | flag_denyoom | flag_movablekeys)
                .key_finder(sort_keys)
                .doc("Sort the elements in a list, set or sorted set", "1.0.0"));
  // SORT_RO names one key, but its BY and GET patterns read keys no position tells: Redis marks
  // it movablekeys, so clients do not trust its first/last/step alone.
  table.add(sort.command("sort_ro", -2, sort_ro_command)
                .flags(flag_readonly | flag_movablekeys)
                .doc("Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
                     "7.0.0"));
}

}  // namespace ringcache::commands
