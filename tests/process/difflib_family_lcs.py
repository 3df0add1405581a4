"""LCS and SUBSTR for the differential test (see difflib_gen.Generator.core_table). The values of
the shared key space are short, so every LCS table stays small."""


def lcs(g):
    argv = ["LCS", g.key(), g.key()]
    for _ in range(g.rng.choice([0, 0, 1, 2, 3])):
        option = g.rng.choice(["LEN", "IDX", "IDX", "WITHMATCHLEN", "MINMATCHLEN", "FOO"])
        argv.append(g.word(option))
        if option == "MINMATCHLEN":
            argv.append(g.rng.choice(["0", "1", "2", "3", "-1", "x"]))
    return argv


def commands(g):
    return [
        (3, lambda: (lcs(g), "exact")),
        (1, lambda: (["SUBSTR", g.key(), g.index(), g.index()], "exact")),
    ]
