#pragma once
// Builds RESP replies into a byte buffer, in RESP2 or RESP3 (HELLO chooses per connection).
// Commands write replies through this class only, so the protocol version is decided in one place:
// RESP3-only types degrade to their RESP2 forms (map -> flat array, null -> $-1/*-1, double ->
// bulk string, boolean -> integer, set -> array, push -> array).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ringcache::protocol {

class ReplyWriter {
 public:
  explicit ReplyWriter(std::string& out, int resp_version = 2)
      : out_(out), resp_version_(resp_version) {}

  int resp_version() const { return resp_version_; }
  // Error replies written so far (dispatch counts failed calls with it).
  uint64_t errors_written() const { return errors_written_; }
  // Of those, the ones INFO's error figures count (errors_already_counted() ones are not).
  uint64_t errors_for_stats() const { return errors_for_stats_; }
  // The first word of each error written since the last call ("ERR", "WRONGTYPE"), for INFO
  // errorstats; dispatch takes them after every command.
  std::vector<std::string> take_error_words() { return std::exchange(error_words_, {}); }
  // Bytes in the buffer this writer appends to.
  size_t size() const { return out_.size(); }
  void set_resp_version(int version) { resp_version_ = version; }

  void simple(std::string_view status);  // +OK
  void ok() { simple("OK"); }
  // `message` is the whole error line without the leading '-', e.g. "ERR syntax error".
  void error(std::string_view message);
  // An error another command's reply already counted in INFO errorstats (a script passing on
  // the error of a command it ran): a failed call, but no second error reply in the stats.
  void error_already_counted(std::string_view message);
  void integer(int64_t value);
  void bulk(std::string_view value);
  void null();                           // $-1 (RESP2) or _ (RESP3)
  void null_array();                     // *-1 (RESP2) or _ (RESP3)
  void array(size_t count);              // header; the elements follow
  void map(size_t pairs);                // RESP3 %; RESP2 *2n
  void set(size_t count);                // RESP3 ~; RESP2 *
  void push(size_t count);               // RESP3 >; RESP2 *
  // RESP3 ,; RESP2 bulk string; both in Redis 7.0's addReplyDouble form (format_double: %.17g).
  void dbl(double value);
  void boolean(bool value);              // RESP3 #; RESP2 :1/:0
  void verbatim(std::string_view format, std::string_view text);  // RESP3 =; RESP2 bulk
  void empty_array() { array(0); }
  // Bytes already encoded for this connection's protocol (a push built for this client).
  void raw(std::string_view bytes) { out_.append(bytes); }

  // Redis' textual form of a double (as INCRBYFLOAT and ZSCORE print it): %.17Lg, trimmed.
  static std::string format_double(long double value);
  // Shortest round-trip form used by RESP3 doubles and most replies ("inf", "-inf", "nan").
  static std::string format_double_shortest(double value);

 private:
  void header(char type, int64_t count);
  std::string& out_;
  int resp_version_;
  uint64_t errors_written_ = 0;
  uint64_t errors_for_stats_ = 0;
  std::vector<std::string> error_words_;
};

}  // namespace ringcache::protocol
