#pragma once
// A cache trace in memory, as the replayer and the workload generators share it: requests with
// dense object numbers (0..objects-1, in order of first appearance), sizes, and the index of each
// object's next request (so Belady works on any trace). Sources add raw 64-bit keys through a
// TraceBuilder, which does the numbering.

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/store/policies/fingerprint_map.h"

namespace ringcache::lab {

struct TraceRequest {
  uint32_t object;
  uint32_t size;        // bytes (>= 1); 0 marks a delete of the object
  int64_t next_access;  // index of the object's next request; -1: none
  bool is_delete() const { return size == 0; }
};

struct Trace {
  std::vector<TraceRequest> requests;
  uint32_t objects = 0;
  // Sum over objects of the size first seen: what "a fraction of the working set" refers to.
  uint64_t working_set_bytes = 0;
};

// Numbers raw keys densely and fills next_access at finish().
class TraceBuilder {
 public:
  void add(uint64_t raw_key, uint32_t size);
  void add_delete(uint64_t raw_key);
  size_t size() const { return trace_.requests.size(); }
  Trace finish();

 private:
  uint32_t number(uint64_t raw_key, uint32_t size);

  Trace trace_;
  store::policies::FingerprintMap numbers_;
};

// A 64-bit key for a text key (FNV-1a then a mix: stable across runs and machines).
uint64_t key_fingerprint(std::string_view key);

}  // namespace ringcache::lab
