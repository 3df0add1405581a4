// W-TinyLFU: window, segmented main, admission by the sketch, and the hill climber.

#include "core/store/policies/wtinylfu.h"

#include <algorithm>
#include <cmath>

#include "core/constants.h"

namespace ringcache::store::policies {

WTinyLfuPolicy::WTinyLfuPolicy(uint64_t capacity, bool adaptive)
    : PolicyCore(capacity), adaptive_(adaptive) {
  set_capacity(capacity);
}

void WTinyLfuPolicy::set_capacity(uint64_t capacity) {
  PolicyCore::set_capacity(capacity);
  const auto share = static_cast<uint64_t>(static_cast<double>(capacity) *
                                           constants::wtinylfu_window_ratio);
  window_capacity_ = std::min(capacity, std::max<uint64_t>(share, 1));
  // Sized for the capacity up front (a resize forgets the counts); in bytes the key count is
  // unknown, so the table starts at sketch_items_initial_max and grows with the resident keys.
  sketch_.ensure_capacity(std::min<uint64_t>(capacity, constants::sketch_items_initial_max));
  step_ = static_cast<double>(capacity) * constants::wtinylfu_climb_step_ratio;
}

void WTinyLfuPolicy::reserve(size_t handles) {
  links_.reserve(handles);
  if (handles > meta_.size()) meta_.resize(handles);
}

ListEnds& WTinyLfuPolicy::segment_list(Segment s) {
  switch (s) {
    case window:
      return window_;
    case probation:
      return probation_;
    default:
      return protected_list_;
  }
}

void WTinyLfuPolicy::move(Handle h, Segment to) {
  Meta& m = meta_[h];
  links_.unlink(segment_list(static_cast<Segment>(m.segment)), h, m.size);
  m.segment = to;
  links_.push_head(segment_list(to), h, m.size);
}

void WTinyLfuPolicy::access(Handle h, const KeyInfo& key) {
  sketch_.increment(meta_[h].fp);
  record_request(true);
  Meta& m = meta_[h];
  if (m.segment != probation) {
    links_.move_to_head(segment_list(static_cast<Segment>(m.segment)), h, m.size);
    return;
  }
  move(h, protected_);
  const auto protected_capacity = static_cast<uint64_t>(
      static_cast<double>(main_capacity()) * constants::wtinylfu_protected_ratio);
  while (protected_list_.bytes > protected_capacity && protected_list_.tail != h) {
    move(protected_list_.tail, probation);
  }
}

void WTinyLfuPolicy::miss(const KeyInfo& key) {
  sketch_.increment(key.fingerprint);
  record_request(false);
}

bool WTinyLfuPolicy::insert(Handle h, const KeyInfo& key) {
  sketch_.ensure_capacity(window_.count + probation_.count + protected_list_.count + 1);
  meta_[h] = Meta{key.fingerprint, key.size, window};
  links_.push_head(window_, h, key.size);
  // While the cache fills, the window's overflow moves to the main cache without a contest (the
  // caller only asks for victims once the cache is full).
  while (window_.bytes > window_capacity_ &&
         probation_.bytes + protected_list_.bytes + meta_[window_.tail].size <= main_capacity()) {
    move(window_.tail, probation);
  }
  return true;
}

void WTinyLfuPolicy::remove(Handle h) {
  links_.unlink(segment_list(static_cast<Segment>(meta_[h].segment)), h, meta_[h].size);
}

Handle WTinyLfuPolicy::main_victim() const {
  if (!probation_.empty()) return probation_.tail;
  return protected_list_.tail;
}

Handle WTinyLfuPolicy::evict() {
  // Keys beyond the window's share leave it; each either fits the main cache or competes with
  // the main cache's victim, and the loser of the first real contest is evicted.
  while (window_.bytes > window_capacity_) {
    const Handle candidate = window_.tail;
    const uint64_t main_bytes = probation_.bytes + protected_list_.bytes;
    const Handle victim = main_victim();
    if (victim == no_handle || main_bytes + meta_[candidate].size <= main_capacity()) {
      move(candidate, probation);
      continue;
    }
    if (sketch_.estimate(meta_[candidate].fp) > sketch_.estimate(meta_[victim].fp)) {
      remove(victim);
      move(candidate, probation);
      return victim;
    }
    remove(candidate);
    return candidate;
  }
  Handle victim = main_victim();
  if (victim == no_handle) victim = window_.tail;
  if (victim != no_handle) remove(victim);
  return victim;
}

void WTinyLfuPolicy::record_request(bool hit) {
  if (!adaptive_) return;
  sample_hits_ += hit ? 1 : 0;
  if (++sample_requests_ >= sketch_.sample_size()) climb();
}

void WTinyLfuPolicy::climb() {
  const double hit_ratio =
      static_cast<double>(sample_hits_) / static_cast<double>(sample_requests_);
  const double change = hit_ratio - previous_hit_ratio_;
  const double amount = change >= 0 ? step_ : -step_;
  const double restart_step = static_cast<double>(capacity_) * constants::wtinylfu_climb_step_ratio;
  step_ = std::abs(change) >= constants::wtinylfu_climb_restart_threshold
              ? (amount >= 0 ? restart_step : -restart_step)
              : amount * constants::wtinylfu_climb_step_decay;
  const double window_max = static_cast<double>(capacity_) * constants::wtinylfu_window_max_ratio;
  const double next = std::clamp(static_cast<double>(window_capacity_) + amount, 1.0,
                                 std::max(1.0, window_max));
  window_capacity_ = static_cast<uint64_t>(next);
  previous_hit_ratio_ = hit_ratio;
  sample_hits_ = sample_requests_ = 0;
}

void WTinyLfuPolicy::clear() {
  window_ = ListEnds{};
  probation_ = ListEnds{};
  protected_list_ = ListEnds{};
  sketch_.clear();
  sample_hits_ = sample_requests_ = 0;
  previous_hit_ratio_ = 0;
  set_capacity(capacity_);
}

}  // namespace ringcache::store::policies
