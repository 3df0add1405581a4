#pragma once
// A client-side RESP2/RESP3 reply decoder for tests: turns reply bytes into a tree and prints it
// the way redis-cli does, so expectations read like a terminal session.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringcache::testing {

struct Reply {
  enum class Type { simple, error, integer, bulk, null, array, map, set, push, dbl, boolean,
                    verbatim };
  Type type = Type::null;
  std::string text;               // simple, error, bulk, verbatim, dbl (as sent), boolean "t"/"f"
  int64_t integer = 0;
  std::vector<Reply> elements;    // array, set, push; map: key, value, key, value...

  // redis-cli's rendering: OK, (error) ERR x, (integer) 1, "v", (nil), 1) "a"\n2) "b".
  std::string cli() const { return render(0); }

 private:
  std::string render(size_t indent) const {
    switch (type) {
      case Type::simple: return text;
      case Type::error: return "(error) " + text;
      case Type::integer: return "(integer) " + std::to_string(integer);
      case Type::bulk: case Type::verbatim: return "\"" + text + "\"";
      case Type::null: return "(nil)";
      case Type::dbl: return "(double) " + text;
      case Type::boolean: return text == "t" ? "(true)" : "(false)";
      default: break;
    }
    if (elements.empty()) return type == Type::map ? "(empty hash)" : "(empty array)";
    std::string out;
    const bool is_map = type == Type::map;
    const size_t count = is_map ? elements.size() / 2 : elements.size();
    const size_t width = std::to_string(count).size();
    for (size_t i = 0; i < count; ++i) {
      std::string number = std::to_string(i + 1);
      if (i > 0) out += "\n" + std::string(indent, ' ');
      out += std::string(width - number.size(), ' ') + number + (is_map ? "# " : ") ");
      const size_t nested = indent + width + 2;
      if (is_map) {
        out += elements[2 * i].render(nested) + " => " + elements[2 * i + 1].render(nested);
      } else {
        out += elements[i].render(nested);
      }
    }
    return out;
  }
};

// Decodes one reply from the front of `input`, removing its bytes; nullopt when incomplete or
// malformed.
inline std::optional<Reply> decode_reply(std::string_view& input) {
  const size_t line_end = input.find("\r\n");
  if (input.empty() || line_end == std::string_view::npos) return std::nullopt;
  const char kind = input[0];
  const std::string line(input.substr(1, line_end - 1));
  std::string_view rest = input.substr(line_end + 2);
  Reply reply;
  auto aggregate = [&](Reply::Type type, int64_t count) -> bool {
    reply.type = type;
    for (int64_t i = 0; i < count; ++i) {
      auto element = decode_reply(rest);
      if (!element) return false;
      reply.elements.push_back(std::move(*element));
    }
    return true;
  };
  bool ok = true;
  switch (kind) {
    case '+': reply.type = Reply::Type::simple; reply.text = line; break;
    case '-': reply.type = Reply::Type::error; reply.text = line; break;
    case ':': reply.type = Reply::Type::integer; reply.integer = std::stoll(line); break;
    case ',': reply.type = Reply::Type::dbl; reply.text = line; break;
    case '#': reply.type = Reply::Type::boolean; reply.text = line; break;
    case '_': reply.type = Reply::Type::null; break;
    case '$': case '=': {
      const int64_t length = std::stoll(line);
      if (length < 0) break;  // $-1: null
      if (rest.size() < static_cast<size_t>(length) + 2) return std::nullopt;
      reply.type = kind == '$' ? Reply::Type::bulk : Reply::Type::verbatim;
      reply.text = std::string(rest.substr(kind == '=' ? 4 : 0, kind == '=' ? length - 4 : length));
      rest.remove_prefix(static_cast<size_t>(length) + 2);
      break;
    }
    case '*': {
      const int64_t count = std::stoll(line);
      if (count >= 0) ok = aggregate(Reply::Type::array, count);  // *-1: null
      break;
    }
    case '%': ok = aggregate(Reply::Type::map, 2 * std::stoll(line)); break;
    case '~': ok = aggregate(Reply::Type::set, std::stoll(line)); break;
    case '>': ok = aggregate(Reply::Type::push, std::stoll(line)); break;
    default: return std::nullopt;
  }
  if (!ok) return std::nullopt;
  input = rest;
  return reply;
}

}  // namespace ringcache::testing
