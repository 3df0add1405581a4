"""Stream commands for the differential test (see difflib_gen.Generator.core_table).

IDs are explicit (never "*", which reads each server's clock) from a small range so XADDs collide
with the top item, deletions and trims hit, and "ms-*" picks sequences; invalid IDs, exclusive
bounds and the ends "-"/"+" come now and then. Consumer groups, consumers and PEL commands run
with min-idle 0 and no IDLE/TIME, so nothing depends on when a command ran; the replies that
show the clock (XPENDING's range form, XINFO CONSUMERS, XINFO STREAM FULL) are compared without
it (difflib_compare.stream_normalised). A rare
CONFIG SET of stream-node-max-entries moves node boundaries, which XTRIM "~" and LIMIT expose."""

GROUPS = ["g1", "g2", "nogroup"]
CONSUMERS = ["alice", "bob", "carol"]
FIELDS = ["f", "g", "h"]
COUNTS = ["0", "1", "2", "3", "10", "-1", "x"]


def stream_id(g, allow_star=False, allow_ends=False):
    roll = g.rng.random()
    if roll < 0.55:
        return "%d-%d" % (g.rng.randint(0, 30), g.rng.randint(0, 3))
    if roll < 0.7:
        return str(g.rng.randint(0, 30))
    if allow_star and roll < 0.85:
        return "%d-*" % g.rng.randint(0, 30)
    if allow_ends and roll < 0.92:
        return g.rng.choice(["-", "+"])
    return g.rng.choice(["0-0", "x", "1-x", "-1", "18446744073709551615-18446744073709551615",
                         "18446744073709551615", "0-1", "(5", ""])


def range_bound(g, start):
    roll = g.rng.random()
    if roll < 0.35:
        return "-" if start else "+"
    if roll < 0.55:
        return "(" + stream_id(g)
    return stream_id(g, allow_ends=True)


def items(g):
    argv = []
    for _ in range(g.rng.choice([1, 1, 1, 2, 3])):
        argv += [g.rng.choice(FIELDS), g.value()]
    if g.rng.random() < 0.04:
        argv.append("odd")
    return argv


def trim_args(g):
    strategy = g.rng.choice(["MAXLEN", "MAXLEN", "MINID"])
    argv = [g.word(strategy)]
    operator = g.rng.choice(["", "", "=", "~"])
    if operator:
        argv.append(operator)
    argv.append(str(g.rng.randint(0, 6)) if strategy == "MAXLEN" else stream_id(g))
    if g.rng.random() < 0.2:
        argv += [g.word("LIMIT"), g.rng.choice(["0", "1", "3", "-1"])]
    return argv


def xadd(g):
    argv = ["XADD", g.key()]
    if g.rng.random() < 0.1:
        argv.append(g.word("NOMKSTREAM"))
    if g.rng.random() < 0.25:
        argv += trim_args(g)
    return argv + [stream_id(g, allow_star=True)] + items(g)


def count_option(g):
    return [g.word("COUNT"), g.rng.choice(COUNTS)] if g.rng.random() < 0.4 else []


def xrange(g, reverse):
    first, second = range_bound(g, True), range_bound(g, False)
    if reverse:
        first, second = second, first
    return ["XREVRANGE" if reverse else "XRANGE", g.key(), first, second] + count_option(g)


def streams_part(g, group):
    keys = g.keys(1, 2)
    if group:
        ids = [g.rng.choice([">", ">", ">", "0", stream_id(g)]) for _ in keys]
    else:
        ids = [g.rng.choice(["0", "$", stream_id(g)]) for _ in keys]
    if g.rng.random() < 0.03:
        ids.pop()
    return [g.word("STREAMS")] + keys + ids


def xread(g):
    return ["XREAD"] + count_option(g) + streams_part(g, False)


def xreadgroup(g):
    argv = ["XREADGROUP", g.word("GROUP"), g.rng.choice(GROUPS), g.rng.choice(CONSUMERS)]
    argv += count_option(g)
    if g.rng.random() < 0.2:
        argv.append(g.word("NOACK"))
    return argv + streams_part(g, True)


