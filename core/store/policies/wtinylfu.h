#pragma once
// W-TinyLFU (Einziger et al., ToS'17; Caffeine's design): new keys enter a small window LRU (1% of
// the capacity); a key leaving the window competes with the main cache's victim (the LRU key of
// its probation segment) and only the one the frequency sketch says is more popular stays. The
// main cache is a segmented LRU: probation (20%) and protected (80%); a hit in probation promotes
// to protected, whose overflow falls back to probation.
//
// The adaptive variant sizes the window by hill climbing, as Caffeine does: every sample period
// it compares the hit ratio with the previous period's and keeps moving the window the same way
// if it improved, the other way if not, with a step that decays (and restarts on a big change).
//
// State per key: 8 bytes of links and 16 of fingerprint, size and segment, plus 2 bytes of
// sketch per cached key.

#include <vector>

#include "core/store/policies/frequency_sketch.h"
#include "core/store/policies/policy_core.h"

namespace ringcache::store::policies {

class WTinyLfuPolicy final : public PolicyCore {
 public:
  WTinyLfuPolicy(uint64_t capacity, bool adaptive);
  PolicyKind kind() const override {
    return adaptive_ ? PolicyKind::wtinylfu_adaptive : PolicyKind::wtinylfu;
  }
  void reserve(size_t handles) override;
  void access(Handle h, const KeyInfo& key) override;
  void miss(const KeyInfo& key) override;
  bool insert(Handle h, const KeyInfo& key) override;
  void remove(Handle h) override;
  Handle evict() override;
  void clear() override;
  void set_capacity(uint64_t capacity) override;

  uint64_t window_capacity() const { return window_capacity_; }

 private:
  enum Segment : uint8_t { window = 0, probation = 1, protected_ = 2 };
  struct Meta {
    uint64_t fp;
    uint32_t size;
    uint8_t segment;
  };
  ListEnds& segment_list(Segment s);
  void move(Handle h, Segment to);
  uint64_t main_capacity() const { return capacity_ - window_capacity_; }
  // The key the main cache would give up: probation's LRU, else protected's.
  Handle main_victim() const;
  void record_request(bool hit);
  void climb();

  bool adaptive_;
  uint64_t window_capacity_ = 0;
  LinkArena links_;
  std::vector<Meta> meta_;
  ListEnds window_;
  ListEnds probation_;
  ListEnds protected_list_;
  FrequencySketch sketch_;
  // Hill climbing.
  uint64_t sample_hits_ = 0;
  uint64_t sample_requests_ = 0;
  double previous_hit_ratio_ = 0;
  double step_ = 0;
};

}  // namespace ringcache::store::policies
