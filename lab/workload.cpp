// Workload generation: pattern parsing, Zipf by inverse CDF, mixtures, per-object sizes.

#include "lab/workload.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <numbers>

#include "core/util/rng.h"

namespace ringcache::lab {

namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

template <typename T>
bool parse_number(std::string_view text, T& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc{} && end == text.data() + text.size();
}

// Inverse-CDF sampling of ranks 0..n-1 with P(rank r) proportional to 1 / (r + 1)^alpha.
class ZipfSampler {
 public:
  ZipfSampler(uint64_t n, double alpha) : cdf_(n) {
    double total = 0;
    for (uint64_t r = 0; r < n; ++r) {
      total += 1.0 / std::pow(static_cast<double>(r + 1), alpha);
      cdf_[r] = total;
    }
    for (double& c : cdf_) c /= total;
  }
  uint64_t sample(Rng& rng) const {
    const double u = rng.unit();
    const auto at = std::upper_bound(cdf_.begin(), cdf_.end(), u);
    return std::min<uint64_t>(static_cast<uint64_t>(at - cdf_.begin()), cdf_.size() - 1);
  }

 private:
  std::vector<double> cdf_;
};

uint64_t mix64(uint64_t x) {
  uint64_t state = x;
  return splitmix64(state);
}

uint32_t object_size(const SizeDistribution& sizes, uint64_t object, uint64_t seed) {
  const uint64_t bits = mix64(object ^ mix64(seed));
  const double u1 = (static_cast<double>(bits >> 40) + 0.5) * 0x1.0p-24;
  const double u2 = static_cast<double>((bits >> 16) & 0xffffff) * 0x1.0p-24;
  double size = 1;
  switch (sizes.kind) {
    case SizeDistribution::fixed:
      size = static_cast<double>(sizes.min);
      break;
    case SizeDistribution::uniform:
      size = static_cast<double>(sizes.min) +
             std::floor(u1 * static_cast<double>(sizes.max - sizes.min + 1));
      break;
    case SizeDistribution::lognormal: {
      const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
      size = sizes.median * std::exp(sizes.sigma * z);
      break;
    }
  }
  return static_cast<uint32_t>(std::clamp(size, 1.0, 4294967295.0));
}

// One pattern's request stream.
class Source {
 public:
  Source(const Pattern& pattern, uint64_t objects, Rng& rng)
      : pattern_(pattern), objects_(objects), rng_(rng) {
    if (pattern.kind == PatternKind::zipf || pattern.kind == PatternKind::hotset) {
      zipf_ = std::make_unique<ZipfSampler>(objects, pattern.alpha);
    }
  }
  // The next object; scans name objects past `objects` that never repeat.
  uint64_t next(uint64_t request_index) {
    switch (pattern_.kind) {
      case PatternKind::zipf:
        return zipf_->sample(rng_);
      case PatternKind::uniform:
        return rng_.below(objects_);
      case PatternKind::scan:
        return objects_ + scanned_++;
      case PatternKind::loop: {
        const uint64_t length = pattern_.length == 0 ? objects_ : pattern_.length;
        return loop_position_++ % length;
      }
      case PatternKind::hotset: {
        const uint64_t epoch = request_index / std::max<uint64_t>(pattern_.length, 1);
        const uint64_t shift = mix64(epoch) % objects_;
        return (zipf_->sample(rng_) + shift) % objects_;
      }
    }
    return 0;
  }

