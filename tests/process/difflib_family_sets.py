"""Set commands for the differential test (see difflib_gen.Generator.core_table).

Members mix canonical integers (intset) with strings and non-canonical integers ("01", "+1"),
and a rare CONFIG SET of set-max-intset-entries makes sets convert by size too. Replies whose
order is the table's (SMEMBERS, SINTER, SUNION, SDIFF, SSCAN) are compared sorted or as sets;
SRANDMEMBER by shape. SPOP changes the set at random, so it only ever pops with a count larger
than any set here (it takes everything, deterministic) or 0 (see difflib_compare pop_all)."""

MEMBERS = ["1", "2", "3", "-5", "10", "0", "9223372036854775807", "01", "+1", "a", "b", "c",
           "", "1.5", "x" * 70]
COUNTS = ["0", "1", "2", "5", "-1", "-4", "x", "-9223372036854775808"]
PATTERNS = ["*", "1*", "?", "[ab]", "nomatch"]


def member(g):
    return g.rng.choice(MEMBERS)


def members(g, low=1, high=4):
    return [member(g) for _ in range(g.rng.randint(low, high))]


def sscan(g):
    argv = ["SSCAN", g.key(), g.rng.choice(["0", "0", "0", "x"])]
    for _ in range(g.rng.choice([0, 1, 1, 2])):
        option = g.rng.choice(["MATCH", "COUNT", "COUNT", "FOO"])
        argument = (g.rng.choice(PATTERNS) if option == "MATCH" else
                    g.rng.choice(["1", "2", "10", "0", "x"]))
        argv += [g.word(option), argument]
    return argv


def sintercard(g):
    keys = g.keys()
    numkeys = g.rng.choice([str(len(keys))] * 6 + ["0", "-1", "x", str(len(keys) + 1)])
    argv = ["SINTERCARD", numkeys] + keys
    if g.rng.random() < 0.5:
        argv += [g.word("LIMIT"), g.rng.choice(["0", "1", "2", "-1", "x"])]
    if g.rng.random() < 0.05:
        argv.append(g.word("LIMIT"))
    return argv


def spop(g):
    count = g.rng.choice(["1000", "1000", "0", "-1", "x"])  # 1000: compare.POP_ALL_COUNT
    argv = ["SPOP", g.key(), count]
    return argv + (["1"] if g.rng.random() < 0.05 else [])


def srandmember(g):
    argv = ["SRANDMEMBER", g.key()]
    if g.rng.random() < 0.7:
        argv.append(g.rng.choice(COUNTS))
    return argv


def commands(g):
    k, r = g.key, g.rng
    store = lambda name: ([name, k()] + g.keys(), "exact")  # noqa: E731
    return [
        (8, lambda: (["SADD", k()] + members(g), "exact")),
        (3, lambda: (["SREM", k()] + members(g), "exact")),
        (2, lambda: (["SCARD", k()], "exact")),
        (2, lambda: (["SISMEMBER", k(), member(g)], "exact")),
        (1, lambda: (["SMISMEMBER", k()] + members(g), "exact")),
        (2, lambda: (["SMEMBERS", k()], "sorted")),
        (2, lambda: (srandmember(g), "random_pick")),
        (1, lambda: (spop(g), "pop_all")),
        (2, lambda: (["SMOVE", k(), k(), member(g)], "exact")),
        (1, lambda: (["SINTER"] + g.keys(), "sorted")),
        (1, lambda: (["SUNION"] + g.keys(), "sorted")),
        (1, lambda: (["SDIFF"] + g.keys(), "sorted")),
        (1, lambda: store("SINTERSTORE")),
        (1, lambda: store("SUNIONSTORE")),
        (1, lambda: store("SDIFFSTORE")),
        (1, lambda: (sintercard(g), "exact")),
        (2, lambda: (sscan(g), "scan_elements")),
        (0.3, lambda: (["CONFIG", "SET", "set-max-intset-entries",
                        r.choice(["0", "1", "3", "512"])], "exact")),
    ]
