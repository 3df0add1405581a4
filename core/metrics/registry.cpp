#include "core/metrics/registry.h"

#include <fmt/format.h>

#include <cmath>

#include "core/util/assert.h"

namespace ringcache::metrics {
namespace {

bool valid_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == ':';
    if (!ok) return false;
  }
  return true;
}

const char* type_name(Type type) {
  switch (type) {
    case Type::counter: return "counter";
    case Type::gauge: return "gauge";
    case Type::histogram: return "histogram";
  }
  RING_UNREACHABLE();
}

// Label values escape backslash, double quote and newline; HELP text escapes backslash and
// newline (the exposition format's two escaping rules).
void append_escaped(std::string& out, std::string_view text, bool quotes) {
  for (char c : text) {
    if (c == '\\') {
      out.append("\\\\");
    } else if (c == '\n') {
      out.append("\\n");
    } else if (c == '"' && quotes) {
      out.append("\\\"");
    } else {
      out.push_back(c);
    }
  }
}

void append_double(std::string& out, double value) {
  if (std::isnan(value)) return out.append("NaN"), void();
  if (std::isinf(value)) return out.append(value > 0 ? "+Inf" : "-Inf"), void();
  fmt::format_to(std::back_inserter(out), "{}", value);
}

}  // namespace

void SampleWriter::sample(std::string_view suffix, std::initializer_list<Label> labels,
                          std::string_view le) {
  out_.append(family_);
  out_.append(suffix);
  if (labels.size() == 0 && le.empty()) return out_.push_back(' ');
  out_.push_back('{');
  bool first = true;
  auto label = [&](std::string_view name, std::string_view value) {
    if (!first) out_.push_back(',');
    first = false;
    out_.append(name);
    out_.append("=\"");
    append_escaped(out_, value, /*quotes=*/true);
    out_.push_back('"');
  };
  for (const Label& l : labels) label(l.name, l.value);
  if (!le.empty()) label("le", le);
  out_.append("} ");
}

void SampleWriter::value(std::initializer_list<Label> labels, uint64_t value) {
  sample("", labels, {});
  fmt::format_to(std::back_inserter(out_), "{}\n", value);
}

void SampleWriter::value(std::initializer_list<Label> labels, double value) {
  sample("", labels, {});
  append_double(out_, value);
  out_.push_back('\n');
}

void SampleWriter::histogram(std::initializer_list<Label> labels,
                             const DurationHistogram& histogram) {
  uint64_t cumulative = 0;
  for (size_t i = 0; i < duration_buckets.size(); ++i) {
    cumulative += histogram.bucket_count(i);
    sample("_bucket", labels, duration_buckets[i].le);
    fmt::format_to(std::back_inserter(out_), "{}\n", cumulative);
  }
  sample("_bucket", labels, "+Inf");
  fmt::format_to(std::back_inserter(out_), "{}\n", histogram.count());
  sample("_sum", labels, {});
  append_double(out_, static_cast<double>(histogram.sum_ns()) / 1e9);
  out_.push_back('\n');
  sample("_count", labels, {});
  fmt::format_to(std::back_inserter(out_), "{}\n", histogram.count());
}

void Registry::add(std::string name, std::string help, Type type, Collect collect) {
  RING_ASSERT_MSG(valid_name(name), "metric names are [a-zA-Z_:][a-zA-Z0-9_:]*");
  RING_ASSERT_MSG(type != Type::counter || name.ends_with("_total"), "counters end in _total");
  for (const Family& family : families_) {
    RING_ASSERT_MSG(family.name != name, "metric family registered twice");
  }
  families_.push_back({std::move(name), std::move(help), type, std::move(collect)});
}

void Registry::add_counter(std::string name, std::string help, std::function<uint64_t()> read) {
  add(std::move(name), std::move(help), Type::counter,
      [read = std::move(read)](SampleWriter& out) { out.value(read()); });
}

void Registry::add_gauge(std::string name, std::string help, std::function<double()> read) {
  add(std::move(name), std::move(help), Type::gauge,
      [read = std::move(read)](SampleWriter& out) { out.value(read()); });
}

void Registry::render(std::string& out) const {
  for (const Family& family : families_) {
    // In text format 0.0.4 HELP and TYPE name a counter with its _total suffix, as its sample.
    out.append("# HELP ");
    out.append(family.name);
    out.push_back(' ');
    append_escaped(out, family.help, /*quotes=*/false);
    fmt::format_to(std::back_inserter(out), "\n# TYPE {} {}\n", family.name,
                   type_name(family.type));
    SampleWriter writer(out, family.name);
    family.collect(writer);
  }
}

}  // namespace ringcache::metrics
