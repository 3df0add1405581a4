#pragma once
// A command as a RESP array of bulk strings: how clients send commands, and how the AOF and the
// replication stream record the writes a node applied.

#include <span>
#include <string>
#include <string_view>

namespace ringcache::protocol {

// Appends `argv` to `out` as "*<n>\r\n" followed by one "$<len>\r\n<arg>\r\n" per argument.
void append_resp_command(std::string& out, std::span<const std::string_view> argv);

}  // namespace ringcache::protocol
