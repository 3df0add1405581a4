"""SORT, SORT_RO, COPY (also to another database) and COMMAND GETKEYS for the differential test.

SORT reads lists, sets and sorted sets the other families build on the same keys, with weights
and GET values from keys named by patterns over the key pool ("k:*" with elements "1", "2" names
k:1, k:2; "*" names the element itself; "k:*->a" a hash field). Only orders Redis defines are
compared exactly: ALPHA with BY leaves equal weights in an undefined order, so it is not
generated, and a set read without sorting (BY nosort, no STORE) comes in hash order, so that
reply is compared sorted."""

PATTERNS = ["*", "k:*", "K:*", "k:*->a", "*->f1", "nosort", "nokey_*", "#"]
LIMITS = ["0", "1", "2", "-1", "10", "x"]


def sort_options(g, read_only):
    r = g.rng
    argv = []
    alpha = by = False
    for _ in range(r.randint(0, 3)):
        roll = r.random()
        if roll < 0.2:
            argv.append(g.word(r.choice(["ASC", "DESC"])))
        elif roll < 0.35 and not by:
            argv.append(g.word("ALPHA"))
            alpha = True
        elif roll < 0.5:
            argv += [g.word("LIMIT"), r.choice(LIMITS), r.choice(LIMITS)]
        elif roll < 0.65 and not alpha:
            argv += [g.word("BY"), r.choice(PATTERNS)]
            by = True
        elif roll < 0.85:
            argv += [g.word("GET"), r.choice(PATTERNS)]
        elif not read_only:
            argv += [g.word("STORE"), g.key()]
    if r.random() < 0.03:
        argv.append("BOGUS")
    return argv


def unordered_form(argv):
    """argv without LIMIT (it would pick an order-dependent subset) and GET (its nils cannot be
    sorted for the comparison)."""
    out, i = [], 0
    while i < len(argv):
        if argv[i].upper() == "LIMIT" and i + 2 < len(argv):
            i += 3
            continue
        if argv[i].upper() == "GET" and i + 1 < len(argv):
            i += 2
            continue
        out.append(argv[i])
        i += 1
    return out


def sort_command(g):
    read_only = g.rng.random() < 0.3
    argv = ["SORT_RO" if read_only else "SORT", g.key()] + sort_options(g, read_only)
    upper = [a.upper() for a in argv]
    unsorted = any(upper[i] == "BY" and "*" not in argv[i + 1] for i in range(len(argv) - 1))
    if not unsorted or "STORE" in upper:
        return argv, "exact"
    # Unsorted and not stored: a set's members come in its table's order, so the reply is
    # compared as a multiset.
    return unordered_form(argv), "sorted"


def copy_command(g):
    argv = ["COPY", g.key(), g.key()]
    if g.rng.random() < 0.4:
        argv.append(g.word("REPLACE"))
    if g.rng.random() < 0.25:
        argv += [g.word("DB"), g.db_index()]
    return argv


def getkeys(g):
    inner = g.rng.choice([
        ["SORT", g.key(), "LIMIT", "0", "1", "STORE", g.key()],
        ["SORT", g.key(), "GET", "#", "BY", "store"],
        ["SORT_RO", g.key()],
        ["SET", g.key(), "v"],
        ["SET", g.key(), "v", "GET"],
        ["MSET", g.key(), "1", g.key(), "2"],
        ["COPY", g.key(), g.key(), "REPLACE"],
        ["LMOVE", g.key(), g.key(), "LEFT", "RIGHT"],
        ["ZUNIONSTORE", g.key(), "2", g.key(), g.key()],
        ["ZUNION", "0", g.key()],
        ["EVAL", "return 1", g.rng.choice(["0", "1", "2", "x"]), g.key()],
        ["EXISTS", g.key()],
        ["GET", g.key(), "extra"],
        ["ECHO", "a"],
        ["SPUBLISH", "c", "m"],
        ["PING"],
        ["NOSUCHCOMMAND", "x"],
        # The newer families' key specs: several keys, keys after a keyword, none.
        ["COPY", g.key(), g.key(), "DB", "1"],
        ["MOVE", g.key(), "1"],
        ["SWAPDB", "0", "1"],
        ["RESTORE", g.key(), "0", "payload"],
        ["BITOP", "AND", g.key(), g.key(), g.key()],
        ["PFMERGE", g.key(), g.key()],
        ["LCS", g.key(), g.key()],
        ["GEORADIUS", g.key(), "0", "0", "1", "km", "STORE", g.key()],
        ["GEOSEARCHSTORE", g.key(), g.key(), "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"],
        ["XREAD", "COUNT", "1", "STREAMS", g.key(), g.key(), "0", "0"],
        ["XREADGROUP", "GROUP", "g", "c", "STREAMS", g.key(), ">"],
        ["XINFO", "STREAM", g.key()],
    ])
    return ["COMMAND", g.rng.choice(["GETKEYS", "GETKEYSANDFLAGS"])] + inner


def commands(g):
    return [
        (4, lambda: sort_command(g)),
        (3, lambda: (copy_command(g), "exact")),
        (1, lambda: (getkeys(g), "exact")),
    ]