def xgroup(g):
    sub = g.rng.choice(["CREATE", "CREATE", "SETID", "DESTROY", "CREATECONSUMER", "DELCONSUMER",
                        "NOPE"])
    argv = ["XGROUP", g.word(sub), g.key(), g.rng.choice(GROUPS)]
    if sub in ("CREATE", "SETID"):
        argv.append(g.rng.choice(["$", "0", stream_id(g)]))
        if sub == "CREATE" and g.rng.random() < 0.5:
            argv.append(g.word("MKSTREAM"))
        if g.rng.random() < 0.2:
            argv += [g.word("ENTRIESREAD"), g.rng.choice(["0", "2", "-1", "-2", "x"])]
    elif sub in ("CREATECONSUMER", "DELCONSUMER"):
        argv.append(g.rng.choice(CONSUMERS))
    return argv


def xpending(g):
    argv = ["XPENDING", g.key(), g.rng.choice(GROUPS)]
    if g.rng.random() < 0.4:
        return argv, "exact"
    if g.rng.random() < 0.2:
        argv += [g.word("IDLE"), "0"]
    argv += [range_bound(g, True), range_bound(g, False), g.rng.choice(COUNTS)]
    if g.rng.random() < 0.4:
        argv.append(g.rng.choice(CONSUMERS))
    return argv, "stream_pending"


def xclaim(g):
    argv = ["XCLAIM", g.key(), g.rng.choice(GROUPS), g.rng.choice(CONSUMERS), "0"]
    argv += [stream_id(g) for _ in range(g.rng.randint(1, 3))]
    for option in ("JUSTID", "FORCE"):
        if g.rng.random() < 0.3:
            argv.append(g.word(option))
    if g.rng.random() < 0.2:
        argv += [g.word("RETRYCOUNT"), g.rng.choice(["0", "5", "x"])]
    if g.rng.random() < 0.1:
        argv += [g.word("LASTID"), stream_id(g)]
    return argv


def xautoclaim(g):
    argv = ["XAUTOCLAIM", g.key(), g.rng.choice(GROUPS), g.rng.choice(CONSUMERS), "0",
            range_bound(g, True)]
    if g.rng.random() < 0.5:
        argv += [g.word("COUNT"), g.rng.choice(["1", "2", "5", "0", "x"])]
    if g.rng.random() < 0.3:
        argv.append(g.word("JUSTID"))
    return argv


def xsetid(g):
    argv = ["XSETID", g.key(), stream_id(g)]
    if g.rng.random() < 0.3:
        argv += [g.word("ENTRIESADDED"), g.rng.choice(["0", "3", "100", "-1"])]
    if g.rng.random() < 0.3:
        argv += [g.word("MAXDELETEDID"), stream_id(g)]
    return argv


def xinfo(g):
    sub = g.rng.choice(["STREAM", "STREAM", "GROUPS", "CONSUMERS", "HELP"])
    if sub == "HELP":
        return ["XINFO", g.word("HELP")]
    argv = ["XINFO", g.word(sub), g.key()]
    if sub == "CONSUMERS":
        argv.append(g.rng.choice(GROUPS))
    elif sub == "STREAM" and g.rng.random() < 0.5:
        argv.append(g.word("FULL"))
        if g.rng.random() < 0.4:
            argv += [g.word("COUNT"), g.rng.choice(COUNTS)]
    return argv


def commands(g):
    k, r = g.key, g.rng
    return [
        (10, lambda: (xadd(g), "exact")),
        (3, lambda: (xrange(g, False), "exact")),
        (2, lambda: (xrange(g, True), "exact")),
        (2, lambda: (["XLEN", k()], "exact")),
        (3, lambda: (["XDEL", k()] + [stream_id(g) for _ in range(r.randint(1, 3))], "exact")),
        (2, lambda: (["XTRIM", k()] + trim_args(g), "exact")),
        (2, lambda: (xread(g), "exact")),
        (4, lambda: (xgroup(g), "exact")),
        (4, lambda: (xreadgroup(g), "exact")),
        (2, lambda: (["XACK", k(), r.choice(GROUPS)] + [stream_id(g) for _ in range(2)],
                     "exact")),
        (3, lambda: xpending(g)),
        (2, lambda: (xclaim(g), "exact")),
        (2, lambda: (xautoclaim(g), "exact")),
        (1, lambda: (xsetid(g), "exact")),
        (2, lambda: (xinfo(g), "stream_info")),
        (0.3, lambda: (["CONFIG", "SET", "stream-node-max-entries",
                        r.choice(["1", "2", "3", "100"])], "exact")),
    ]
