#pragma once
// Typed, checked reads from one TOML table: defaults for absent keys, range checks, and an
// error for every key nobody read (a misspelt option must not be ignored). Problems are
// collected, the first one is reported.

#include <toml++/toml.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ringcache::sim {

class TomlReader {
 public:
  TomlReader(const toml::table& table, std::string path,
             std::shared_ptr<std::vector<std::string>> problems = nullptr);
  ~TomlReader();

  int64_t integer(const std::string& key, int64_t fallback, int64_t min, int64_t max);
  double number(const std::string& key, double fallback, double min, double max);
  bool boolean(const std::string& key, bool fallback);
  // Strings as they are; integers, floats and booleans in their TOML spelling (for redis.conf
  // options, where `hz = 10` and `hz = "10"` mean the same).
  std::string text(const std::string& key, const std::string& fallback);
  // `[lo, hi]` with lo <= hi.
  std::pair<int64_t, int64_t> range(const std::string& key, int64_t lo, int64_t hi);
  // `[[quantile, value], ...]` from quantile 0 to 1.
  std::optional<std::vector<std::pair<double, int64_t>>> quantiles(const std::string& key);
  std::optional<std::vector<std::string>> strings(const std::string& key);
  // Every key of the table, sorted; all count as read.
  std::vector<std::string> keys();
  // Whether `key` is present and a table (does not count as reading it).
  bool is_table(const std::string& key) const;
  void table(const std::string& key, const std::function<void(TomlReader&)>& read);
  void tables(const std::string& key, const std::function<void(TomlReader&)>& read);
  void error(const std::string& key, const std::string& message);
  const std::vector<std::string>& problems() const { return *problems_; }

 private:
  const toml::node* get(const std::string& key);
  std::string where(const std::string& key) const;

  const toml::table& table_;
  std::string path_;
  std::shared_ptr<std::vector<std::string>> problems_;
  std::set<std::string> read_;
};

}  // namespace ringcache::sim
