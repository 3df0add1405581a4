"""Hash commands for the differential test (see difflib_gen.Generator.core_table).

Fields come from a small pool so commands collide; values from the generator's pool (integers,
floats, text) plus now and then one longer than hash-max-listpack-value, and a rare CONFIG SET of
hash-max-listpack-entries, so both encodings and the conversion are exercised. Replies whose
order is the hash table's (HKEYS, HVALS, HGETALL, HSCAN) are compared sorted or as sets;
HRANDFIELD by shape only (it picks at random and changes nothing, so states stay identical)."""

FIELDS = ["a", "b", "c", "f1", "n", "", "x" * 70]
INCREMENTS = ["1", "-3", "0", "100", "9223372036854775807", "-9223372036854775808", "x", "1.5"]
FLOATS = ["1", "1.5", "-0.25", "1e10", "inf", "-inf", "nan", "abc", "", "3.0e2", "5e-3"]
COUNTS = ["0", "1", "2", "5", "-1", "-4", "x", "-9223372036854775808", "9223372036854775807"]
PATTERNS = ["*", "a*", "?", "f*", "[ab]", "nomatch"]


def field(g):
    return g.rng.choice(FIELDS[:-1]) if g.rng.random() < 0.95 else FIELDS[-1]


def value(g):
    return g.value() if g.rng.random() < 0.93 else "v" * g.rng.choice([64, 65, 100])


def pairs(g):
    argv = []
    for _ in range(g.rng.randint(1, 4)):
        argv += [field(g), value(g)]
    if g.rng.random() < 0.05:
        argv.append(field(g))  # unpaired: HSET's own arity error
    return argv


def fields(g):
    return [field(g) for _ in range(g.rng.randint(1, 4))]


def hrandfield(g):
    argv = ["HRANDFIELD", g.key()]
    roll = g.rng.random()
    if roll < 0.7:
        argv.append(g.rng.choice(COUNTS))
    if roll < 0.4:
        argv.append(g.word(g.rng.choice(["WITHVALUES", "WITHVALUES", "WITHVALUE"])))
    if roll < 0.05:
        argv.append("x")
    return argv


def hscan(g):
    argv = ["HSCAN", g.key(), g.rng.choice(["0", "0", "0", "x"])]
    for _ in range(g.rng.choice([0, 1, 1, 2])):
        option = g.rng.choice(["MATCH", "COUNT", "COUNT", "TYPE"])
        argument = (g.rng.choice(PATTERNS) if option == "MATCH" else
                    "hash" if option == "TYPE" else g.rng.choice(["1", "2", "10", "0", "x"]))
        argv += [g.word(option), argument]
    return argv


def commands(g):
    k, r = g.key, g.rng
    return [
        (6, lambda: (["HSET", k()] + pairs(g), "exact")),
        (2, lambda: (["HMSET", k()] + pairs(g), "exact")),
        (2, lambda: (["HSETNX", k(), field(g), value(g)], "exact")),
        (4, lambda: (["HGET", k(), field(g)], "exact")),
        (2, lambda: (["HMGET", k()] + fields(g), "exact")),
        (3, lambda: (["HDEL", k()] + fields(g), "exact")),
        (2, lambda: (["HLEN", k()], "exact")),
        (1, lambda: (["HSTRLEN", k(), field(g)], "exact")),
        (1, lambda: (["HEXISTS", k(), field(g)], "exact")),
        (1, lambda: (["HKEYS", k()], "sorted")),
        (1, lambda: (["HVALS", k()], "sorted")),
        (2, lambda: (["HGETALL", k()], "sorted_pairs")),
        (3, lambda: (["HINCRBY", k(), field(g), r.choice(INCREMENTS)], "exact")),
        (3, lambda: (["HINCRBYFLOAT", k(), field(g), r.choice(FLOATS)], "exact")),
        (2, lambda: (hrandfield(g), "random_pick")),
        (2, lambda: (hscan(g), "scan_elements")),
        (0.3, lambda: (["CONFIG", "SET", "hash-max-listpack-entries",
                        r.choice(["0", "2", "4", "128"])], "exact")),
    ]
