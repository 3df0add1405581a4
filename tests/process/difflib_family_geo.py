"""Geo commands for the differential test (see difflib_gen.Generator.core_table).

Each member has its own position (so no two members tie on distance and sorted replies have one
order), spread over a few hundred kilometres around Sicily, plus invalid coordinates. Searches
either sort (ASC/DESC, or COUNT, which sorts) and compare exactly, or compare as a set of members
(Redis lists unsorted matches in the order it visits its geohash cells)."""

PLACES = {
    "Palermo": ("13.361389", "38.115556"), "Catania": ("15.087269", "37.502669"),
    "edge1": ("12.758489", "38.788135"), "edge2": ("17.241510", "38.788135"),
    "Messina": ("15.5556", "38.1938"), "Syracuse": ("15.2866", "37.0755"),
    "Agrigento": ("13.5765", "37.3111"), "Naples": ("14.2681", "40.8518"),
    "Rome": ("12.4964", "41.9028"), "Tunis": ("10.1815", "36.8065"),
}
BAD_COORDS = [("200", "10"), ("10", "86"), ("x", "1"), ("1", "nan")]
UNITS = ["m", "km", "KM", "mi", "ft", "parsec"]
RADII = ["0", "1", "50", "150", "400", "2000", "-1", "x"]


def place(g):
    return g.rng.choice(sorted(PLACES))


def coords(g):
    if g.rng.random() < 0.08:
        return list(g.rng.choice(BAD_COORDS))
    return list(PLACES[place(g)])


def geoadd(g):
    argv = ["GEOADD", g.key()]
    argv += [g.word(o) for o in g.rng.choice([[], [], [], ["NX"], ["XX"], ["CH"], ["XX", "CH"],
                                              ["NX", "XX"]])]
    for _ in range(g.rng.randint(1, 3)):
        name = place(g)
        argv += list(PLACES[name]) + [name] if g.rng.random() > 0.08 else coords(g) + [name]
    return argv


def search_options(g, sort):
    argv = []
    for option in ("WITHDIST", "WITHHASH", "WITHCOORD"):
        if g.rng.random() < 0.3:
            argv.append(g.word(option))
    if sort:
        argv.append(g.word(g.rng.choice(["ASC", "DESC"])))
    if g.rng.random() < 0.3:
        argv += [g.word("COUNT"), g.rng.choice(["1", "2", "3", "0", "x"])]
    return argv


def geosearch(g):
    sort = g.rng.random() < 0.6
    argv = ["GEOSEARCH", g.key()]
    if g.rng.random() < 0.5:
        argv += [g.word("FROMMEMBER"), place(g)]
    else:
        argv += [g.word("FROMLONLAT")] + coords(g)
    if g.rng.random() < 0.5:
        argv += [g.word("BYRADIUS"), g.rng.choice(RADII), g.rng.choice(UNITS)]
    else:
        argv += [g.word("BYBOX"), g.rng.choice(RADII), g.rng.choice(RADII), g.rng.choice(UNITS)]
    argv += search_options(g, sort)
    return argv, ("exact" if sort or "COUNT" in argv or "count" in argv else "sorted")


def georadius(g):
    sort = g.rng.random() < 0.6
    if g.rng.random() < 0.5:
        argv = [g.rng.choice(["GEORADIUS", "GEORADIUS_RO"]), g.key()] + coords(g)
    else:
        argv = [g.rng.choice(["GEORADIUSBYMEMBER", "GEORADIUSBYMEMBER_RO"]), g.key(), place(g)]
    argv += [g.rng.choice(RADII), g.rng.choice(UNITS)] + search_options(g, sort)
    if g.rng.random() < 0.2:
        argv += [g.word(g.rng.choice(["STORE", "STOREDIST"])), g.key()]
    upper = [a.upper() for a in argv]
    return argv, ("exact" if sort or "COUNT" in upper or "STORE" in upper or
                  "STOREDIST" in upper else "sorted")


def geosearchstore(g):
    argv, _ = geosearch(g)
    argv = ["GEOSEARCHSTORE", g.key()] + argv[1:]
    if g.rng.random() < 0.3:
        argv.append(g.word("STOREDIST"))
    return argv, "exact"


def commands(g):
    k = g.key
    return [
        (5, lambda: (geoadd(g), "exact")),
        (2, lambda: (["GEOPOS", k()] + [place(g) for _ in range(g.rng.randint(1, 3))], "exact")),
        (2, lambda: (["GEODIST", k(), place(g), place(g)] +
                     ([g.rng.choice(UNITS)] if g.rng.random() < 0.7 else []), "exact")),
        (1, lambda: (["GEOHASH", k()] + [place(g) for _ in range(g.rng.randint(1, 3))], "exact")),
        (3, lambda: geosearch(g)),
        (2, lambda: georadius(g)),
        (1, lambda: geosearchstore(g)),
    ]
