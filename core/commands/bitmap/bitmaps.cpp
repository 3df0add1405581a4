// The bitmap family: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO on string
// values, with Redis 7.0's replies and error words (bitops.c). The bit arithmetic is in
// bit_ops.h; this file parses arguments, reads and writes the keyspace, and replies.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/bitmap/bit_ops.h"
#include "core/commands/command.h"
#include "core/commands/encoded_families.h"
#include "core/commands/spec_builder.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands {
namespace {

using bitmap::BitRange;
using bitmap::FieldType;
using bitmap::Overflow;
using store::Entry;
using store::no_expiry;
using store::StringForm;

constexpr std::string_view bad_offset = "ERR bit offset is not an integer or out of range";
constexpr std::string_view bad_bit = "ERR bit is not an integer or out of range";
constexpr std::string_view bad_field_type =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "
    "i64 is.";

// A bit offset argument: non-negative and within proto-max-bulk-len bytes. BITFIELD's "#N"
// form (`field_bits` > 0) means N fields of that width.
std::optional<uint64_t> offset_or_reply(CommandContext& ctx, std::string_view arg,
                                        unsigned field_bits = 0) {
  const bool by_field = field_bits > 0 && !arg.empty() && arg[0] == '#';
  auto offset = parse_int64(by_field ? arg.substr(1) : arg);
  int64_t scaled = 0;
  if (offset && by_field) {
    offset = __builtin_mul_overflow(*offset, static_cast<int64_t>(field_bits), &scaled)
                 ? std::nullopt
                 : std::optional<int64_t>(scaled);
  }
  if (!offset || *offset < 0 || (*offset >> 3) >= ctx.server.config().proto_max_bulk_len) {
    ctx.reply.error(bad_offset);
    return std::nullopt;
  }
  return static_cast<uint64_t>(*offset);
}

// The string value a read command works on ("" for a missing key); nullopt after WRONGTYPE.
std::optional<std::string_view> read_bits(CommandContext& ctx, std::string_view key,
                                          bool* found = nullptr) {
  const Entry* entry = ctx.server.keyspace().find_read(key);
  if (reject_wrong_type(ctx, entry)) return std::nullopt;
  if (found != nullptr) *found = entry != nullptr;
  return entry == nullptr ? std::string_view() : entry->string_value();
}

// The value a write command starts from, grown with zero bytes to hold bit `max_bit`, as Redis'
// lookupStringForBitCommand; nullopt after WRONGTYPE.
std::optional<std::string> bits_for_write(CommandContext& ctx, std::string_view key,
                                          uint64_t max_bit) {
  const Entry* entry = ctx.server.keyspace().find_write(key);
  if (reject_wrong_type(ctx, entry)) return std::nullopt;
  std::string value(entry == nullptr ? std::string_view() : entry->string_value());
  if (value.size() < (max_bit >> 3) + 1) value.resize((max_bit >> 3) + 1, '\0');
  return value;
}

// Stores a bit command's result in place (keeping the TTL), as a raw string.
void store_bits(CommandContext& ctx, std::string_view key, std::string_view value) {
  auto& keyspace = ctx.server.keyspace();
  Entry* entry = keyspace.find_write(key);
  if (entry == nullptr) {
    entry = keyspace.set_string(key, value, no_expiry);
    keyspace.set_string_form(entry, StringForm::raw);
  } else {
    keyspace.update_string(entry, value, StringForm::raw);
  }
  ctx.server.key_modified(key);
  ctx.server.notify_keyspace_event(server::event_string, "setbit", key);
}

void setbit_command(CommandContext& ctx) {
  const auto offset = offset_or_reply(ctx, ctx.argv[2]);
  if (!offset) return;
  const auto on = parse_int64(ctx.argv[3]);
  if (!on || (*on & ~int64_t{1}) != 0) return ctx.reply.error(bad_bit);
  const Entry* entry = ctx.server.keyspace().find_write(ctx.argv[1]);
  if (reject_wrong_type(ctx, entry)) return;
  const size_t old_size = entry == nullptr ? 0 : entry->string_value().size();
  auto value = bits_for_write(ctx, ctx.argv[1], *offset);
  if (!value) return;
  const bool old = bitmap::get_bit(*value, *offset);
  // Only a new key, a longer string or a flipped bit is a change (WATCH, AOF, notifications).
  if (entry == nullptr || value->size() != old_size || old != (*on == 1)) {
    bitmap::set_bit(*value, *offset, *on == 1);
    store_bits(ctx, ctx.argv[1], *value);
  }
  ctx.reply.integer(old ? 1 : 0);
}

void getbit_command(CommandContext& ctx) {
  const auto offset = offset_or_reply(ctx, ctx.argv[2]);
  if (!offset) return;
  const auto value = read_bits(ctx, ctx.argv[1]);
  if (!value) return;
  ctx.reply.integer(bitmap::get_bit(*value, *offset) ? 1 : 0);
}

// BYTE or BIT (the unit of a BITCOUNT/BITPOS range); nullopt after a syntax error.
std::optional<bool> unit_in_bits_or_reply(CommandContext& ctx, std::string_view arg) {
  if (option_is(arg, "BIT")) return true;
  if (option_is(arg, "BYTE")) return false;
  ctx.reply.error(errors::syntax);
  return std::nullopt;
}

void bitcount_command(CommandContext& ctx) {
  const size_t argc = ctx.argv.size();
  // A missing key counts 0 before the range is even read, as in Redis 7.0.
  bool found = false;
  const auto value = read_bits(ctx, ctx.argv[1], &found);
  if (!value) return;
  if (!found) return ctx.reply.integer(0);
  if (argc == 2) {
    const auto bits = static_cast<int64_t>(value->size()) * 8;
    return ctx.reply.integer(bitmap::count_bits(*value, {0, bits - 1}));
  }
  if (argc != 4 && argc != 5) return ctx.reply.error(errors::syntax);
  const auto start = int64_or_reply(ctx, ctx.argv[2]);
  if (!start) return;
  const auto end = int64_or_reply(ctx, ctx.argv[3]);
  if (!end) return;
  if (*start < 0 && *end < 0 && *start > *end) return ctx.reply.integer(0);
  bool in_bits = false;
  if (argc == 5) {
    const auto unit = unit_in_bits_or_reply(ctx, ctx.argv[4]);
    if (!unit) return;
    in_bits = *unit;
  }
  const BitRange range = bitmap::clip_range(*start, *end, value->size(), in_bits);
  ctx.reply.integer(bitmap::count_bits(*value, range));
}

void bitpos_command(CommandContext& ctx) {
  const size_t argc = ctx.argv.size();
  const auto bit = parse_int64(ctx.argv[2]);
  if (!bit) return ctx.reply.error(errors::not_integer);
  if (*bit != 0 && *bit != 1) return ctx.reply.error("ERR The bit argument must be 1 or 0.");
  bool found = false;
  const auto value = read_bits(ctx, ctx.argv[1], &found);
  if (!value) return;
  // A missing key is an endless run of zeros.
  if (!found) return ctx.reply.integer(*bit == 1 ? -1 : 0);
  if (argc > 6) return ctx.reply.error(errors::syntax);
  int64_t start = 0;
  int64_t end = -1;
  bool in_bits = false;
  if (argc >= 4) {
    const auto parsed = int64_or_reply(ctx, ctx.argv[3]);
    if (!parsed) return;
    start = *parsed;
  }
  if (argc == 6) {
    const auto unit = unit_in_bits_or_reply(ctx, ctx.argv[5]);
    if (!unit) return;
    in_bits = *unit;
  }
  if (argc >= 5) {
    const auto parsed = int64_or_reply(ctx, ctx.argv[4]);
    if (!parsed) return;
    end = *parsed;
  }
  const BitRange range = bitmap::clip_range(start, end, value->size(), in_bits);
  if (range.empty()) return ctx.reply.integer(-1);
  if (const auto at = bitmap::find_bit(*value, range, *bit == 1)) return ctx.reply.integer(*at);
  // No clear bit: without an explicit end the string reads as followed by zeros.
  const bool end_given = argc >= 5;
  ctx.reply.integer(*bit == 1 || end_given ? -1 : range.last + 1);
}

std::optional<bitmap::BitOp> bit_op(std::string_view name) {
  if (option_is(name, "AND")) return bitmap::BitOp::op_and;
  if (option_is(name, "OR")) return bitmap::BitOp::op_or;
  if (option_is(name, "XOR")) return bitmap::BitOp::op_xor;
  if (option_is(name, "NOT")) return bitmap::BitOp::op_not;
  return std::nullopt;
}

void bitop_command(CommandContext& ctx) {
  const auto op = bit_op(ctx.argv[1]);
  if (!op) return ctx.reply.error(errors::syntax);
  if (*op == bitmap::BitOp::op_not && ctx.argv.size() != 4) {
    return ctx.reply.error("ERR BITOP NOT must be called with a single source key.");
  }
  // Values are copied: the destination may be one of the sources.
  std::vector<std::string> values;
  for (size_t i = 3; i < ctx.argv.size(); ++i) {
    const auto value = read_bits(ctx, ctx.argv[i]);
    if (!value) return;
    values.emplace_back(*value);
  }
  const std::vector<std::string_view> sources(values.begin(), values.end());
  const std::string result = bitmap::combine(*op, sources);
  const std::string_view dest = ctx.argv[2];
  auto& keyspace = ctx.server.keyspace();
  if (!result.empty()) {
    keyspace.set_string_form(keyspace.set_string(dest, result, no_expiry), StringForm::raw);
    ctx.server.key_modified(dest);
    ctx.server.notify_keyspace_event(server::event_string, "set", dest);
  } else if (keyspace.erase(dest)) {
    ctx.server.key_modified(dest);
    ctx.server.notify_keyspace_event(server::event_generic, "del", dest);
  }
  ctx.reply.integer(static_cast<int64_t>(result.size()));
}

// --- BITFIELD --------------------------------------------------------------------------------

enum class FieldOpKind { get, set, incrby };

struct FieldOp {
  FieldOpKind kind = FieldOpKind::get;
  FieldType type;
  uint64_t offset = 0;
  int64_t argument = 0;
  Overflow overflow = Overflow::wrap;
};

std::optional<FieldType> field_type_or_reply(CommandContext& ctx, std::string_view arg) {
  FieldType type;
  const auto bits = arg.empty() ? std::nullopt : parse_int64(arg.substr(1));
  if (!arg.empty() && (arg[0] == 'i' || arg[0] == 'u') && bits && *bits >= 1) {
    type.is_signed = arg[0] == 'i';
    if (*bits <= (type.is_signed ? 64 : 63)) {
      type.bits = static_cast<unsigned>(*bits);
      return type;
    }
  }
  ctx.reply.error(bad_field_type);
  return std::nullopt;
}

std::optional<Overflow> overflow_or_reply(CommandContext& ctx, std::string_view arg) {
  if (option_is(arg, "WRAP")) return Overflow::wrap;
  if (option_is(arg, "SAT")) return Overflow::sat;
  if (option_is(arg, "FAIL")) return Overflow::fail;
  ctx.reply.error("ERR Invalid OVERFLOW type specified");
  return std::nullopt;
}

// Parses the subcommands after the key; nullopt after replying the first error.
std::optional<std::vector<FieldOp>> parse_field_ops(CommandContext& ctx) {
  std::vector<FieldOp> ops;
  Overflow overflow = Overflow::wrap;
  const size_t argc = ctx.argv.size();
  for (size_t i = 2; i < argc; ++i) {
    const size_t left = argc - i - 1;
    const std::string_view name = ctx.argv[i];
    FieldOp op;
    if (option_is(name, "GET") && left >= 2) {
      op.kind = FieldOpKind::get;
    } else if (option_is(name, "SET") && left >= 3) {
      op.kind = FieldOpKind::set;
    } else if (option_is(name, "INCRBY") && left >= 3) {
      op.kind = FieldOpKind::incrby;
    } else if (option_is(name, "OVERFLOW") && left >= 1) {
      const auto parsed = overflow_or_reply(ctx, ctx.argv[++i]);
      if (!parsed) return std::nullopt;
      overflow = *parsed;
      continue;
    } else {
      ctx.reply.error(errors::syntax);
      return std::nullopt;
    }
    const auto type = field_type_or_reply(ctx, ctx.argv[i + 1]);
    if (!type) return std::nullopt;
    const auto offset = offset_or_reply(ctx, ctx.argv[i + 2], type->bits);
    if (!offset) return std::nullopt;
    op.type = *type;
    op.offset = *offset;
    op.overflow = overflow;
    if (op.kind != FieldOpKind::get) {
      const auto argument = int64_or_reply(ctx, ctx.argv[i + 3]);
      if (!argument) return std::nullopt;
      op.argument = *argument;
    }
    ops.push_back(op);
    i += op.kind == FieldOpKind::get ? 2 : 3;
  }
  return ops;
}

// Runs one SET or INCRBY on `value` and replies its result (nil when OVERFLOW FAIL refused it).
void apply_field_write(CommandContext& ctx, std::string& value, const FieldOp& op) {
  const int64_t old = bitmap::get_field(value, op.offset, op.type);
  std::optional<int64_t> written;
  if (op.kind == FieldOpKind::incrby) {
    written = bitmap::fit_field(old, op.argument, op.type, op.overflow);
  } else {
    // Unsigned fields take the argument's 64 bits as an unsigned number, as Redis does.
    const __int128 argument = op.type.is_signed
                                  ? static_cast<__int128>(op.argument)
                                  : static_cast<__int128>(static_cast<uint64_t>(op.argument));
    written = bitmap::fit_field(argument, 0, op.type, op.overflow);
  }
  if (!written) return ctx.reply.null();
  bitmap::set_field(value, op.offset, op.type, *written);
  ctx.reply.integer(op.kind == FieldOpKind::incrby ? *written : old);
}

bool has_incrby(const std::vector<FieldOp>& ops) {
  return std::any_of(ops.begin(), ops.end(),
                     [](const FieldOp& op) { return op.kind == FieldOpKind::incrby; });
}

void bitfield_generic(CommandContext& ctx, bool read_only_command) {
  const auto ops = parse_field_ops(ctx);
  if (!ops) return;
  uint64_t max_bit = 0;
  bool writes = false;
  for (const auto& op : *ops) {
    if (op.kind == FieldOpKind::get) continue;
    writes = true;
    max_bit = std::max(max_bit, op.offset + op.type.bits - 1);
  }
  std::optional<std::string> value;
  const Entry* before = nullptr;
  std::string old_value;
  if (!writes) {
    const auto read = read_bits(ctx, ctx.argv[1]);
    if (!read) return;
    value.emplace(*read);
  } else {
    if (read_only_command) {
      return ctx.reply.error("ERR BITFIELD_RO only supports the GET subcommand");
    }
    before = ctx.server.keyspace().find_write(ctx.argv[1]);
    if (reject_wrong_type(ctx, before)) return;
    if (before != nullptr) old_value = before->string_value();
    value = bits_for_write(ctx, ctx.argv[1], max_bit);
    if (!value) return;
  }
  ctx.reply.array(ops->size());
  for (const auto& op : *ops) {
    if (op.kind == FieldOpKind::get) {
      ctx.reply.integer(bitmap::get_field(*value, op.offset, op.type));
    } else {
      apply_field_write(ctx, *value, op);
    }
  }
  // A write that changed nothing (SET of the same value into an existing string of the same
  // length) is no change; INCRBY always is, as Redis counts it.
  if (writes && (before == nullptr || *value != old_value || has_incrby(*ops))) {
    store_bits(ctx, ctx.argv[1], *value);
  }
}

void bitfield_command(CommandContext& ctx) { bitfield_generic(ctx, false); }
void bitfield_ro_command(CommandContext& ctx) { bitfield_generic(ctx, true); }

CommandSpec bitmap_spec(std::string name, int arity, uint32_t flags, KeyRange keys,
                        Handler handler, std::string summary, std::string since) {
  return SpecBuilder::family("bitmap", data_acl("@bitmap"), keys)
      .command(name, arity, handler)
      .flags(flags)
      .doc(summary, since);
}

}  // namespace

