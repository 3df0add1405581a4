#pragma once
// Glob-style matching with the exact semantics of Redis' stringmatchlen (KEYS, SCAN MATCH,
// CONFIG GET, PSUBSCRIBE), quirks included, so patterns select the same keys as on Redis:
//   *        any run of bytes (an empty subject matches only an empty pattern)
//   ?        any one byte
//   [abc]    one byte of the set; [^abc] negated; [a-z] a range (ends may come in either order);
//            \x inside brackets is x literally; an unclosed bracket ends at the pattern's end
//   \x       x literally
// Bytes compare as signed chars, as Redis' C code does, so ranges over bytes >= 0x80 behave
// the same way.

#include <string_view>

namespace ringcache::util {

// nocase folds ASCII letters only (Redis folds with the C locale's tolower: the same thing).
bool glob_match(std::string_view pattern, std::string_view subject, bool nocase = false);

}  // namespace ringcache::util
