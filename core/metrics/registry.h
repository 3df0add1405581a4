#pragma once
// The node's metrics, exposed in the Prometheus text format (version 0.0.4) at /metrics.
//
// A registry holds families (name, help, type) and, for each, a function that reads the current
// figures when a scrape renders them. Figures live where the code that changes them lives
// (ServerStats, KeyspaceStats, each command's CommandStats) and INFO reads the same variables,
// so nothing is counted twice. Each subsystem registers its own families: the server's and the
// commands' today; AOF, replication and cluster add theirs the same way.
//
// Names follow Prometheus conventions: ringcache_ prefix, base units (seconds, bytes) in the
// name, counters end in _total.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/metrics/histogram.h"

namespace ringcache::metrics {

enum class Type { counter, gauge, histogram };

struct Label {
  std::string_view name;
  std::string_view value;  // any bytes; escaped when written
};

// Writes the samples of one family while the registry renders it.
class SampleWriter {
 public:
  SampleWriter(std::string& out, std::string_view family) : out_(out), family_(family) {}

  void value(std::initializer_list<Label> labels, uint64_t value);
  void value(std::initializer_list<Label> labels, double value);
  void value(uint64_t v) { value({}, v); }
  void value(double v) { value({}, v); }
  // _bucket (cumulative, le="+Inf" last), _sum in seconds and _count samples.
  void histogram(std::initializer_list<Label> labels, const DurationHistogram& histogram);

 private:
  void sample(std::string_view suffix, std::initializer_list<Label> labels, std::string_view le);

  std::string& out_;
  std::string_view family_;
};

class Registry {
 public:
  using Collect = std::function<void(SampleWriter&)>;

  // Registers a family; its name must be new and well-formed (counters end in _total).
  void add(std::string name, std::string help, Type type, Collect collect);
  // A family of one unlabelled sample.
  void add_counter(std::string name, std::string help, std::function<uint64_t()> read);
  void add_gauge(std::string name, std::string help, std::function<double()> read);

  // Appends every family, in registration order.
  void render(std::string& out) const;
  size_t size() const { return families_.size(); }

 private:
  struct Family {
    std::string name;
    std::string help;
    Type type;
    Collect collect;
  };
  std::vector<Family> families_;
};

}  // namespace ringcache::metrics
