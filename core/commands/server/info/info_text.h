#pragma once
// The text INFO replies with, and the section writers that fill it (one file per group of
// sections). Field names and their order are Redis 7.0's, so tools that parse INFO find what they
// look for; fields for machinery ringcache does not have (RDB, forks, modules, defrag) carry the
// values a Redis that never used it prints.

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>

#include "core/commands/command.h"
#include "core/server/server.h"

namespace ringcache::commands::info {

class InfoText {
 public:
  // Sections are separated by an empty line, as Redis writes them.
  void section(std::string_view title) {
    if (!text_.empty()) text_ += "\r\n";
    fmt::format_to(std::back_inserter(text_), "# {}\r\n", title);
  }
  template <typename T>
  void field(std::string_view name, const T& value) {
    fmt::format_to(std::back_inserter(text_), "{}:{}\r\n", name, value);
  }
  // Several fields that all read zero (machinery that does not exist here).
  void zeros(std::initializer_list<std::string_view> names) {
    for (std::string_view name : names) field(name, 0);
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// Redis' bytesToHuman: 1023B, 1.00K, 2.50M ...
std::string human_bytes(uint64_t bytes);
// A ratio as Redis prints it ("%.2f"); 0 when the divisor is 0.
std::string ratio_text(uint64_t numerator, uint64_t denominator);

// The memory figures INFO memory and MEMORY STATS share; reading them raises the peak.
struct MemoryFigures {
  uint64_t used = 0;            // what the keyspace accounts (eviction's measure)
  uint64_t rss = 0;             // resident size of the process (0 where unknown)
  uint64_t peak = 0;            // the highest `used` read so far
  uint64_t clients_normal = 0;  // query and output buffers of the connected clients
};
MemoryFigures memory_figures(server::Server& server);  // info_memory.cpp

// The section writers, in INFO's order (info_*.cpp).
void server_section(server::Server& server, InfoText& info);        // info_server.cpp
void clients_section(server::Server& server, InfoText& info);       // info_server.cpp
void memory_section(server::Server& server, InfoText& info);        // info_memory.cpp
void persistence_section(server::Server& server, InfoText& info);   // info_persistence.cpp
void stats_section(server::Server& server, InfoText& info);         // info_stats.cpp
void replication_section(server::Server& server, InfoText& info);   // info_replication.cpp
void cpu_section(server::Server& server, InfoText& info);           // info_replication.cpp
void modules_section(server::Server& server, InfoText& info);       // info_replication.cpp
void commandstats_section(server::Server& server, InfoText& info);  // info_commands.cpp
void errorstats_section(server::Server& server, InfoText& info);    // info_commands.cpp
void latencystats_section(server::Server& server, InfoText& info);  // info_commands.cpp
void cluster_section(server::Server& server, InfoText& info);       // info_replication.cpp
void keyspace_section(server::Server& server, InfoText& info);      // info_replication.cpp

}  // namespace ringcache::commands::info
