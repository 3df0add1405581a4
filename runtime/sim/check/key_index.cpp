#include "runtime/sim/check/key_index.h"

#include <algorithm>

namespace ringcache::sim {

void KeyIndex::add(size_t index) {
  const Op& op = input_.history.ops[index];
  if (op.reply && op.reply->is_error()) return;  // refused: no effect
  switch (op.kind) {
    case OpKind::set:
    case OpKind::del:
      writes_.add(op);
      if (op.completed()) acked_.emplace_back(op.complete_ns, op.invoke_ns);
      break;
    case OpKind::expire:
    case OpKind::pexpire:
      if (!op.reply || op.reply->integer == 1) expiries_.add(op);
      break;
    case OpKind::get:
      if (op.reply) reads_.push_back(index);
      break;
    case OpKind::incr:
    case OpKind::script_incr:
      break;
  }
  if (op.completed() && op.kind != OpKind::get) {
    longest_ns_ = std::max(longest_ns_, op.complete_ns - op.invoke_ns);
  }
}

void KeyIndex::Timeline::sort() {
  auto by_invoke = [](const Op* a, const Op* b) { return a->invoke_ns < b->invoke_ns; };
  std::stable_sort(done.begin(), done.end(), by_invoke);
  std::stable_sort(unfinished.begin(), unfinished.end(), by_invoke);
}

void KeyIndex::finish() {
  writes_.sort();
  expiries_.sort();
  std::sort(acked_.begin(), acked_.end());
  for (size_t i = 1; i < acked_.size(); ++i) {
    acked_[i].second = std::max(acked_[i].second, acked_[i - 1].second);
  }
}

const Op* KeyIndex::set_read_by(size_t read_index) const {
  const int64_t index = reads_from_.write_of(read_index);
  return index < 0 ? nullptr : &input_.history.ops[static_cast<size_t>(index)];
}

int64_t KeyIndex::horizon_before(int64_t t) const {
  auto end = std::lower_bound(acked_.begin(), acked_.end(), std::pair<int64_t, int64_t>{t, INT64_MIN});
  return end == acked_.begin() ? INT64_MIN : std::prev(end)->second;
}

bool KeyIndex::acked_between(int64_t from_ns, int64_t to_ns) const {
  auto first = std::lower_bound(acked_.begin(), acked_.end(),
                                std::pair<int64_t, int64_t>{from_ns, INT64_MIN});
  return first != acked_.end() && first->first < to_ns;
}

// Operations invoked before `read` ended and not completed before from_ns. A completed one that
// ends at or after from_ns began at or after from_ns - longest_ns_, which bounds the search.
std::vector<const Op*> KeyIndex::concurrent(const Timeline& timeline, const Op& read,
                                            int64_t from_ns) const {
  auto invoked_before = [](const Op* op, int64_t t) { return op->invoke_ns < t; };
  std::vector<const Op*> out;
  const int64_t earliest = from_ns == INT64_MIN ? INT64_MIN : from_ns - longest_ns_;
  auto it = std::lower_bound(timeline.done.begin(), timeline.done.end(), earliest, invoked_before);
  for (; it != timeline.done.end() && (*it)->invoke_ns < read.complete_ns; ++it) {
    if ((*it)->complete_ns >= from_ns) out.push_back(*it);
  }
  for (const Op* op : timeline.unfinished) {
    if (op->invoke_ns >= read.complete_ns) break;
    out.push_back(op);
  }
  return out;
}

std::vector<const Op*> KeyIndex::current(const Op& read, int64_t from) const {
  std::vector<const Op*> out = concurrent(writes_, read, from);
  std::vector<const Op*> expiries = concurrent(expiries_, read, from);
  out.insert(out.end(), expiries.begin(), expiries.end());
  return out;
}

std::vector<const Op*> KeyIndex::expiries_after(const Op& write, const Op& read) const {
  return concurrent(expiries_, read, write.invoke_ns);
}

}  // namespace ringcache::sim
