#pragma once
// Wing & Gong's linearizability search in Lowe's just-in-time form, as Porcupine implements it:
// walk the call/return events in time order; at a call, try to linearize that operation now
// (step the model; skip states already seen with the same set of linearized operations); at a
// return whose operation is not linearized yet, backtrack.

#include <cstddef>
#include <vector>

#include "runtime/sim/check/lin_model.h"

namespace ringcache::sim::lin {

struct SearchResult {
  enum class Verdict { linearizable, violation, inconclusive } verdict;
  size_t deepest = 0;   // most operations linearized at once
  size_t stuck_at = 0;  // index into steps: the first operation left out at the deepest point
};

SearchResult search(const ModelContext& context, const std::vector<Step>& steps, size_t states_max);

}  // namespace ringcache::sim::lin
