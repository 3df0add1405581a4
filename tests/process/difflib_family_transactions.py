"""Transactions for the differential test: MULTI ... EXEC/DISCARD blocks of random commands from
every other family, with WATCH before (and sometimes a write to a watched key in between, which
must make EXEC answer nil), queue-time errors (unknown command, wrong arity: EXECABORT), and the
control commands alone (EXEC/DISCARD without MULTI, UNWATCH).

A block is one generated "command" whose comparison kind is ("transaction", steps): the driver
sends its first argv (WATCH or MULTI), difflib_compare.run sends the remaining steps and
compares every reply, the EXEC array element by element with each queued command's own kind."""

import difflib_compare as compare

# Replies that cannot be compared inside EXEC's array (SCAN and the element scans are iterated
# and compared as sets: one page of a hashtable-encoded value comes in hash order, Redis' and ours
# differ; INFO is read whole; CLIENT REPLY's replies are read past the command), and blocking
# commands (inside MULTI they never block in Redis; left to the families' own tests).
EXCLUDED_KINDS = {"scan_all", "scan_elements", "zscan_all", "stats", "client_reply"}
BLOCKING = {"BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP"}
# RESET is not queued: it ends the MULTI at once, so the block's later steps would not be queued.
NOT_QUEUED = {"RESET"}


def queueable(g):
    """The other families' commands that may sit in a transaction."""
    import difflib_gen  # the generator module loads this one; imported when first used
    table = g.core_table()
    for family in difflib_gen.FAMILIES:
        if family.__name__ != __name__:
            table += family.commands(g)
    return table


def refcount(argv):
    """OBJECT REFCOUNT: inside EXEC Redis holds an extra reference to values it will propagate
    at the end of the transaction (INCRBYFLOAT's result), an internal detail not compared."""
    return argv[0].upper() == "OBJECT" and len(argv) > 1 and argv[1].upper() == "REFCOUNT"


def queued_command(g, table):
    while True:
        argv, kind = g.make(table)
        # A kind that is a tuple has steps of its own around the command (a random-pick probe
        # builds its value first): none can be queued.
        if (not isinstance(kind, tuple) and kind not in EXCLUDED_KINDS and
                argv[0].upper() not in BLOCKING | NOT_QUEUED and not refcount(argv)):
            break
    argv = g.maybe_wrong_arity(argv)
    argv[0] = g.word(argv[0])
    return argv, kind


def transaction(g):
    """[(argv, kind)]: the whole block, in order."""
    r = g.rng
    table = queueable(g)
    steps = []
    if r.random() < 0.4:
        steps.append((["WATCH"] + g.keys(1, 3), "exact"))
        if r.random() < 0.5:  # a write before MULTI: to a watched key, EXEC answers nil
            steps.append(queued_command(g, table))
    steps.append(([g.word("MULTI")], "exact"))
    for _ in range(r.randint(0, 5)):
        roll = r.random()
        if roll < 0.04:
            steps.append((["NOSUCHCOMMAND", g.key()], "exact"))
        elif roll < 0.07:
            steps.append(([g.word(r.choice(["MULTI", "WATCH"])), g.key()], "exact"))
        else:
            steps.append(queued_command(g, table))
    steps.append(([g.word("DISCARD" if r.random() < 0.15 else "EXEC")], "exact"))
    return steps


def make_transaction(g):
    steps = transaction(g)
    frozen = tuple((tuple(argv), kind) for argv, kind in steps)
    return list(steps[0][0]), ("transaction", frozen)


def run_transaction(conn, first_reply, steps):
    """The replies to every step (the first one already sent by the driver)."""
    replies = [first_reply]
    for argv, kind in steps[1:]:
        replies.append(conn.call(*argv))
    return ("transaction", tuple(replies))


def exec_equivalent(expected, actual, queued_kinds):
    if not (isinstance(expected, list) and isinstance(actual, list)):
        return compare.equivalent("exact", expected, actual)
    if len(expected) != len(actual) or len(expected) != len(queued_kinds):
        return False
    return all(compare.equivalent(kind, e, a)
               for kind, e, a in zip(queued_kinds, expected, actual))


def transaction_equivalent(steps, expected, actual):
    expected_replies, actual_replies = expected[1], actual[1]
    queued_kinds = []
    in_multi = False
    for (argv, kind), e, a in zip(steps, expected_replies, actual_replies):
        name = argv[0].upper()
        if name == "EXEC" and in_multi:
            if not exec_equivalent(e, a, queued_kinds):
                return False
            continue
        if not compare.equivalent("exact" if in_multi else kind, e, a):
            return False
        if name == "MULTI" and e == "OK":
            in_multi = True
        elif in_multi and e == "QUEUED":
            queued_kinds.append(kind)
    return True


def commands(g):
    r = g.rng
    return [
        (6, lambda: make_transaction(g)),
        (1, lambda: ([r.choice(["EXEC", "DISCARD", "UNWATCH"])], "exact")),
        (1, lambda: (["WATCH"] + g.keys(1, 2), "exact")),
    ]
