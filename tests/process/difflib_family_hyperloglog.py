"""HyperLogLog commands for the differential test (see difflib_gen.Generator.core_table).

The format is Redis' own, so PFCOUNT is deterministic and GET (in the core table) compares the
representation byte for byte: sparse values mostly, and now and then an add of many elements
that makes a value dense. Any string key may be tried, so the "not a valid HyperLogLog" and
corrupted-value refusals are compared too."""

ELEMENTS = ["a", "b", "c", "1", "2", "", "hello", "x" * 40] + ["e%d" % i for i in range(30)]


def elements(g, low=0, high=5):
    return [g.rng.choice(ELEMENTS) for _ in range(g.rng.randint(low, high))]


def many_elements(g):
    start = g.rng.randint(0, 5000)
    return ["m%d" % i for i in range(start, start + g.rng.choice([150, 400, 1200]))]


def commands(g):
    k = g.key
    return [
        (6, lambda: (["PFADD", k()] + elements(g), "exact")),
        (0.3, lambda: (["PFADD", k()] + many_elements(g), "exact")),
        (4, lambda: (["PFCOUNT"] + g.keys(1, 3), "exact")),
        (2, lambda: (["PFMERGE"] + g.keys(1, 3), "exact")),
    ]
