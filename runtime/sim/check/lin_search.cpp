#include "runtime/sim/check/lin_search.h"

#include <algorithm>
#include <cstdint>
#include <unordered_set>

namespace ringcache::sim::lin {
namespace {

// A doubly linked list of call and return events; lifting an operation unlinks both of its
// events, and undoing it relinks them (always in reverse order, so the pointers are still right).
struct Event {
  size_t step = 0;
  bool is_call = false;
  Event* prev = nullptr;
  Event* next = nullptr;
  Event* match = nullptr;  // call -> its return
};

class EventList {
 public:
  explicit EventList(std::span<const Step> steps) : events_(steps.size() * 2 + 1) {
    std::vector<Event*> order;
    for (size_t i = 0; i < steps.size(); ++i) {
      Event& call = events_[2 * i + 1];
      Event& ret = events_[2 * i + 2];
      call = Event{i, true, nullptr, nullptr, &ret};
      ret = Event{i, false, nullptr, nullptr, nullptr};
      order.push_back(&call);
      order.push_back(&ret);
    }
    // Time order; at equal times calls first (treating touching operations as concurrent is
    // the permissive reading), then by operation for determinism.
    auto time = [&](const Event* e) {
      return e->is_call ? steps[e->step].call_ns : steps[e->step].return_ns;
    };
    std::sort(order.begin(), order.end(), [&](const Event* a, const Event* b) {
      if (time(a) != time(b)) return time(a) < time(b);
      if (a->is_call != b->is_call) return a->is_call;
      return a->step < b->step;
    });
    Event* previous = &events_[0];
    for (Event* event : order) {
      previous->next = event;
      event->prev = previous;
      previous = event;
    }
  }
  Event* first() { return events_[0].next; }
  Event* call_of(size_t step) { return &events_[2 * step + 1]; }
  static void lift(Event* call) {
    unlink(call);
    unlink(call->match);
  }
  static void unlift(Event* call) {
    relink(call->match);
    relink(call);
  }

 private:
  static void unlink(Event* e) {
    e->prev->next = e->next;
    if (e->next) e->next->prev = e->prev;
  }
  static void relink(Event* e) {
    e->prev->next = e;
    if (e->next) e->next->prev = e;
  }
  std::vector<Event> events_;  // [0] is the head sentinel
};

struct Memo {
  std::vector<uint64_t> linearized;
  State state;
  bool operator==(const Memo& other) const = default;
};
struct MemoHash {
  size_t operator()(const Memo& memo) const {
    uint64_t hash = 0xcbf29ce484222325ULL;
    auto mix = [&](uint64_t word) { hash = (hash ^ word) * 0x100000001b3ULL; };
    for (uint64_t word : memo.linearized) mix(word);
    mix(static_cast<uint64_t>(memo.state.value));
    mix(static_cast<uint64_t>(memo.state.expire_lo_ms));
    mix(static_cast<uint64_t>(memo.state.expire_hi_ms));
    mix(static_cast<uint64_t>(memo.state.expiry_since_ns));
    mix(static_cast<uint64_t>(memo.state.clock_node));
    return static_cast<size_t>(hash);
  }
};

struct Frame {
  Event* call;
  State before;
  size_t branch;
};

// One search over a piece, run once per start configuration; the memo is shared between starts
// (a (linearized set, state) pair has the same futures whichever start reached it). The piece
// ends once every operation that returns within it is linearized; operations still in flight
// then may stay pending.
class Searcher {
 public:
  Searcher(const ModelContext& context, const Piece& piece, const SearchLimits& limits)
      : context_(context),
        piece_(piece),
        steps_(piece.steps),
        limits_(limits),
        list_(steps_),
        linearized_((steps_.size() + 63) / 64, 0),
        open_(steps_.size()) {
    for (size_t i = 0; i < steps_.size(); ++i) {
      open_[i] = steps_[i].return_ns >= piece.next_call_ns && piece.next_call_ns != never_ns;
      if (!open_[i]) ++closed_left_;
    }
    seen_.reserve(steps_.size() * 2);
  }

  // False when over budget.
  bool run(const Config& start) {
    std::vector<Event*> done = take_done(start);
    if (!seen_.insert(Memo{linearized_, start.state}).second) {  // a start seen before
      untake(done);
      return true;
    }
    State state = start.state;
    Event* event = list_.first();
    size_t first_branch = 0;
    while (true) {
      if (closed_left_ == 0) {  // every operation that returns in the piece is linearized
        if (!record_end(state)) return false;
        if (!limits_.all_ends) return true;
      } else if (event->is_call) {
        if (!try_call(event, state, first_branch)) return false;
        continue;
      } else if (stack_.size() == result_.deepest) {
        result_.stuck_at = event->step;  // a return whose operation is not linearized yet
      }
      if (stack_.empty()) break;          // every order from this start tried
      const Frame frame = stack_.back();  // undo the last choice and try its next branch
      stack_.pop_back();
      untake(frame.call);
      state = frame.before;
      event = frame.call;
      first_branch = frame.branch + 1;
    }
    untake(done);
    return true;
  }

