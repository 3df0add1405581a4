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
  explicit EventList(const std::vector<Step>& steps) : events_(steps.size() * 2 + 1) {
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

}  // namespace

SearchResult search(const ModelContext& context, const std::vector<Step>& steps,
                    size_t states_max) {
  EventList list(steps);
  std::vector<uint64_t> linearized((steps.size() + 63) / 64, 0);
  // Lookups only: the memo's order never reaches any output.
  std::unordered_set<Memo, MemoHash> seen;
  seen.reserve(steps.size() * 2);
  std::vector<Frame> stack;
  SearchResult result{SearchResult::Verdict::linearizable, 0, 0};
  State state;
  Event* event = list.first();
  size_t first_branch = 0;
  while (list.first() != nullptr) {
    if (event->is_call) {
      const States next = next_states(context, state, steps[event->step]);
      bool moved = false;
      uint64_t& word = linearized[event->step / 64];
      const uint64_t bit = uint64_t{1} << (event->step % 64);
      for (size_t branch = first_branch; branch < next.size() && !moved; ++branch) {
        word |= bit;  // tried with the operation linearized; taken back if seen before
        if (!seen.insert(Memo{linearized, next[branch]}).second) {
          word &= ~bit;
          continue;
        }
        if (seen.size() > states_max) return {SearchResult::Verdict::inconclusive, 0, 0};
        stack.push_back({event, state, branch});
        state = next[branch];
        EventList::lift(event);
        moved = true;
      }
      first_branch = 0;
      if (moved) {
        if (stack.size() > result.deepest) result.deepest = stack.size();
        event = list.first();
      } else {
        event = event->next;
      }
      continue;
    }
    // A return of an operation not linearized yet: undo the last choice.
    if (stack.size() == result.deepest) result.stuck_at = event->step;
    if (stack.empty()) {
      result.verdict = SearchResult::Verdict::violation;
      return result;
    }
    Frame frame = stack.back();
    stack.pop_back();
    EventList::unlift(frame.call);
    linearized[frame.call->step / 64] &= ~(uint64_t{1} << (frame.call->step % 64));
    state = frame.before;
    event = frame.call;
    first_branch = frame.branch + 1;
  }
  return result;
}

}  // namespace ringcache::sim::lin
