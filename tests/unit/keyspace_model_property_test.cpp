// Property: random sequences of string and key commands, run through commands::execute on a
// manual clock, reply exactly as a plain model of the keyspace (a sorted map of value + absolute
// expiry, Redis' rules) predicts; time moves between commands, so keys expire on the way.

// Project headers first: rapidcheck's RC_ASSERT must be the one defined last (core/util/assert.h
// uses the same name).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "core/commands/arguments.h"
#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

enum OpKind {
  op_set,
  op_set_px,
  op_set_nx,
  op_set_xx,
  op_set_keepttl,
  op_get,
  op_del,
  op_incrby,
  op_append,
  op_pexpire,
  op_expire,
  op_persist,
  op_pttl,
  op_ttl,
  op_rename,
  op_getdel,
  op_getex_px,
  op_getex_persist,
  op_setrange,
  op_exists,
  op_keys,
  op_advance,
  op_kinds
};

struct Op {
  int kind = op_get;
  int key = 0;
  int key2 = 0;
  std::string value;
  int64_t amount = 0;
};

void showValue(const Op& op, std::ostream& os) {
  os << "{kind " << op.kind << ", key " << op.key << ", key2 " << op.key2 << ", value '" << op.value
     << "', amount " << op.amount << "}";
}

rc::Gen<Op> gen_op() {
  return rc::gen::build<Op>(
      rc::gen::set(&Op::kind, rc::gen::inRange(0, static_cast<int>(op_kinds))),
      rc::gen::set(&Op::key, rc::gen::inRange(0, 4)),
      rc::gen::set(&Op::key2, rc::gen::inRange(0, 4)),
      rc::gen::set(&Op::value, rc::gen::element<std::string>("", "a", "bc", "12", "-3", "0",
                                                             "9223372036854775807", "x y")),
      rc::gen::set(&Op::amount, rc::gen::inRange<int64_t>(-3, 40)));
}

// Expected replies as RESP2 bytes.
std::string ok() { return "+OK\r\n"; }
std::string nil() { return "$-1\r\n"; }
std::string integer(int64_t value) { return ":" + std::to_string(value) + "\r\n"; }
std::string bulk(const std::string& value) {
  return "$" + std::to_string(value.size()) + "\r\n" + value + "\r\n";
}
std::string error(const std::string& message) { return "-" + message + "\r\n"; }

// The model: what Redis keeps for each key, and Redis' expiry rule (expired once now > time).
class Model {
 public:
  struct Value {
    std::string text;
    int64_t expire_at_ms = -1;
  };

  explicit Model(int64_t now_ms) : now_ms_(now_ms) {}
  int64_t now_ms() const { return now_ms_; }
  void advance(int64_t ms) {
    now_ms_ += ms;
    std::erase_if(keys_, [&](const auto& item) {
      return item.second.expire_at_ms >= 0 && now_ms_ > item.second.expire_at_ms;
    });
  }
  Value* find(const std::string& key) {
    auto it = keys_.find(key);
    return it == keys_.end() ? nullptr : &it->second;
  }
  void set(const std::string& key, std::string text, int64_t expire_at_ms = -1) {
    keys_[key] = Value{std::move(text), expire_at_ms};
  }
  bool erase(const std::string& key) { return keys_.erase(key) > 0; }
  std::vector<std::string> live_keys() const {
    std::vector<std::string> out;
    for (const auto& item : keys_) out.push_back(item.first);
    return out;
  }

 private:
  int64_t now_ms_;
  std::map<std::string, Value> keys_;
};

class Session : public CommandFixture {
 public:
  void TestBody() override {}
  using CommandFixture::advance;
  using CommandFixture::reply;
  using CommandFixture::run;
  using CommandFixture::runtime;
};

const std::string key_names[] = {"k0", "k1", "k2", "k3"};

// Applies `op` to the model and returns the command and the reply the model predicts.
struct Step {
  std::vector<std::string> argv;
  std::string expected;
};

