#include "runtime/sim/scenario/toml_reader.h"

#include <fmt/format.h>

namespace ringcache::sim {

TomlReader::TomlReader(const toml::table& table, std::string path,
                       std::shared_ptr<std::vector<std::string>> problems)
    : table_(table),
      path_(std::move(path)),
      problems_(problems ? std::move(problems) : std::make_shared<std::vector<std::string>>()) {}

TomlReader::~TomlReader() {
  for (auto&& [key, node] : table_) {
    const std::string name(key.str());
    if (read_.count(name) == 0) problems_->push_back("unknown key " + where(name));
  }
}

std::string TomlReader::where(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

void TomlReader::error(const std::string& key, const std::string& message) {
  problems_->push_back(fmt::format("{}: {}", where(key), message));
}

bool TomlReader::is_table(const std::string& key) const {
  const toml::node* node = table_.get(key);
  return node != nullptr && node->is_table();
}

const toml::node* TomlReader::get(const std::string& key) {
  read_.insert(key);
  return table_.get(key);
}

int64_t TomlReader::integer(const std::string& key, int64_t fallback, int64_t min, int64_t max) {
  const toml::node* node = get(key);
  if (node == nullptr) return fallback;
  auto value = node->value<int64_t>();
  if (!value || !node->is_integer()) {
    error(key, "expected an integer");
    return fallback;
  }
  if (*value < min || *value > max) {
    error(key, fmt::format("must be in [{}, {}]", min, max));
    return fallback;
  }
  return *value;
}

double TomlReader::number(const std::string& key, double fallback, double min, double max) {
  const toml::node* node = get(key);
  if (node == nullptr) return fallback;
  auto value = node->value<double>();
  if (!value || !(node->is_integer() || node->is_floating_point())) {
    error(key, "expected a number");
    return fallback;
  }
  if (*value < min || *value > max) {
    error(key, fmt::format("must be in [{}, {}]", min, max));
    return fallback;
  }
  return *value;
}

bool TomlReader::boolean(const std::string& key, bool fallback) {
  const toml::node* node = get(key);
  if (node == nullptr) return fallback;
  if (!node->is_boolean()) {
    error(key, "expected true or false");
    return fallback;
  }
  return *node->value<bool>();
}

std::string TomlReader::text(const std::string& key, const std::string& fallback) {
  const toml::node* node = get(key);
  if (node == nullptr) return fallback;
  if (node->is_string()) return *node->value<std::string>();
  if (node->is_integer()) return std::to_string(*node->value<int64_t>());
  if (node->is_boolean()) return *node->value<bool>() ? "yes" : "no";
  if (node->is_floating_point()) return fmt::format("{}", *node->value<double>());
  error(key, "expected a string");
  return fallback;
}

std::pair<int64_t, int64_t> TomlReader::range(const std::string& key, int64_t lo, int64_t hi) {
  const toml::node* node = get(key);
  if (node == nullptr) return {lo, hi};
  const toml::array* array = node->as_array();
  if (array == nullptr || array->size() != 2 || !(*array)[0].is_integer() ||
      !(*array)[1].is_integer()) {
    error(key, "expected [min, max]");
    return {lo, hi};
  }
  const int64_t a = *(*array)[0].value<int64_t>();
  const int64_t b = *(*array)[1].value<int64_t>();
  if (a > b || a < 0) {
    error(key, "expected 0 <= min <= max");
    return {lo, hi};
  }
  return {a, b};
}

std::optional<std::vector<std::pair<double, int64_t>>> TomlReader::quantiles(
    const std::string& key) {
  const toml::node* node = get(key);
  if (node == nullptr) return std::nullopt;
  std::vector<std::pair<double, int64_t>> points;
  const toml::array* array = node->as_array();
  for (size_t i = 0; array != nullptr && i < array->size(); ++i) {
    const toml::array* point = (*array)[i].as_array();
    if (point == nullptr || point->size() != 2) break;
    auto quantile = (*point)[0].value<double>();
    auto value = (*point)[1].value<int64_t>();
    if (!quantile || !value) break;
    points.emplace_back(*quantile, *value);
  }
  const bool well_formed = array != nullptr && points.size() == array->size() &&
                           points.size() >= 2 && points.front().first == 0.0 &&
                           points.back().first == 1.0;
  bool increasing = true;
  for (size_t i = 1; i < points.size(); ++i) {
    increasing = increasing && points[i].first > points[i - 1].first &&
                 points[i].second >= points[i - 1].second && points[0].second >= 0;
  }
  if (!well_formed || !increasing) {
    error(key, "expected [[0.0, v0], ..., [1.0, vn]] with rising quantiles and values");
    return std::nullopt;
  }
  return points;
}

std::optional<std::vector<std::string>> TomlReader::strings(const std::string& key) {
  const toml::node* node = get(key);
  if (node == nullptr) return std::nullopt;
  std::vector<std::string> out;
  const toml::array* array = node->as_array();
  for (size_t i = 0; array != nullptr && i < array->size(); ++i) {
    auto text = (*array)[i].value<std::string>();
    if (!text) break;
    out.push_back(*text);
  }
  if (array == nullptr || out.size() != array->size()) {
    error(key, "expected a list of strings");
    return std::nullopt;
  }
  return out;
}

std::vector<std::string> TomlReader::keys() {
  std::vector<std::string> out;
  for (auto&& [key, node] : table_) {
    out.emplace_back(key.str());
    read_.insert(out.back());
  }
  return out;
}

void TomlReader::table(const std::string& key, const std::function<void(TomlReader&)>& read) {
  const toml::node* node = get(key);
  if (node == nullptr) return;
  if (!node->is_table()) return error(key, "expected a table");
  TomlReader inner(*node->as_table(), where(key), problems_);
  read(inner);
}

void TomlReader::tables(const std::string& key, const std::function<void(TomlReader&)>& read) {
  const toml::node* node = get(key);
  if (node == nullptr) return;
  const toml::array* array = node->as_array();
  if (array == nullptr) return error(key, "expected an array of tables ([[...]])");
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::table* item = (*array)[i].as_table();
    if (item == nullptr) return error(key, "expected an array of tables ([[...]])");
    TomlReader inner(*item, fmt::format("{}[{}]", where(key), i), problems_);
    read(inner);
  }
}

}  // namespace ringcache::sim
