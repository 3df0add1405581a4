#pragma once
// A propagation sink for tests: records each unit as its commands joined by spaces, the commands
// of one unit separated by " | ".

#include <string>
#include <vector>

#include "core/server/propagation_sink.h"

namespace ringcache::testing {

class RecordingSink final : public server::PropagationSink {
 public:
  void propagate(const server::PropagatedUnit& unit) override {
    std::string text;
    for (const server::ArgvView argv : unit.commands) {
      if (!text.empty()) text += " | ";
      for (size_t i = 0; i < argv.size(); ++i) text += (i ? " " : "") + std::string(argv[i]);
    }
    units.push_back(text);
  }
  std::vector<std::string> units;
};

}  // namespace ringcache::testing