Step set_step(Model& model, const Op& op, const std::string& key) {
  Model::Value* old = model.find(key);
  Step step{{"SET", key, op.value}, ok()};
  switch (op.kind) {
    case op_set_px:
      step.argv.insert(step.argv.end(), {"PX", std::to_string(op.amount * 100)});
      if (op.amount <= 0) return {step.argv, error("ERR invalid expire time in 'set' command")};
      model.set(key, op.value, model.now_ms() + op.amount * 100);
      return step;
    case op_set_nx:
    case op_set_xx:
      step.argv.push_back(op.kind == op_set_nx ? "NX" : "XX");
      if ((old != nullptr) == (op.kind == op_set_nx)) return {step.argv, nil()};
      break;
    case op_set_keepttl:
      step.argv.push_back("KEEPTTL");
      model.set(key, op.value, old == nullptr ? -1 : old->expire_at_ms);
      return step;
  }
  model.set(key, op.value);
  return step;
}

Step expire_step(Model& model, const Op& op, const std::string& key, int64_t unit_ms) {
  Step step{{op.kind == op_expire ? "EXPIRE" : "PEXPIRE", key, std::to_string(op.amount)}, {}};
  Model::Value* value = model.find(key);
  if (value == nullptr) return {step.argv, integer(0)};
  const int64_t at_ms = model.now_ms() + op.amount * unit_ms;
  if (at_ms <= model.now_ms()) {
    model.erase(key);
  } else {
    value->expire_at_ms = at_ms;
  }
  return {step.argv, integer(1)};
}

Step ttl_step(Model& model, const std::string& key, bool in_ms) {
  Step step{{in_ms ? "PTTL" : "TTL", key}, {}};
  const Model::Value* value = model.find(key);
  if (value == nullptr) return {step.argv, integer(-2)};
  if (value->expire_at_ms < 0) return {step.argv, integer(-1)};
  const int64_t left = value->expire_at_ms - model.now_ms();
  return {step.argv, integer(in_ms ? left : (left + 500) / 1000)};
}

Step incrby_step(Model& model, const Op& op, const std::string& key) {
  Step step{{"INCRBY", key, std::to_string(op.amount)}, {}};
  Model::Value* value = model.find(key);
  int64_t current = 0;
  if (value != nullptr) {
    const auto parsed = commands::parse_int64(value->text);
    if (!parsed) return {step.argv, error("ERR value is not an integer or out of range")};
    current = *parsed;
  }
  int64_t sum = 0;
  if (__builtin_add_overflow(current, op.amount, &sum)) {
    return {step.argv, error("ERR increment or decrement would overflow")};
  }
  if (value == nullptr) {
    model.set(key, std::to_string(sum));
  } else {
    value->text = std::to_string(sum);
  }
  return {step.argv, integer(sum)};
}

Step setrange_step(Model& model, const Op& op, const std::string& key) {
  const int64_t offset = std::max<int64_t>(op.amount, 0) % 8;
  Step step{{"SETRANGE", key, std::to_string(offset), op.value}, {}};
  Model::Value* value = model.find(key);
  std::string text = value == nullptr ? "" : value->text;
  if (!op.value.empty()) {
    const size_t end = static_cast<size_t>(offset) + op.value.size();
    if (text.size() < end) text.resize(end, '\0');
    text.replace(static_cast<size_t>(offset), op.value.size(), op.value);
    if (value == nullptr)
      model.set(key, text);
    else
      value->text = text;
  }
  return {step.argv, integer(static_cast<int64_t>(text.size()))};
}

Step rename_step(Model& model, const std::string& from, const std::string& to) {
  Step step{{"RENAME", from, to}, ok()};
  Model::Value* value = model.find(from);
  if (value == nullptr) return {step.argv, error("ERR no such key")};
  if (from == to) return step;
  Model::Value moved = *value;
  model.erase(from);
  model.set(to, moved.text, moved.expire_at_ms);
  return step;
}

