"""Sorted set commands for the differential test (loaded by difflib_gen).

Scores come from a small pool so ties (ordered by member) are frequent, plus the odd invalid one.
Lex ranges (ZRANGEBYLEX and friends) are only meaningful on sets whose scores are all equal, and
Redis' answers on mixed scores depend on its skiplist's random levels, so lex commands get keys of
their own that only ever receive score 0 (or invalid ranges, refused before any lookup).
ZRANDMEMBER is compared loosely (shape and size) and changes nothing, so states never diverge.
ZSCAN is iterated to the end and compared as a set of (member, score) pairs.
BZMPOP gets only short or invalid timeouts: with nothing to take both servers answer null after
a millisecond or two; otherwise it pops at once. BZPOPMIN/BZPOPMAX are left out: the generator's
random extra argument would become their timeout, and "0" blocks forever (their answers are
unit-tested)."""

SCORES = ["0", "1", "1", "2", "2.5", "-1", "3", "10", "-0", "1e3", "inf", "-inf", "0.1",
          "1.1", "+5", "0x10"]
BAD_SCORES = ["nan", "abc", "", " 1", "1e-5000", "1e400", "(1"]
RANGE_ENDS = ["-inf", "+inf", "inf", "0", "1", "(1", "2", "(2.5", "3", "(3", "10", "-1",
              "(-1", "", "(", "x", "nan", "(inf", "1e3"]
LEX_KEYS = ["lex:1", "lex:2"]
LEX_MEMBERS = ["a", "b", "c", "d", "aa", "ab", "", "z"]
LEX_ENDS = ["-", "+", "[a", "(a", "[b", "(c", "[aa", "[", "(", "[z", "(zz", "a", "x", "+a"]
MEMBERS = ["a", "b", "c", "d", "e", "m1", "m2", "", "x" * 70]
SHORT_TIMEOUTS = ["0.001", "0.002", "0.001", "-1", "x", "inf"]


