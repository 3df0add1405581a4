"""The list family for the differential test: pushes, pops, ranges, positions and moves with
valid and invalid arguments over the shared key space (so list and string keys collide and
WRONGTYPE paths run). Blocking commands appear only with a short timeout, so with nothing to
take both servers answer null after it. BLPOP/BRPOP are left out: the generator's random extra
argument would become their timeout, and "0" blocks forever (their answers are unit-tested)."""

ENDS = ["LEFT", "RIGHT", "left", "Right", "UP"]
SHORT_TIMEOUTS = ["0.001", "0.002", "-1", "x", "inf"]


def _elements(g, low=1, high=4):
    return [g.value() for _ in range(g.rng.randint(low, high))]


def _count(g):
    return g.rng.choice(["0", "1", "2", "3", "10", "-1", "x", "9223372036854775807"])


def _lpos(g):
    argv = ["LPOS", g.key(), g.value()]
    for _ in range(g.rng.choice([0, 0, 1, 2, 3])):
        option = g.rng.choice(["RANK", "COUNT", "MAXLEN", "FOO"])
        argv += [g.word(option), g.rng.choice(["1", "2", "-1", "-2", "0", "3", "-5", "x"])]
    if g.rng.random() < 0.05:
        argv.append("RANK")  # an option without its value
    return argv


def _multi_pop(g, blocking):
    keys = g.keys(1, 3)
    numkeys = str(len(keys)) if g.rng.random() < 0.9 else g.rng.choice(["0", "-1", "x", "9"])
    argv = ["BLMPOP", g.rng.choice(SHORT_TIMEOUTS)] if blocking else ["LMPOP"]
    argv += [numkeys] + keys + [g.rng.choice(ENDS)]
    if g.rng.random() < 0.5:
        argv += [g.word("COUNT"), _count(g)]
    return argv


def commands(g):
    k, r = g.key, g.rng
    return [
        (6, lambda: ([r.choice(["LPUSH", "RPUSH"]), k()] + _elements(g), "exact")),
        (2, lambda: ([r.choice(["LPUSHX", "RPUSHX"]), k()] + _elements(g), "exact")),
        (4, lambda: ([r.choice(["LPOP", "RPOP"]), k()] + ([_count(g)] if r.random() < 0.4 else []),
                     "exact")),
        (2, lambda: (["LLEN", k()], "exact")),
        (4, lambda: (["LRANGE", k(), g.index(), g.index()], "exact")),
        (3, lambda: (["LINDEX", k(), g.index()], "exact")),
        (2, lambda: (["LSET", k(), g.index(), g.value()], "exact")),
        (2, lambda: (["LINSERT", k(), r.choice(["BEFORE", "AFTER", "after", "MIDDLE"]), g.value(),
                      g.value()], "exact")),
        (2, lambda: (["LREM", k(), g.index(), g.value()], "exact")),
        (2, lambda: (["LTRIM", k(), g.index(), g.index()], "exact")),
        (3, lambda: (_lpos(g), "exact")),
        (2, lambda: (["LMOVE", k(), k(), r.choice(ENDS), r.choice(ENDS)], "exact")),
        (1, lambda: (["RPOPLPUSH", k(), k()], "exact")),
        (2, lambda: (_multi_pop(g, False), "exact")),
        (1, lambda: (["BLMOVE", k(), k(), r.choice(ENDS), r.choice(ENDS),
                      r.choice(SHORT_TIMEOUTS)], "exact")),
        (1, lambda: (["BRPOPLPUSH", k(), k(), r.choice(SHORT_TIMEOUTS)], "exact")),
        (1, lambda: (_multi_pop(g, True), "exact")),
    ]