Step getex_step(Model& model, const Op& op, const std::string& key) {
  Model::Value* value = model.find(key);
  Step step{{"GETEX", key}, {}};
  if (op.kind == op_getex_persist) {
    step.argv.push_back("PERSIST");
  } else {
    step.argv.insert(step.argv.end(), {"PX", std::to_string(op.amount * 100)});
  }
  if (value == nullptr) return {step.argv, nil()};
  if (op.kind == op_getex_px && op.amount <= 0) {
    return {step.argv, error("ERR invalid expire time in 'getex' command")};
  }
  step.expected = bulk(value->text);
  value->expire_at_ms = op.kind == op_getex_persist ? -1 : model.now_ms() + op.amount * 100;
  return step;
}

Step simple_step(Model& model, const Op& op, const std::string& key) {
  Model::Value* value = model.find(key);
  switch (op.kind) {
    case op_get:
      return {{"GET", key}, value == nullptr ? nil() : bulk(value->text)};
    case op_del:
      return {{"DEL", key}, integer(model.erase(key) ? 1 : 0)};
    case op_exists:
      return {{"EXISTS", key}, integer(value == nullptr ? 0 : 1)};
    case op_getdel: {
      Step step{{"GETDEL", key}, value == nullptr ? nil() : bulk(value->text)};
      model.erase(key);
      return step;
    }
    case op_persist: {
      const bool had = value != nullptr && value->expire_at_ms >= 0;
      if (had) value->expire_at_ms = -1;
      return {{"PERSIST", key}, integer(had ? 1 : 0)};
    }
    case op_append: {
      const std::string text = (value == nullptr ? "" : value->text) + op.value;
      if (value == nullptr)
        model.set(key, text);
      else
        value->text = text;
      return {{"APPEND", key, op.value}, integer(static_cast<int64_t>(text.size()))};
    }
  }
  RC_FAIL("not a simple op");
}

Step model_step(Model& model, const Op& op) {
  const std::string& key = key_names[op.key];
  switch (op.kind) {
    case op_set:
    case op_set_px:
    case op_set_nx:
    case op_set_xx:
    case op_set_keepttl:
      return set_step(model, op, key);
    case op_pexpire:
      return expire_step(model, op, key, 1);
    case op_expire:
      return expire_step(model, op, key, 1000);
    case op_pttl:
      return ttl_step(model, key, true);
    case op_ttl:
      return ttl_step(model, key, false);
    case op_incrby:
      return incrby_step(model, op, key);
    case op_setrange:
      return setrange_step(model, op, key);
    case op_rename:
      return rename_step(model, key, key_names[op.key2]);
    case op_getex_px:
    case op_getex_persist:
      return getex_step(model, op, key);
    default:
      return simple_step(model, op, key);
  }
}

void check_keys(Session& session, const Model& model) {
  const Reply reply = session.reply({"KEYS", "*"});
  std::vector<std::string> keys;
  for (const auto& element : reply.elements) keys.push_back(element.text);
  std::sort(keys.begin(), keys.end());
  RC_ASSERT(keys == model.live_keys());
}

RC_GTEST_PROP(KeyspaceModelProperty, CommandsReplyAsTheModelPredicts, ()) {
  const auto ops = *rc::gen::container<std::vector<Op>>(gen_op());
  Session session;
  Model model(session.runtime().wall_time_ms());
  for (const Op& op : ops) {
    if (op.kind == op_advance) {
      const int64_t ms = std::max<int64_t>(op.amount, 0) * 137;
      session.advance(std::chrono::milliseconds(ms));
      model.advance(ms);
      continue;
    }
    if (op.kind == op_keys) {
      check_keys(session, model);
      continue;
    }
    const Step step = model_step(model, op);
    const std::string actual = session.run(step.argv);
    RC_ASSERT(actual == step.expected);
  }
}

}  // namespace
}  // namespace ringcache::testing
