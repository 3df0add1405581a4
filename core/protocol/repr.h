#pragma once
// Bytes as Redis quotes them for people (MONITOR lines, CLUSTER NODES-style dumps): in double
// quotes, with \\ \" \n \r \t \a \b escaped and other unprintable bytes as \xHH. split_args
// reads this form back.

#include <string>
#include <string_view>

namespace ringcache::protocol {

void append_repr(std::string& out, std::string_view bytes);

}  // namespace ringcache::protocol
