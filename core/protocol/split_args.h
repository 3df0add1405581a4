#pragma once
// Splits one line into arguments with the quoting rules of Redis inline commands, redis.conf
// lines and redis-cli (Redis' sdssplitargs): blanks separate arguments; "double quotes" take
// \n \r \t \b \a \\ \" and \xHH escapes; 'single quotes' take only \'; a closing quote must be
// followed by a blank or the end of the line; a NUL byte ends the line.

#include <string>
#include <string_view>
#include <vector>

namespace ringcache::protocol {

// Appends the arguments of `line` to `out`. Returns false (unbalanced quotes) on an unterminated
// quote or a closing quote glued to more text; `out` then holds a partial result.
bool split_args(std::string_view line, std::vector<std::string>& out);

}  // namespace ringcache::protocol
