#include "runtime/sim/check/checkers.h"

#include "runtime/sim/check/crash_prefix.h"
#include "runtime/sim/check/linearizability.h"
#include "runtime/sim/check/single_node.h"

namespace ringcache::sim {

std::vector<CheckResult> run_history_checkers(const std::vector<std::string>& names,
                                              const CheckInput& input) {
  std::vector<CheckResult> results;
  for (const std::string& name : names) {
    if (name == "linearizability") results.push_back(check_linearizability(input));
    if (name == "stale_read") results.push_back(check_stale_reads(input));
    if (name == "expiry") results.push_back(check_expiry(input));
    if (name == "crash_prefix") results.push_back(check_crash_prefix(input));
  }
  return results;
}

}  // namespace ringcache::sim
