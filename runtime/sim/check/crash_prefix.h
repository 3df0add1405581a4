#pragma once
// crash_prefix: what an append-only log promises across a crash, checked across keys. The node
// comes back in the state after some prefix of the writes it executed — never with a later write
// kept and an earlier one lost, whatever keys they touched. (stale_read judges each key alone, so
// it cannot see a hole in the middle of the log.)
//
// For each crash followed by a restart on the same disk, every read after the restart that
// surely ran before any new write of its key shows which writes survived: a read showing the
// value of SET w means the prefix ends after w began; if a write of that key surely came after w
// and was acknowledged, the prefix ends before that acknowledgement. The crash fails the check
// when no single cut point satisfies all those bounds.

#include "runtime/sim/check/check.h"
#include "runtime/sim/check/reads_from.h"

namespace ringcache::sim {

CheckResult check_crash_prefix(const CheckInput& input, const ReadsFrom& reads_from);

}  // namespace ringcache::sim
