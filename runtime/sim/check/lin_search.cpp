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

// One search over `steps`, run once per start state; the memo is shared between starts (a
// (linearized set, state) pair has the same futures whichever start reached it).
class Searcher {
 public:
  Searcher(const ModelContext& context, std::span<const Step> steps, const SearchLimits& limits)
      : context_(context), steps_(steps), limits_(limits), list_(steps),
        linearized_((steps.size() + 63) / 64, 0) {
    seen_.reserve(steps.size() * 2);
  }

  // False when over budget.
  bool run(const State& start) {
    if (!seen_.insert(Memo{linearized_, start}).second) return true;  // a start seen before
    State state = start;
    Event* event = list_.first();
    size_t first_branch = 0;
    while (true) {
      if (event == nullptr) {  // everything linearized: a legal order
        if (!record_end(state)) return false;
        if (!limits_.all_ends) return true;
      } else if (event->is_call) {
        if (!try_call(event, state, first_branch)) return false;
        continue;
      } else if (stack_.size() == result_.deepest) {
        result_.stuck_at = event->step;  // a return whose operation is not linearized yet
      }
      if (stack_.empty()) return true;  // every order from this start tried
      const Frame frame = stack_.back();  // undo the last choice and try its next branch
      stack_.pop_back();
      EventList::unlift(frame.call);
      linearized_[frame.call->step / 64] &= ~(uint64_t{1} << (frame.call->step % 64));
      state = frame.before;
      event = frame.call;
      first_branch = frame.branch + 1;
    }
  }

  SearchResult& result() { return result_; }

 private:
  // At a call: linearize its operation now if some branch leads to a state not seen with this
  // linearized set (then `event` restarts at the first event left), else move on to the next
  // event. False when over budget.
  bool try_call(Event*& event, State& state, size_t& first_branch) {
    const States next = next_states(context_, state, steps_[event->step]);
    uint64_t& word = linearized_[event->step / 64];
    const uint64_t bit = uint64_t{1} << (event->step % 64);
    for (size_t branch = first_branch; branch < next.size(); ++branch) {
      word |= bit;  // tried with the operation linearized; taken back if seen before
      if (!seen_.insert(Memo{linearized_, next[branch]}).second) {
        word &= ~bit;
        continue;
      }
      if (seen_.size() > limits_.states_max) return false;
      stack_.push_back({event, state, branch});
      state = next[branch];
      EventList::lift(event);
      result_.deepest = std::max(result_.deepest, stack_.size());
      event = list_.first();
      first_branch = 0;
      return true;
    }
    event = event->next;
    first_branch = 0;
    return true;
  }

  bool record_end(const State& state) {
    auto& ends = result_.ends;
    if (std::find(ends.begin(), ends.end(), state) != ends.end()) return true;
    ends.push_back(state);
    return !limits_.all_ends || ends.size() <= limits_.end_states_max;
  }

  const ModelContext& context_;
  std::span<const Step> steps_;
  const SearchLimits& limits_;
  EventList list_;
  std::vector<uint64_t> linearized_;
  // Lookups only: the memo's order never reaches any output.
  std::unordered_set<Memo, MemoHash> seen_;
  std::vector<Frame> stack_;
  SearchResult result_{SearchResult::Verdict::linearizable, 0, 0, {}};
};

}  // namespace

SearchResult search(const ModelContext& context, std::span<const Step> steps,
                    const std::vector<State>& starts, const SearchLimits& limits) {
  Searcher searcher(context, steps, limits);
  for (const State& start : starts) {
    if (!searcher.run(start)) return {SearchResult::Verdict::inconclusive, 0, 0, {}};
    if (!limits.all_ends && !searcher.result().ends.empty()) break;
  }
  SearchResult& result = searcher.result();
  if (result.ends.empty()) result.verdict = SearchResult::Verdict::violation;
  return std::move(result);
}

}  // namespace ringcache::sim::lin
