#include "core/server/pubsub/keyspace_events.h"

#include <array>
#include <utility>

namespace ringcache::server {
namespace {

// The letters "A" stands for, then "n", in the order CONFIG GET prints them.
constexpr std::array<std::pair<char, uint32_t>, 11> class_letters = {{
    {'g', event_generic}, {'$', event_string}, {'l', event_list}, {'s', event_set},
    {'h', event_hash}, {'z', event_zset}, {'x', event_expired}, {'e', event_evicted},
    {'t', event_stream}, {'d', event_module}, {'n', event_new_key},
}};
// Printed after the classes whatever else is set.
constexpr std::array<std::pair<char, uint32_t>, 3> trailing_letters = {{
    {'K', event_keyspace}, {'E', event_keyevent}, {'m', event_key_miss},
}};

}  // namespace

std::optional<uint32_t> parse_keyspace_events(std::string_view letters) {
  uint32_t classes = 0;
  for (char letter : letters) {
    if (letter == 'A') {
      classes |= event_all;
      continue;
    }
    uint32_t found = 0;
    for (const auto& [known, bit] : class_letters) found |= known == letter ? bit : 0;
    for (const auto& [known, bit] : trailing_letters) found |= known == letter ? bit : 0;
    if (found == 0) return std::nullopt;
    classes |= found;
  }
  return classes;
}

std::string format_keyspace_events(uint32_t classes) {
  std::string letters;
  // As Redis 7.0 prints it: with every class of "A" set, "A" alone stands for them (and an "n"
  // set beside them is not shown).
  if ((classes & event_all) == event_all) {
    letters += 'A';
  } else {
    for (const auto& [letter, bit] : class_letters) {
      if ((classes & bit) != 0) letters += letter;
    }
  }
  for (const auto& [letter, bit] : trailing_letters) {
    if ((classes & bit) != 0) letters += letter;
  }
  return letters;
}

}  // namespace ringcache::server
