#include "core/http/cache_resource.h"

#include <fmt/format.h>

#include "core/protocol/base64.h"
#include "core/protocol/json.h"
#include "core/protocol/json_writer.h"
#include "core/protocol/utf8.h"
#include "core/http/response_writer.h"

namespace ringcache::http {
namespace {

using protocol::JsonWriter;
using protocol::json::Value;

struct PutBody {
  std::string value;
  std::optional<int64_t> ttl_ms;
};

// Reads {"value": "...", "ttl_ms": n} into `out`; returns the 400 message on failure.
std::optional<std::string> read_put_body(std::string_view body, ValueEncoding encoding,
                                         PutBody& out) {
  auto parsed = protocol::json::parse(body);
  if (!parsed) return parsed.status().message();
  const Value& document = parsed.value();
  if (document.kind != Value::Kind::object) return "the body must be a JSON object";
  for (const auto& member : document.members) {
    if (member.key != "value" && member.key != "ttl_ms") {
      return fmt::format("unknown field \"{}\" (expected \"value\" and \"ttl_ms\")", member.key);
    }
  }
  const Value* value = document.find("value");
  if (value == nullptr) return "missing field \"value\"";
  if (value->kind != Value::Kind::string) {
    return fmt::format("\"value\" must be a string, not {}", protocol::json::kind_name(value->kind));
  }
  if (encoding == ValueEncoding::base64) {
    auto decoded = protocol::base64_decode(value->string);
    if (!decoded) return "\"value\" is not canonical base64";
    out.value = std::move(*decoded);
  } else {
    out.value = value->string;
  }
  const Value* ttl = document.find("ttl_ms");
  if (ttl != nullptr && ttl->kind != Value::Kind::null) {
    if (ttl->kind != Value::Kind::number || !ttl->integer || *ttl->integer <= 0) {
      return "\"ttl_ms\" must be a positive integer (milliseconds) or null";
    }
    out.ttl_ms = *ttl->integer;
  }
  return std::nullopt;
}

}  // namespace

void CacheResource::command_error(std::string_view error, Response& response) {
  if (error.starts_with("OOM ")) return set_json_error(response, 507, "out of memory (maxmemory)");
  if (error.starts_with("WRONGTYPE ")) {
    return set_json_error(response, 409, "the key holds a value that is not a string");
  }
  if (error.starts_with("NOAUTH ")) return set_json_error(response, 401, "authentication required");
  // Which permission is missing (command, key) is not told: the key may be a secret itself.
  if (error.starts_with("NOPERM ")) return set_json_error(response, 403, "forbidden");
  // What is left are argument errors the checks above let through ("ERR invalid expire time").
  if (error.starts_with("ERR ")) error.remove_prefix(4);
  set_json_error(response, 400, error);
}

std::optional<int64_t> CacheResource::ttl_remaining_ms(std::string_view key) {
  // peek: the GET just counted this lookup as a hit; this read must not count again.
  const store::Entry* entry = server_.keyspace().peek(key);
  if (entry == nullptr || !entry->has_expiry()) return std::nullopt;
  return std::max<int64_t>(0, entry->expire_at_ms() - server_.keyspace().now_ms());
}

void CacheResource::get(std::string_view key, ValueEncoding encoding, Response& response) {
  const CommandReply reply = caller_.call({"GET", key});
  if (reply.kind == CommandReply::Kind::error) return command_error(reply.text, response);
  if (reply.kind == CommandReply::Kind::null) return set_json_error(response, 404, "not found");
  std::string_view value = reply.text;
  if (encoding == ValueEncoding::base64) {
    scratch_.clear();
    protocol::base64_encode(value, scratch_);
    value = scratch_;
  } else if (!protocol::valid_utf8(value)) {
    return set_json_error(response, 406, "the value is not UTF-8 text; ask with ?encoding=base64");
  }
  response.status = 200;
  response.body.clear();
  JsonWriter json(response.body);
  json.begin_object().key("value").string(value).key("ttl_remaining_ms");
  if (const auto ttl = ttl_remaining_ms(key)) {
    json.integer(*ttl);
  } else {
    json.null();
  }
  json.end_object();
}

void CacheResource::put(std::string_view key, ValueEncoding encoding, std::string_view body,
                        Response& response) {
  PutBody put;
  if (auto error = read_put_body(body, encoding, put)) return set_json_error(response, 400, *error);
  // Looked up without counting a hit or miss (SET itself counts neither), at the current time so
  // an expired key counts as absent.
  server_.keyspace().set_now_ms(server_.runtime().wall_time_ms());
  const bool existed = server_.keyspace().peek(key) != nullptr;
  CommandReply reply;
  if (put.ttl_ms) {
    scratch_ = std::to_string(*put.ttl_ms);
    reply = caller_.call({"SET", key, put.value, "PX", scratch_});
  } else {
    reply = caller_.call({"SET", key, put.value});
  }
  if (reply.kind == CommandReply::Kind::error) return command_error(reply.text, response);
  response.status = existed ? 200 : 201;
  response.body.clear();
  JsonWriter(response.body).begin_object().key("created").boolean(!existed).end_object();
}

void CacheResource::del(std::string_view key, Response& response) {
  const CommandReply reply = caller_.call({"DEL", key});
  if (reply.kind == CommandReply::Kind::error) return command_error(reply.text, response);
  response.status = 200;
  response.body.clear();
  JsonWriter(response.body).begin_object().key("deleted").boolean(reply.integer > 0).end_object();
}

}  // namespace ringcache::http
