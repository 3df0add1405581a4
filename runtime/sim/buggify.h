#pragma once
// Fault sites inside the code, as FoundationDB's BUGGIFY: Runtime::buggify(site) returns true
// when the simulator wants the unusual path taken. Per run, each site is switched on or off the
// first time it is reached (from the seed); a site that is on then fires with a fixed chance.
// Sites are kept in a sorted map so the report of chosen sites is in a stable order.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/util/rng.h"

namespace ringcache::sim {

class Buggify {
 public:
  Buggify(uint64_t seed, bool enabled, double site_on_chance = 0.25, double fire_chance = 0.25)
      : rng_(seed), enabled_(enabled), site_on_chance_(site_on_chance), fire_chance_(fire_chance) {}

  bool fire(std::string_view site) {
    if (!enabled_) return false;
    auto found = sites_.find(site);
    if (found == sites_.end()) {
      found = sites_.emplace(std::string(site), Site{rng_.chance(site_on_chance_), 0}).first;
    }
    if (!found->second.on || !rng_.chance(fire_chance_)) return false;
    ++found->second.fired;
    return true;
  }

  struct Site {
    bool on = false;
    uint64_t fired = 0;
  };
  bool enabled() const { return enabled_; }
  const std::map<std::string, Site, std::less<>>& sites() const { return sites_; }

 private:
  Rng rng_;
  bool enabled_;
  double site_on_chance_;
  double fire_chance_;
  std::map<std::string, Site, std::less<>> sites_;
};

}  // namespace ringcache::sim