void register_bitmap_commands(CommandTable& table) {
  constexpr KeyRange bitop_keys{2, -1, 1};
  const CommandSpec specs[] = {
      bitmap_spec("setbit", 4, write_oom, one_key, setbit_command,
                  "Sets or clears the bit at offset in the string value stored at key", "2.2.0"),
      bitmap_spec("getbit", 3, read_fast, one_key, getbit_command,
                  "Returns the bit value at offset in the string value stored at key", "2.2.0"),
      bitmap_spec("bitcount", -2, flag_readonly, one_key, bitcount_command,
                  "Count set bits in a string", "2.6.0"),
      bitmap_spec("bitpos", -3, flag_readonly, one_key, bitpos_command,
                  "Find first bit set or clear in a string", "2.8.7"),
      bitmap_spec("bitop", -4, write_oom, bitop_keys, bitop_command,
                  "Perform bitwise operations between strings", "2.6.0"),
      bitmap_spec("bitfield", -2, write_oom, one_key, bitfield_command,
                  "Perform arbitrary bitfield integer operations on strings", "3.2.0"),
      bitmap_spec("bitfield_ro", -2, read_fast, one_key, bitfield_ro_command,
                  "Perform arbitrary bitfield integer operations on strings. Read-only variant "
                  "of BITFIELD",
                  "6.0.0"),
  };
  for (const auto& spec : specs) table.add(spec);
}

}  // namespace ringcache::commands
