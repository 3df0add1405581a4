"""Databases for the differential test: SELECT, SWAPDB and MOVE (COPY ... DB is in
difflib_family_sort_copy; DBSIZE and FLUSHDB are in Generator.core_table), with database numbers
from Generator.db_index.

A SELECT holds for the rest of the sequence, so every other family's commands also run in other
databases, and SWAPDB and MOVE meet the keys they left there; the driver selects database 0
before each sequence (and FLUSHALL empties them all), so a sequence replays alone."""


def commands(g):
    return [
        (2, lambda: (["SELECT", g.db_index()], "exact")),
        (1, lambda: (["SWAPDB", g.db_index(), g.db_index()], "exact")),
        (2, lambda: (["MOVE", g.key(), g.db_index()], "exact")),
    ]
