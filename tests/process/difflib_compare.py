"""How the differential test compares two servers' replies to one command.

Replies are difflib_resp values, so a status "OK" differs from a bulk "OK" and error lines compare
word for word. Only what is inherently time- or order-dependent is normalised:
  ttl_s / ttl_ms    TTL, PTTL: -1/-2 exactly, otherwise within a tolerance
  abs_s / abs_ms    EXPIRETIME, PEXPIRETIME: the same, for absolute times
  idle              OBJECT IDLETIME: any idle time (Redis shares small integer values between
                    keys, so their idle time is the shared object's, not the key's)
  sorted            KEYS: as a sorted list
  random_key        RANDOMKEY: both nil or both a key
  scan_all          SCAN: iterated to the end by the caller, compared as a set (or the first
                    reply exactly, when it is an error)
  encoding          OBJECT ENCODING/REFCOUNT: exactly
  stats             INFO stats: only keyspace_hits and keyspace_misses, exactly
  sorted_pairs      HGETALL: as a sorted list of (field, value) pairs
  random_pick       HRANDFIELD, SRANDMEMBER: errors exactly; otherwise the same shape (nil,
                    one element, or a list of the same length)
  scan_elements     HSCAN/SSCAN/ZSCAN: iterated to the end by the caller, compared as a set
                    of records (field/member, plus value/score for HSCAN and ZSCAN)
  pop_all           SPOP key count, the count above any set's size (so it is deterministic):
                    sorted. When the arity mutation dropped the count, the count is put back:
                    a single SPOP pops at random and the two servers' sets would diverge.
  zrandmember       ZRANDMEMBER: errors exactly, otherwise the same shape (nil, member, or an
                    array of the same length)
  zscan_all         ZSCAN: iterated to the end, compared as a set of (member, score) pairs
  ("random_picks", probe)  SPOP/SRANDMEMBER/HRANDFIELD/ZRANDMEMBER on a value built for the
                    purpose, compared by what must agree whatever is picked (see
                    difflib_family_random_picks)
  stream_pending / stream_info  XPENDING, XINFO: without clock readings (idle times, seen and
                    delivery times) and XINFO's radix-tree-nodes, at any depth
  dump              DUMP: the payload byte for byte, but for what two servers holding the same
                    value dump differently (difflib_rdb.normalised)
  ("restore_dumped", key)  RESTORE of the server's own DUMP of key (difflib_family_dump_restore):
                    exactly
  client_reply      CLIENT REPLY: every reply up to a closing ECHO sent after it (it may silence
                    its own and the next one; difflib_family_connection), exactly
  shape             MEMORY STATS, LATENCY DOCTOR, LOLWUT: errors exactly, otherwise the same
                    field names in the same order with values of the same types (map_shape)
  histogram_shape   LATENCY HISTOGRAM: errors exactly, otherwise the same commands (Redis lists
                    them in its command table's order) each of the same shape
  command_names     COMMAND LIST: sorted; and COMMAND alone (the arity mutation dropped LIST),
                    whose descriptions come in the command table's order, by their sorted names"""

import os

import difflib_rdb as rdb
import difflib_resp as resp

# A count above the size of any set a test sequence builds (pop_all).
POP_ALL_COUNT = "1000"

TOLERANCE = {"ttl_s": 1, "abs_s": 1, "ttl_ms": 1500, "abs_ms": 1500, "idle": 2**62}


# Divergences known and owned elsewhere, tolerated (and counted) unless RINGCACHE_DIFF_STRICT=1:
# {kind: [(redis reply, ringcache reply), ...]}. None at present.
KNOWN_DIVERGENCES = {}


def known_divergence(kind, expected, actual):
    if os.environ.get("RINGCACHE_DIFF_STRICT") == "1":
        return False
    return (expected, actual) in KNOWN_DIVERGENCES.get(kind, [])


