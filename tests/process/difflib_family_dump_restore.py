"""DUMP and RESTORE for the differential test (see difflib_gen.Generator.core_table).

DUMP runs on whatever the other families left on the shared keys, and its payload is compared
byte for byte, except where two servers holding the same value legitimately dump different bytes
(hash-table element order, stream clock readings: see difflib_rdb.normalised). RESTORE gets
  - the payload the same server just dumped from another key (comparison kind
    ("restore_dumped", source key): difflib_compare.run puts each server's own DUMP in place of
    DUMPED), so what one server dumps it restores, whatever the value;
  - payloads built here that neither server dumped (a string stored raw or as an integer, sets,
    hashes and sorted sets in the hash-table and skiplist forms big values dump as), which both
    must read as Redis does, converting small ones to their compact encodings;
  - damaged payloads: a wrong checksum, a later RDB version, too short, and bodies that do not
    parse but carry a right checksum (unknown type, a string longer than the payload, an empty
    set, a duplicate member);
with TTLs relative, absolute (ABSTTL, also past: nothing is stored) or invalid, and REPLACE,
IDLETIME and FREQ options in any combination."""

import difflib_rdb as rdb

DUMPED = "<payload of DUMP %s>"


def set_body(members):
    return rdb.length(len(members)) + b"".join(rdb.string(m) for m in members)


def hash_body(pairs):
    return rdb.length(len(pairs)) + b"".join(rdb.string(f) + rdb.string(v) for f, v in pairs)


def zset_body(pairs):
    return rdb.length(len(pairs)) + b"".join(rdb.string(m) + rdb.binary_double(s)
                                             for m, s in pairs)


def valid_payloads():
    return [
        rdb.payload(rdb.TYPE_STRING, rdb.string("restored")),
        rdb.payload(rdb.TYPE_STRING, rdb.string("x" * 70)),
        rdb.payload(rdb.TYPE_STRING, rdb.int_string(-7)),
        rdb.payload(rdb.TYPE_STRING, rdb.int_string(123456)),
        rdb.payload(rdb.TYPE_STRING, rdb.string("1"), version=9),  # an older RDB version
        rdb.payload(rdb.TYPE_SET, set_body(["a", "b", "c"])),
        rdb.payload(rdb.TYPE_SET, set_body(["3", "1", "2"])),  # all integers: an intset
        rdb.payload(rdb.TYPE_HASH, hash_body([("f", "v"), ("n", "1")])),
        rdb.payload(rdb.TYPE_HASH, hash_body([("f%d" % i, "v" * 70) for i in range(3)])),
        rdb.payload(rdb.TYPE_ZSET_2, zset_body([("m", 2.5), ("a", -1.0), ("b", 1e3)])),
    ]


def damaged_payloads():
    good = rdb.payload(rdb.TYPE_STRING, rdb.string("hello"))
    return [
        good[:-1] + bytes([good[-1] ^ 1]),  # checksum
        good[:3] + good[4:],  # a byte short
        rdb.payload(rdb.TYPE_STRING, rdb.string("hello"), version=rdb.RDB_VERSION + 1),
        b"", b"x", good[:9],
        rdb.payload(99, rdb.string("hello")),  # no such type
        rdb.payload(rdb.TYPE_STRING, rdb.length(50) + b"abc"),  # longer than the payload
        rdb.payload(rdb.TYPE_SET, set_body([])),  # an empty set is no value
        rdb.payload(rdb.TYPE_SET, set_body(["a", "a"])),  # a duplicate member
        rdb.payload(rdb.TYPE_ZSET_2, zset_body([("m", 1.0), ("m", 2.0)])),
        # No hash with a duplicate field: without sanitize-dump-payload redis-server takes it
        # into a listpack as it is, a corrupt value no server should be asked to match.
    ]


PAYLOADS = valid_payloads() * 2 + damaged_payloads()


def restore_options(g, absolute):
    options = [g.word("ABSTTL")] if absolute else []
    for _ in range(g.rng.choice([0, 0, 1, 1, 2])):
        option = g.rng.choice(["REPLACE", "REPLACE", "IDLETIME", "FREQ", "BOGUS"])
        options.append(g.word(option))
        if option in ("IDLETIME", "FREQ"):
            options.append(g.rng.choice(["0", "5", "255", "256", "-1", "x"]))
    g.rng.shuffle(options)
    return options


def restore(g, payload):
    """RESTORE key ttl payload [options]: a relative TTL in ms, or an absolute one (ABSTTL)."""
    absolute = g.rng.random() < 0.25
    ttl = g.absolute_time(1) if absolute else g.rng.choice(["0", "0", g.relative_time(1)])
    return ["RESTORE", g.key(), ttl, payload] + restore_options(g, absolute)


def restore_dumped(g):
    source = g.key()
    return restore(g, DUMPED % source), ("restore_dumped", source)


def run_restore_dumped(conn, argv, source):
    """RESTORE with this server's own DUMP of `source` in place of DUMPED (an empty payload when
    there is none to dump: both refuse it alike)."""
    dumped = conn.call("DUMP", source)
    payload = dumped if isinstance(dumped, bytes) else b""
    return conn.call(*[payload if token == DUMPED % source else token for token in argv])


def commands(g):
    return [
        (4, lambda: (["DUMP", g.key()], "dump")),
        (3, lambda: restore_dumped(g)),
        (2, lambda: (restore(g, g.rng.choice(PAYLOADS)), "exact")),
    ]
