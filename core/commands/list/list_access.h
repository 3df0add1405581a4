#pragma once
// What the list commands (lists.cpp) and the blocking list commands (lists_blocking.cpp) share:
// finding a list for a command, popping and pushing with the keyspace events, dirty counting and
// key removal Redis does around them, and the LEFT/RIGHT words.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/command.h"
#include "core/store/entry.h"
#include "core/store/list_value.h"

namespace ringcache::commands {

// The list held by `entry` (which must be a list entry), or nullptr for a missing key.
store::ListValue* list_of(store::Entry* entry);

// Looks `key` up for writing; replies WRONGTYPE and returns false when it holds another type.
// `entry` is nullptr for a missing key.
bool find_list_for_write(CommandContext& ctx, std::string_view key, store::Entry*& entry);

// Pops up to `count` elements from the list at `entry` (a non-empty list under `key`), reports
// "lpop"/"rpop" (and "del" when it empties) and counts the change. The entry may be gone after.
std::vector<std::string> pop_from_list(CommandContext& ctx, store::Entry* entry,
                                       std::string_view key, store::ListEnd end, size_t count);

// Pushes `values` one by one at `end` of the list at `key` (created when `entry` is nullptr),
// reports "lpush"/"rpush" and counts the change. Returns the new length.
size_t push_to_list(CommandContext& ctx, store::Entry* entry, std::string_view key,
                    store::ListEnd end, std::span<const std::string_view> values);

// LEFT / RIGHT (any case); nullopt for anything else.
std::optional<store::ListEnd> parse_list_end(std::string_view word);
std::string_view list_end_word(store::ListEnd end);  // "LEFT" / "RIGHT"

// LMOVE's work: pops one element from `source` and pushes it onto `destination`, replying the
// element; or replies WRONGTYPE when either key holds another type. A missing source is
// reported before the destination's type is looked at (as Redis does), without a reply.
enum class MoveOutcome { replied, source_missing };
MoveOutcome move_if_source_exists(CommandContext& ctx, std::string_view source,
                                  std::string_view destination, store::ListEnd from,
                                  store::ListEnd to);

// LMPOP/BLMPOP's reply: [key, [elements...]].
void reply_key_and_elements(CommandContext& ctx, std::string_view key,
                            const std::vector<std::string>& elements);

// Parses "numkeys key... LEFT|RIGHT [COUNT n]" from argv[first] on, as LMPOP and BLMPOP take
// it; replies the error and returns nullopt on bad input.
struct MultiPopArgs {
  std::vector<std::string_view> keys;
  store::ListEnd end = store::ListEnd::head;
  size_t count = 1;
  bool count_given = false;
};
std::optional<MultiPopArgs> parse_multi_pop(CommandContext& ctx, size_t first);
// The key positions of an LMPOP/BLMPOP call whose numkeys sits at argv[numkeys_at].
std::vector<int> multi_pop_keys(std::span<const std::string_view> argv, size_t numkeys_at);

// The first non-empty list among `keys`; replies WRONGTYPE and returns false when one of the
// keys looked at first holds another type. `found` is nullptr when every list is empty.
bool first_nonempty_list(CommandContext& ctx, std::span<const std::string_view> keys,
                         store::Entry*& found, std::string_view& found_key);

}  // namespace ringcache::commands