SORT_WEIGHT_ERROR = "ERR One or more scores can't be converted into double"
NAMED_INFINITIES = {"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


def overflows_double(token):
    """A finite decimal literal too large for a double (1e400): parsing it leaves errno at
    ERANGE in redis-server."""
    try:
        return abs(float(token)) == float("inf") and token.strip().lower() not in NAMED_INFINITIES
    except ValueError:
        return False


def redis_errno_leak(argv, expected, actual, overflow_seen):
    """redis-server 7.0's SORT reads errno after strtod without clearing it first, so once any
    command on the connection has parsed an overflowing number, every numeric SORT fails with
    SORT_WEIGHT_ERROR until a system call happens to reset errno. ringcache sorts as a fresh
    redis-server does; the difference is Redis', so it is tolerated (and counted), unless
    RINGCACHE_DIFF_STRICT=1."""
    if os.environ.get("RINGCACHE_DIFF_STRICT") == "1" or not overflow_seen:
        return False
    return (argv[0].lower() in ("sort", "sort_ro") and isinstance(expected, resp.Error) and
            expected == SORT_WEIGHT_ERROR and not isinstance(actual, resp.Error))


def same_type(a, b):
    return type(a) is type(b)


def close_integers(a, b, kind):
    if not (isinstance(a, int) and isinstance(b, int)):
        return a == b and same_type(a, b)
    if a < 0 or b < 0:
        return a == b
    return abs(a - b) <= TOLERANCE[kind]


def equivalent(kind, expected, actual):
    """Whether ringcache's reply `actual` matches redis-server's `expected` for `kind`."""
    if isinstance(kind, tuple) and kind[0] == "transaction":
        import difflib_family_transactions as transactions
        if not (isinstance(expected, tuple) and isinstance(actual, tuple)):
            return expected == actual
        return transactions.transaction_equivalent(kind[1], expected, actual)
    if isinstance(kind, tuple) and kind[0] == "random_picks":
        return expected == actual
    if kind in TOLERANCE:
        return close_integers(expected, actual, kind)
    if kind in ("sorted", "pop_all") and isinstance(expected, list) and isinstance(actual, list):
        return sorted(expected) == sorted(actual)
    if kind == "sorted_pairs" and isinstance(expected, list) and isinstance(actual, list):
        return sorted(pairs(expected)) == sorted(pairs(actual))
    if kind == "random_pick" and not isinstance(expected, resp.Error):
        if isinstance(expected, list) and isinstance(actual, list):
            return len(expected) == len(actual)
        return same_type(expected, actual)
    if kind == "zrandmember":
        return loose_random_reply(expected, actual)
    if kind in ("stream_pending", "stream_info"):
        return equivalent("exact", stream_normalised(expected), stream_normalised(actual))
    if kind == "command_names" and isinstance(expected, list) and isinstance(actual, list):
        return command_names(expected) == command_names(actual)
    if kind == "dump":
        return rdb.normalised(expected) == rdb.normalised(actual) and same_type(expected, actual)
    if kind in ("shape", "histogram_shape") and not isinstance(expected, resp.Error):
        shapes = [map_shape(reply) for reply in (expected, actual)]
        if kind == "histogram_shape" and all(isinstance(shape, list) for shape in shapes):
            shapes = [sorted(shape) for shape in shapes]
        return shapes[0] == shapes[1]
    if kind == "random_key":
        return (expected is None) == (actual is None) and same_type(expected, actual)
    return expected == actual and same_type(expected, actual) and same_nested_types(expected,
                                                                                     actual)


# Fields of XINFO replies that read the clock (XINFO CONSUMERS' idle, XINFO STREAM FULL's
# seen-time), or Redis' radix tree internals (radix-tree-nodes): compared as 0.
STREAM_CLOCK_FIELDS = {b"idle", b"seen-time", b"radix-tree-nodes"}


def stream_normalised(reply):
    """A stream reply, at any depth, without what depends on the clock or on Redis' radix tree
    internals: the clock fields above, and the delivery time or idle time of a pending entry,
    [id, consumer, time, count] (XPENDING's range form, XINFO STREAM FULL's group PEL) or
    [id, time, count] (a consumer's PEL in XINFO STREAM FULL)."""
    if not isinstance(reply, list):
        return reply
    reply = [stream_normalised(item) for item in reply]
    if is_pending_entry(reply):
        return reply[:-2] + [0, reply[-1]]
    if len(reply) % 2 == 0 and all(isinstance(name, bytes) for name in reply[::2]):
        return [0 if i % 2 and reply[i - 1] in STREAM_CLOCK_FIELDS else item
                for i, item in enumerate(reply)]
    return reply


def is_pending_entry(row):
    return (len(row) in (3, 4) and all(isinstance(item, bytes) for item in row[:-2]) and
            all(isinstance(item, int) for item in row[-2:]))


def command_names(reply):
    """The sorted names of COMMAND LIST, or of COMMAND's descriptions (each starts with its name)."""
    return sorted(item[0] if isinstance(item, list) and item else item for item in reply)


def map_shape(reply):
    """A reply without its figures: a map-like array ([name, value, ...]) becomes its names, each
    with its value's shape; any other array is an array, anything else its type."""
    if not isinstance(reply, list):
        return type(reply).__name__
    if reply and len(reply) % 2 == 0 and all(isinstance(name, bytes) for name in reply[::2]):
        return [(name, map_shape(value)) for name, value in zip(reply[::2], reply[1::2])]
    return "array"


def same_nested_types(a, b):
    if isinstance(a, list):
        return all(same_nested_types(x, y) and same_type(x, y) for x, y in zip(a, b))
    return True


def loose_random_reply(expected, actual):
    """A random choice: errors compare exactly, other replies by type and length."""
    if not same_type(expected, actual):
        return False
    if isinstance(expected, list):
        return len(expected) == len(actual)
    return expected == actual or isinstance(expected, bytes)


def collect_pages(conn, call, split, label, max_calls=10000):
    """Pages through a SCAN-style command from cursor 0 until it returns 0: call(cursor) gives
    the argv of each call, split(items) the records of a page. Returns (label, set of records),
    ("did not finish", ...) after max_calls, or the first reply that is not a well-formed page
    (an error)."""
    records = set()
    cursor = b"0"
    for _ in range(max_calls):
        page = conn.call(*call(cursor))
        well_formed = (isinstance(page, list) and len(page) == 2 and isinstance(page[0], bytes)
                       and isinstance(page[1], list))
        if not well_formed:
            return page
        records.update(split(page[1]))
        cursor = page[0]
        if cursor == b"0":
            return (label, frozenset(records))
    return ("did not finish", frozenset(records))


def zscan_all(conn, argv):
    """ZSCAN key 0 ... to the end: the set of (member, score) pairs."""
    return collect_pages(conn, lambda cursor: (argv[0], argv[1], cursor, *argv[3:]),
                         lambda items: zip(items[0::2], items[1::2]), "pairs")


def scan_all(conn, argv):
    """SCAN 0 ... to the end: the set of keys."""
    return collect_pages(conn, lambda cursor: (argv[0], cursor, *argv[2:]), lambda items: items,
                         "keys")


STAT_FIELDS = (b"keyspace_hits", b"keyspace_misses")


def keyspace_stats(conn, argv):
    """INFO's hit and miss counters, or the reply itself when it is not INFO text."""
    reply = conn.call(*argv)
    if not isinstance(reply, bytes):
        return reply
    fields = dict(line.split(b":", 1) for line in reply.split(b"\r\n") if b":" in line)
    return ("stats", tuple((name, fields.get(name)) for name in STAT_FIELDS))


def pairs(flat):
    return list(zip(flat[::2], flat[1::2]))


def scan_elements(conn, argv, max_calls=10000):
    """Runs HSCAN/SSCAN/ZSCAN key cursor... from cursor 0 until it returns 0; the set of records,
    or the first reply when it is not a well-formed page (an error).

    Each call is a keyspace hit and the number of calls depends on the table's size (ours and
    Redis' differ), so the statistics are reset afterwards on both servers alike: the final
    INFO stats comparison covers the commands after the last scan."""
    try:
        return scan_element_records(conn, argv, max_calls)
    finally:
        conn.call("CONFIG", "RESETSTAT")


def scan_element_records(conn, argv, max_calls):
    width = 1 if argv[0].upper() == "SSCAN" else 2
    return collect_pages(conn, lambda cursor: (argv[0], argv[1], cursor, *argv[3:]),
                         lambda items: (tuple(items[i:i + width])
                                        for i in range(0, len(items), width)),
                         "records", max_calls)


def run(conn, argv, kind):
    if isinstance(kind, tuple) and kind[0] == "transaction":  # difflib_family_transactions
        import difflib_family_transactions as transactions
        return transactions.run_transaction(conn, conn.call(*argv), kind[1])
    if isinstance(kind, tuple) and kind[0] == "random_picks":
        import difflib_family_random_picks as random_picks
        return random_picks.run(conn, argv, kind[1])
    if kind == "scan_all":
        return scan_all(conn, argv)
    if kind == "scan_elements":
        return scan_elements(conn, argv)
    if kind == "pop_all" and len(argv) == 2:
        return conn.call(*argv, POP_ALL_COUNT)
    if kind == "stats":
        return keyspace_stats(conn, argv)
    if kind == "zscan_all":
        return zscan_all(conn, argv)
    if isinstance(kind, tuple) and kind[0] == "restore_dumped":
        import difflib_family_dump_restore as dump_restore
        return dump_restore.run_restore_dumped(conn, argv, kind[1])
    if kind == "client_reply":
        import difflib_family_connection as connection
        return connection.run_client_reply(conn, argv)
    return conn.call(*argv)


def show(reply):
    if hasattr(reply, "show"):
        return reply.show()
    if isinstance(reply, resp.Error):
        return "(error) %s" % reply
    if isinstance(reply, resp.Status):
        return "(status) %s" % reply
    return repr(reply)