def commands(g):
    r = g.rng

    def member():
        return r.choice(MEMBERS)

    def score():
        return r.choice(BAD_SCORES) if r.random() < 0.04 else r.choice(SCORES)

    def score_key():
        return r.choice(LEX_KEYS) if r.random() < 0.05 else g.key()

    def zadd():
        argv = ["ZADD", g.key()]
        for _ in range(r.choice([0, 0, 0, 1, 1, 2])):
            argv.append(g.word(r.choice(["NX", "XX", "GT", "LT", "CH", "INCR", "CH"])))
        for _ in range(r.choice([1, 1, 2, 3, 5])):
            argv += [score(), member()]
        return argv

    def lex_zadd():
        argv = ["ZADD", r.choice(LEX_KEYS)]
        for _ in range(r.randint(1, 4)):
            argv += ["0", r.choice(LEX_MEMBERS)]
        return argv

    def range_end():
        return r.choice(RANGE_ENDS)

    def limit():
        if r.random() < 0.3:
            offset = r.choice(["0", "1", "2", "-1", "x", "5"])
            count = r.choice(["1", "2", "-1", "0", "10", "-5"])
            return [g.word("LIMIT"), offset, count]
        return []

    def zrange():
        kind = r.choice(["rank", "rank", "score", "score", "lex"])
        if kind == "lex":
            argv = ["ZRANGE", r.choice(LEX_KEYS), r.choice(LEX_ENDS), r.choice(LEX_ENDS),
                    g.word("BYLEX")]
        elif kind == "score":
            argv = ["ZRANGE", g.key(), range_end(), range_end(), g.word("BYSCORE")]
        else:
            argv = ["ZRANGE", g.key(), g.index(), g.index()]
        if r.random() < 0.4:
            argv.append(g.word("REV"))
        argv += limit()
        if r.random() < 0.4:
            argv.append(g.word("WITHSCORES"))
        if r.random() < 0.3:
            r.shuffle(argv[4:])
        return argv

    def zrangestore():
        argv = zrange()
        if argv[-1].upper() == "WITHSCORES" and r.random() < 0.8:
            argv.pop()
        return ["ZRANGESTORE", g.key()] + argv[1:]

    def by_score(name):
        argv = [name, g.key(), range_end(), range_end()]
        if r.random() < 0.4:
            argv.append(g.word("WITHSCORES"))
        return argv + limit()

    def by_lex(name):
        argv = [name, r.choice(LEX_KEYS), r.choice(LEX_ENDS), r.choice(LEX_ENDS)]
        return argv + limit()

    def setop(name, store):
        keys = g.keys(1, 3)
        numkeys = str(len(keys)) if r.random() < 0.9 else r.choice(["0", "-1", "x", "9"])
        argv = [name] + ([g.key()] if store else []) + [numkeys] + keys
        if name.startswith("ZINTERCARD"):
            if r.random() < 0.5:
                argv += [g.word("LIMIT"), r.choice(["0", "1", "2", "-1", "x"])]
            return argv
        if not name.startswith("ZDIFF") and r.random() < 0.4:
            argv += [g.word("WEIGHTS")] + [r.choice(["1", "2", "0.5", "-1", "0", "x", "inf"])
                                           for _ in keys]
        if not name.startswith("ZDIFF") and r.random() < 0.4:
            argv += [g.word("AGGREGATE"), g.word(r.choice(["SUM", "MIN", "MAX", "AVG"]))]
        if not store and r.random() < 0.5:
            argv.append(g.word("WITHSCORES"))
        return argv

    def zmpop(blocking=False):
        keys = g.keys(1, 3)
        argv = ["BZMPOP", r.choice(SHORT_TIMEOUTS)] if blocking else ["ZMPOP"]
        argv += [str(len(keys)) if r.random() < 0.9 else r.choice(["0", "x", "5"])]
        argv += keys + [g.word(r.choice(["MIN", "MAX", "MIN", "MAX", "MID"]))]
        if r.random() < 0.5:
            argv += [g.word("COUNT"), r.choice(["1", "2", "10", "0", "-1", "x"])]
        return argv

    def zrandmember():
        argv = ["ZRANDMEMBER", score_key()]
        if r.random() < 0.7:
            argv.append(r.choice(["1", "2", "5", "-3", "0", "100", "-1", "x"]))
            if r.random() < 0.4:
                argv.append(g.word(r.choice(["WITHSCORES", "WITHSCORES", "FOO"])))
        return argv

    def zscan():
        argv = ["ZSCAN", score_key(), "0"]
        if r.random() < 0.4:
            argv += [g.word("MATCH"), r.choice(["*", "a*", "m?", "[ab]", "nomatch"])]
        # Always a count that fetches a whole (small) set in one call on both servers: with the
        # default (10) the number of calls, and so of keyspace hits, depends on hash layouts.
        argv += [g.word("COUNT"), r.choice(["20", "100", "100", "0", "x"])]
        return argv

    return [
        (10, lambda: (zadd(), "exact")),
        (3, lambda: (lex_zadd(), "exact")),
        (3, lambda: (["ZINCRBY", g.key(), score(), member()], "exact")),
        (3, lambda: (["ZREM", score_key()] + [member() for _ in range(r.randint(1, 3))],
                     "exact")),
        (2, lambda: (["ZCARD", score_key()], "exact")),
        (3, lambda: (["ZSCORE", g.key(), member()], "exact")),
        (2, lambda: (["ZMSCORE", g.key()] + [member() for _ in range(r.randint(1, 3))],
                     "exact")),
        (2, lambda: ([r.choice(["ZRANK", "ZREVRANK"]), score_key(), member()], "exact")),
        (3, lambda: (["ZCOUNT", g.key(), range_end(), range_end()], "exact")),
        (2, lambda: (["ZLEXCOUNT", r.choice(LEX_KEYS), r.choice(LEX_ENDS), r.choice(LEX_ENDS)],
                     "exact")),
        (6, lambda: (zrange(), "exact")),
        (2, lambda: (zrangestore(), "exact")),
        (2, lambda: (["ZREVRANGE", g.key(), g.index(), g.index()] +
                     ([g.word("WITHSCORES")] if r.random() < 0.5 else []), "exact")),
        (2, lambda: (by_score(r.choice(["ZRANGEBYSCORE", "ZREVRANGEBYSCORE"])), "exact")),
        (2, lambda: (by_lex(r.choice(["ZRANGEBYLEX", "ZREVRANGEBYLEX"])), "exact")),
        (2, lambda: (["ZREMRANGEBYRANK", score_key(), g.index(), g.index()], "exact")),
        (2, lambda: (["ZREMRANGEBYSCORE", g.key(), range_end(), range_end()], "exact")),
        (1, lambda: (["ZREMRANGEBYLEX", r.choice(LEX_KEYS), r.choice(LEX_ENDS),
                      r.choice(LEX_ENDS)], "exact")),
        (3, lambda: ([r.choice(["ZPOPMIN", "ZPOPMAX"]), score_key()] +
                     ([r.choice(["1", "2", "0", "-1", "x", "10"])] if r.random() < 0.5 else []),
                     "exact")),
        (2, lambda: (zmpop(), "exact")),
        (1, lambda: (zmpop(blocking=True), "exact")),
        (2, lambda: (zrandmember(), "zrandmember")),
        (2, lambda: (zscan(), "zscan_all")),
        (1, lambda: (["ZSCAN", g.key(), r.choice(["x", "-", " 1"])], "exact")),
        (2, lambda: (setop(r.choice(["ZUNION", "ZINTER", "ZDIFF"]), False), "exact")),
        (2, lambda: (setop(r.choice(["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"]), True),
                     "exact")),
        (1, lambda: (setop("ZINTERCARD", False), "exact")),
    ]