  SearchResult& result() { return result_; }

 private:
  // Marks the carried operations `start` has already linearized (not pending) as done.
  std::vector<Event*> take_done(const Config& start) {
    std::vector<Event*> done;
    for (size_t i = 0; i < piece_.carried; ++i) {
      const auto& pending = start.pending;
      if (std::binary_search(pending.begin(), pending.end(), steps_[i].op_index)) continue;
      done.push_back(list_.call_of(i));
      take(done.back());
    }
    return done;
  }
  void untake(const std::vector<Event*>& done) {
    for (auto it = done.rbegin(); it != done.rend(); ++it) untake(*it);
  }
  void take(Event* call) {
    EventList::lift(call);
    linearized_[call->step / 64] |= uint64_t{1} << (call->step % 64);
    if (!open_[call->step]) --closed_left_;
  }
  void untake(Event* call) {
    EventList::unlift(call);
    linearized_[call->step / 64] &= ~(uint64_t{1} << (call->step % 64));
    if (!open_[call->step]) ++closed_left_;
  }

  // At a call: linearize its operation now if some branch leads to a state not seen with this
  // linearized set (then `event` restarts at the first event left), else move on to the next
  // event. False when over budget.
  bool try_call(Event*& event, State& state, size_t& first_branch) {
    const States next = next_states(context_, state, steps_[event->step]);
    uint64_t& word = linearized_[event->step / 64];
    const uint64_t bit = uint64_t{1} << (event->step % 64);
    const size_t first = first_branch;
    first_branch = 0;
    for (size_t branch = first; branch < next.size(); ++branch) {
      word |= bit;  // tried with the operation linearized; taken back if seen before
      const bool fresh = seen_.insert(Memo{linearized_, next[branch]}).second;
      word &= ~bit;
      if (!fresh) continue;
      if (seen_.size() > limits_.states_max) return false;
      stack_.push_back({event, state, branch});
      state = next[branch];
      take(event);
      result_.deepest = std::max(result_.deepest, stack_.size());
      event = list_.first();
      return true;
    }
    event = event->next;
    return true;
  }

  bool record_end(const State& state) {
    Config end{state, {}};
    for (size_t i = 0; i < steps_.size(); ++i) {
      if (open_[i] && !(linearized_[i / 64] >> (i % 64) & 1)) {
        end.pending.push_back(steps_[i].op_index);
      }
    }
    std::sort(end.pending.begin(), end.pending.end());
    auto& ends = result_.ends;
    if (std::find(ends.begin(), ends.end(), end) != ends.end()) return true;
    if (piece_.pending_droppable && !keep_widest(end)) return true;
    ends.push_back(std::move(end));
    return !limits_.all_ends || ends.size() <= limits_.end_states_max;
  }
  // With droppable pending operations: false when an end in the same state already has every
  // operation of `end` pending; else drops the ends `end` stands for.
  bool keep_widest(const Config& end) {
    auto& ends = result_.ends;
    auto holds = [](const Config& wide, const Config& narrow) {
      return wide.state == narrow.state &&
             std::includes(wide.pending.begin(), wide.pending.end(), narrow.pending.begin(),
                           narrow.pending.end());
    };
    for (const Config& other : ends) {
      if (holds(other, end)) return false;
    }
    std::erase_if(ends, [&](const Config& other) { return holds(end, other); });
    return true;
  }

  const ModelContext& context_;
  const Piece& piece_;
  std::span<const Step> steps_;
  const SearchLimits& limits_;
  EventList list_;
  std::vector<uint64_t> linearized_;
  std::vector<bool> open_;  // may stay pending past the piece's end
  size_t closed_left_ = 0;  // operations not open and not linearized yet
  // Lookups only: the memo's order never reaches any output.
  std::unordered_set<Memo, MemoHash> seen_;
  std::vector<Frame> stack_;
  SearchResult result_{SearchResult::Verdict::linearizable, 0, 0, {}};
};

}  // namespace

SearchResult search(const ModelContext& context, const Piece& piece,
                    const std::vector<Config>& starts, const SearchLimits& limits) {
  Searcher searcher(context, piece, limits);
  for (const Config& start : starts) {
    if (!searcher.run(start)) return {SearchResult::Verdict::inconclusive, 0, 0, {}};
    if (!limits.all_ends && !searcher.result().ends.empty()) break;
  }
  SearchResult& result = searcher.result();
  if (result.ends.empty()) result.verdict = SearchResult::Verdict::violation;
  return std::move(result);
}

}  // namespace ringcache::sim::lin
