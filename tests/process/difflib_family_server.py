"""Server introspection for the differential test: COMMAND LIST, MEMORY STATS, LATENCY, LOLWUT and
MODULE.

What is compared follows what is deterministic:
  COMMAND LIST    sorted (kind "command_names"), so ringcache must list the same commands and
                  subcommands as Redis 7.0 for every filter (an unknown category or module lists
                  none)
  MEMORY STATS    shape only (kind "shape"): the same field names in the same order, each value
                  of the same type; the figures are each server's own allocations
  LATENCY         HISTOGRAM by shape (kind "histogram_shape"): the same commands, each with the
                  same fields (the bucket bounds and durations are the servers' own); DOCTOR by
                  type (its words are the server's own); GRAPH, LATEST, HISTORY and RESET
                  exactly: latency-monitor-threshold is 0 in both, so no event is ever recorded
  LOLWUT          errors exactly, otherwise by type: the art is each server's own (Redis draws
                  versions 5 and 6 at random)
  MODULE          exactly: both answer as a Redis without the MODULE command enabled (its
                  default)"""

LIST_PATTERNS = ["x*", "geo*", "bit*", "pf*", "*db", "client|*", "latency|*", "memory|*",
                 "module|*", "command|*", "xinfo|*", "s?ap*", "[lm]o*", "*ro", "lolwut", "RESET",
                 "nosuch", "*", "*|*"]
LIST_CATEGORIES = ["bitmap", "hyperloglog", "geo", "stream", "connection", "keyspace", "BITMAP",
                   "nosuch"]
HISTOGRAM_NAMES = ["set", "SET", "get", "xadd", "select", "dump", "config", "config|get",
                   "config|resetstat", "client|reply", "latency|histogram", "nosuch", "nosuch|x"]
EVENTS = ["command", "fast-command", "expire-cycle", "nosuch"]
LOLWUT_SIZES = ["1", "10", "66", "2000", "-3", "x"]  # columns, squares, rows: clamped or refused


def command_list(g):
    r = g.rng
    roll = r.random()
    if roll < 0.2:
        return ["COMMAND", "LIST"]
    if roll < 0.6:
        return ["COMMAND", "LIST", g.word("FILTERBY"), g.word("PATTERN"), r.choice(LIST_PATTERNS)]
    if roll < 0.8:
        return ["COMMAND", "LIST", g.word("FILTERBY"), g.word("ACLCAT"),
                r.choice(LIST_CATEGORIES)]
    if roll < 0.9:
        return ["COMMAND", "LIST", g.word("FILTERBY"), g.word("MODULE"), "nosuch"]
    return ["COMMAND", "LIST"] + r.choice([["FILTERBY"], ["FILTERBY", "PATTERN"], ["FOO"],
                                           ["FILTERBY", "FOO", "x"],
                                           ["FILTERBY", "PATTERN", "x*", "extra"]])


def latency(g):
    r = g.rng
    sub = r.choice(["HISTOGRAM", "HISTOGRAM", "HISTOGRAM", "DOCTOR", "GRAPH", "LATEST",
                    "HISTORY", "RESET", "NOPE"])
    argv = ["LATENCY", g.word(sub)]
    if sub == "HISTOGRAM":  # names may repeat: Redis then lists a command twice
        names = [r.choice(HISTOGRAM_NAMES) for _ in range(r.randint(0, 3))]
        return argv + names, "histogram_shape"
    if sub in ("GRAPH", "HISTORY"):
        argv.append(r.choice(EVENTS))
    elif sub == "RESET":
        argv += [r.choice(EVENTS) for _ in range(r.randint(0, 2))]
    return argv, ("shape" if sub == "DOCTOR" else "exact")


def lolwut(g):
    r = g.rng
    argv = ["LOLWUT"]
    roll = r.random()
    if roll < 0.6:
        argv += [g.word("VERSION"), r.choice(["5", "6", "7", "1", "-1", "99", "x", ""])]
        if argv[-1] in ("5", "6") and r.random() < 0.4:  # the version's own arguments
            argv += [r.choice(LOLWUT_SIZES) for _ in range(r.randint(1, 3))]
    elif roll < 0.8:
        argv.append(r.choice(["foo", "VERSION"]))
    return argv


def module(g):
    r = g.rng
    sub = r.choice(["LIST", "LIST", "HELP", "LOAD", "LOADEX", "UNLOAD", "NOPE"])
    argv = ["MODULE", g.word(sub)]
    if sub in ("LOAD", "LOADEX"):
        argv.append(r.choice(["/nonexistent/module.so", "./x.so"]))
        argv += r.choice([[], ["arg"], ["CONFIG", "name", "value"], ["ARGS", "a", "b"]])
    elif sub == "UNLOAD":
        argv.append(r.choice(["nosuch", "redisbloom"]))
    return argv


def commands(g):
    return [
        (2, lambda: (command_list(g), "command_names")),
        (1, lambda: (["MEMORY", g.word("STATS")], "shape")),
        (2, lambda: latency(g)),
        (1, lambda: (lolwut(g), "shape")),
        (1, lambda: (module(g), "exact")),
    ]
