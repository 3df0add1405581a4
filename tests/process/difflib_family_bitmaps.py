"""Bitmap commands for the differential test (see difflib_gen.Generator.core_table).

Offsets stay small (the strings of the shared key space stay short), with the odd invalid or
out-of-range one; BITFIELD mixes widths, signedness, '#' offsets and the three overflow modes.
Every reply is deterministic, so all are compared exactly."""

BITS = ["0", "1", "1", "2", "-1", "x"]
RANGE_UNITS = [[], [], ["BYTE"], ["BIT"], ["bit"], ["FOO"]]
TYPES = ["i1", "u1", "i5", "u8", "i8", "u16", "i16", "u31", "i32", "u63", "i64", "u64", "i65",
         "x8", "I8", "u0", ""]
FIELD_VALUES = ["0", "1", "-1", "100", "-100", "200", "255", "256", "9223372036854775807",
                "-9223372036854775808", "x"]


def bit_offset(g):
    r = g.rng
    return r.choice([str(r.randint(0, 64))] * 8 + [str(r.randint(0, 400)), "-1", "x",
                                                    "4294967296", "#2"])


def field_offset(g):
    r = g.rng
    return r.choice([str(r.randint(0, 40))] * 4 + ["#" + str(r.randint(0, 5)), "-1", "#x"])


def index(g):
    r = g.rng
    return r.choice([str(r.randint(-20, 20))] * 5 + ["9223372036854775807", "x"])


def bitcount(g):
    argv = ["BITCOUNT", g.key()]
    shape = g.rng.random()
    if shape < 0.6:
        argv += [index(g), index(g)] + [g.word(u) for u in g.rng.choice(RANGE_UNITS)]
    elif shape < 0.65:
        argv.append(index(g))
    return argv


def bitpos(g):
    argv = ["BITPOS", g.key(), g.rng.choice(BITS)]
    extra = g.rng.choice([0, 1, 2, 2, 3])
    if extra >= 1:
        argv.append(index(g))
    if extra >= 2:
        argv.append(index(g))
    if extra == 3:
        argv.append(g.word(g.rng.choice(["BYTE", "BIT", "FOO"])))
    return argv


def bitop(g):
    op = g.rng.choice(["AND", "OR", "XOR", "NOT", "NOT", "DIFF"])
    sources = [g.key()] if op == "NOT" and g.rng.random() < 0.8 else g.keys()
    return ["BITOP", g.word(op), g.key()] + sources


def bitfield(g, read_only):
    argv = ["BITFIELD_RO" if read_only else "BITFIELD", g.key()]
    for _ in range(g.rng.randint(0, 4)):
        op = g.rng.choice(["GET", "GET", "SET", "INCRBY", "INCRBY", "OVERFLOW", "FOO"])
        if op == "OVERFLOW":
            argv += [g.word(op), g.word(g.rng.choice(["WRAP", "SAT", "FAIL", "FAIL", "NOPE"]))]
            continue
        argv += [g.word(op), g.rng.choice(TYPES[:11] * 3 + TYPES[11:]), field_offset(g)]
        if op in ("SET", "INCRBY"):
            argv.append(g.rng.choice(FIELD_VALUES))
    return argv


def commands(g):
    k = g.key
    return [
        (5, lambda: (["SETBIT", k(), bit_offset(g), g.rng.choice(BITS)], "exact")),
        (3, lambda: (["GETBIT", k(), bit_offset(g)], "exact")),
        (3, lambda: (bitcount(g), "exact")),
        (3, lambda: (bitpos(g), "exact")),
        (2, lambda: (bitop(g), "exact")),
        (4, lambda: (bitfield(g, False), "exact")),
        (1, lambda: (bitfield(g, True), "exact")),
    ]