 private:
  Pattern pattern_;
  uint64_t objects_;
  Rng& rng_;
  std::unique_ptr<ZipfSampler> zipf_;
  uint64_t scanned_ = 0;
  uint64_t loop_position_ = 0;
};

bool parse_pattern(std::string_view text, Pattern& p, std::string& error) {
  const size_t at = text.find('@');
  if (at != std::string_view::npos) {
    if (!parse_number(text.substr(at + 1), p.weight) || !(p.weight > 0)) {
      error = "bad weight in '" + std::string(text) + "'";
      return false;
    }
    text = text.substr(0, at);
  }
  const std::vector<std::string_view> parts = split(text, ':');
  const std::string_view name = parts[0];
  const auto want = [&](size_t lo, size_t hi) {
    if (parts.size() - 1 < lo || parts.size() - 1 > hi) {
      error = "wrong number of parameters in '" + std::string(text) + "'";
      return false;
    }
    return true;
  };
  bool ok = true;
  if (name == "zipf") {
    p.kind = PatternKind::zipf;
    ok = want(1, 1) && parse_number(parts[1], p.alpha) && p.alpha >= 0;
  } else if (name == "uniform") {
    p.kind = PatternKind::uniform;
    ok = want(0, 0);
  } else if (name == "scan") {
    p.kind = PatternKind::scan;
    ok = want(0, 0);
  } else if (name == "loop") {
    p.kind = PatternKind::loop;
    ok = want(0, 1) && (parts.size() == 1 || parse_number(parts[1], p.length));
  } else if (name == "hotset") {
    p.kind = PatternKind::hotset;
    ok = want(2, 2) && parse_number(parts[1], p.alpha) && p.alpha >= 0 &&
         parse_number(parts[2], p.length) && p.length > 0;
  } else {
    error = "unknown pattern '" + std::string(name) + "' (zipf, uniform, scan, loop, hotset)";
    return false;
  }
  if (!ok && error.empty()) error = "bad parameter in '" + std::string(text) + "'";
  return ok;
}

}  // namespace

bool parse_patterns(std::string_view spec, std::vector<Pattern>& out, std::string& error) {
  out.clear();
  for (std::string_view item : split(spec, ',')) {
    Pattern p;
    if (!parse_pattern(item, p, error)) return false;
    out.push_back(p);
  }
  return true;
}

bool parse_size_distribution(std::string_view spec, SizeDistribution& out, std::string& error) {
  const std::vector<std::string_view> parts = split(spec, ':');
  bool ok = false;
  if (parts[0] == "fixed" && parts.size() == 2) {
    out.kind = SizeDistribution::fixed;
    ok = parse_number(parts[1], out.min) && out.min > 0;
    out.max = out.min;
  } else if (parts[0] == "uniform" && parts.size() == 3) {
    out.kind = SizeDistribution::uniform;
    ok = parse_number(parts[1], out.min) && parse_number(parts[2], out.max) && out.min > 0 &&
         out.min <= out.max;
  } else if (parts[0] == "lognormal" && parts.size() == 3) {
    out.kind = SizeDistribution::lognormal;
    ok = parse_number(parts[1], out.median) && parse_number(parts[2], out.sigma) &&
         out.median > 0 && out.sigma >= 0;
  }
  if (!ok) {
    error = "bad size distribution '" + std::string(spec) +
            "' (fixed:BYTES, uniform:MIN:MAX, lognormal:MEDIAN:SIGMA)";
  }
  return ok;
}

Trace generate_workload(const WorkloadSpec& spec, const std::function<void(uint64_t)>& progress) {
  RING_ASSERT(!spec.patterns.empty() && spec.objects > 0);
  Rng rng(spec.seed);
  std::vector<std::unique_ptr<Source>> sources;
  std::vector<double> cumulative;
  double total = 0;
  for (const Pattern& p : spec.patterns) {
    sources.push_back(std::make_unique<Source>(p, spec.objects, rng));
    total += p.weight;
    cumulative.push_back(total);
  }
  TraceBuilder builder;
  for (uint64_t i = 0; i < spec.requests; ++i) {
    if (progress && i % (1 << 20) == 0 && i > 0) progress(i);
    size_t which = 0;
    if (sources.size() > 1) {
      const double u = rng.unit() * total;
      while (which + 1 < cumulative.size() && u >= cumulative[which]) ++which;
    }
    const uint64_t object = sources[which]->next(i);
    builder.add(object, object_size(spec.sizes, object, spec.seed));
  }
  return builder.finish();
}

}  // namespace ringcache::lab
