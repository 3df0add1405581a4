// Table, CSV and SVG writers for sweep results.

#include "tools/trace/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace ringcache::trace_tool {

void write_csv(std::ostream& out, const std::vector<ResultRow>& rows) {
  out << "policy,cache_size,requests,miss_ratio,byte_miss_ratio,mreq_per_s\n";
  for (const ResultRow& r : rows) {
    out << fmt::format("{},{},{},{:.6f},{:.6f},{:.3f}\n", r.policy, r.cache_size, r.requests,
                       r.miss_ratio, r.byte_miss_ratio, r.mreq_per_s);
  }
}

void write_table(std::ostream& out, const std::vector<ResultRow>& rows) {
  out << fmt::format("{:<18} {:>14} {:>12} {:>10} {:>10} {:>9}\n", "policy", "cache size",
                     "requests", "miss", "byte miss", "Mreq/s");
  for (const ResultRow& r : rows) {
    out << fmt::format("{:<18} {:>14} {:>12} {:>10.4f} {:>10.4f} {:>9.2f}\n", r.policy,
                       r.cache_size, r.requests, r.miss_ratio, r.byte_miss_ratio, r.mreq_per_s);
  }
}

namespace {

// Distinguishable on white, and for most kinds of colour blindness (Okabe-Ito, then greys).
constexpr const char* palette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
                                   "#56B4E9", "#F0E442", "#000000", "#999999", "#7F3C8D",
                                   "#11A579", "#3969AC"};

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

std::string size_label(double value) {
  if (value >= 1e9) return fmt::format("{:g}G", value / 1e9);
  if (value >= 1e6) return fmt::format("{:g}M", value / 1e6);
  if (value >= 1e3) return fmt::format("{:g}k", value / 1e3);
  return fmt::format("{:g}", value);
}

}  // namespace

void write_svg(std::ostream& out, const std::vector<ResultRow>& rows, const std::string& unit,
               const std::string& title) {
  constexpr double width = 860, height = 520, left = 70, right = 190, top = 50, bottom = 60;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  std::map<std::string, std::vector<const ResultRow*>> lines;
  std::vector<std::string> order;
  double x_min = INFINITY, x_max = 0, y_max = 0;
  for (const ResultRow& r : rows) {
    if (!lines.count(r.policy)) order.push_back(r.policy);
    lines[r.policy].push_back(&r);
    x_min = std::min(x_min, static_cast<double>(std::max<uint64_t>(r.cache_size, 1)));
    x_max = std::max(x_max, static_cast<double>(r.cache_size));
    y_max = std::max(y_max, r.miss_ratio);
  }
  if (rows.empty()) x_min = x_max = 1;
  // Cache sizes of a sweep span decades: a log axis when they do.
  const bool log_x = x_max / x_min >= 10;
  const auto fx = [&](double v) {
    if (x_max == x_min) return left + plot_w / 2;
    const double t = log_x ? (std::log10(v) - std::log10(x_min)) /
                                 (std::log10(x_max) - std::log10(x_min))
                           : (v - x_min) / (x_max - x_min);
    return left + t * plot_w;
  };
  const double y_top = std::max(0.1, std::ceil(y_max * 10) / 10);
  const auto fy = [&](double v) { return top + plot_h * (1 - v / y_top); };

  out << fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "font-family=\"sans-serif\" font-size=\"13\">\n",
      width, height);
  out << fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"white\"/>\n", width, height);
  out << fmt::format("<text x=\"{}\" y=\"28\" font-size=\"16\" text-anchor=\"middle\">{}</text>\n",
                     left + plot_w / 2, escape(title));
  // Grid and y ticks every 0.1 (or 0.05 for small ranges).
  const double y_step = y_top <= 0.3 ? 0.05 : 0.1;
  for (double v = 0; v <= y_top + 1e-9; v += y_step) {
    out << fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#ddd\"/>\n",
                       left, left + plot_w, fy(v), fy(v));
    out << fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{:.2f}</text>\n", left - 8,
                       fy(v) + 4, v);
  }
  // X ticks at the swept sizes.
  std::vector<uint64_t> sizes;
  for (const ResultRow& r : rows) sizes.push_back(r.cache_size);
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  for (uint64_t s : sizes) {
    const double x = fx(static_cast<double>(std::max<uint64_t>(s, 1)));
    out << fmt::format("<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{}\" y2=\"{}\" stroke=\"#ddd\"/>\n",
                       x, x, top, top + plot_h);
    out << fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x,
                       top + plot_h + 18, size_label(static_cast<double>(s)));
  }
  out << fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" "
                     "stroke=\"#333\"/>\n",
                     left, top, plot_w, plot_h);
  out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">cache size ({}{})</text>\n",
                     left + plot_w / 2, height - 15, escape(unit), log_x ? ", log scale" : "");
  out << fmt::format("<text x=\"18\" y=\"{}\" text-anchor=\"middle\" "
                     "transform=\"rotate(-90 18 {})\">miss ratio</text>\n",
                     top + plot_h / 2, top + plot_h / 2);
  for (size_t i = 0; i < order.size(); ++i) {
    const char* color = palette[i % std::size(palette)];
    std::string points;
    for (const ResultRow* r : lines[order[i]]) {
      points += fmt::format("{:.1f},{:.1f} ",
                            fx(static_cast<double>(std::max<uint64_t>(r->cache_size, 1))),
                            fy(r->miss_ratio));
    }
    out << fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n",
                       color, points);
    for (const ResultRow* r : lines[order[i]]) {
      out << fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>\n",
                         fx(static_cast<double>(std::max<uint64_t>(r->cache_size, 1))),
                         fy(r->miss_ratio), color);
    }
    const double ly = top + 10 + 22 * static_cast<double>(i);
    out << fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\" "
                       "stroke-width=\"3\"/>\n",
                       left + plot_w + 15, left + plot_w + 45, ly, ly, color);
    out << fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", left + plot_w + 52, ly + 4,
                       escape(order[i]));
  }
  out << "</svg>\n";
}

}  // namespace ringcache::trace_tool
