"""Random picks for the differential test: SPOP, SRANDMEMBER, HRANDFIELD [WITHVALUES] and
ZRANDMEMBER [WITHSCORES] with counts around the distinct picker's thresholds, on small sets
(intset, hashtable of short or long members), hashes (listpack, hashtable) and sorted sets
(listpack, skiplist) built for the purpose.

The other families only see these commands on whatever their few keys hold, and compare them
by shape (the servers pick differently), so a picker that never returns on a 20-member intset
went unnoticed. Here each pick is a probe on a key of its own, with comparison kind
("random_picks", probe): the driver sends the command, and difflib_compare.run surrounds it with
the probe's steps on each server:
  before  pin the encoding limit (CONFIG SET), build the value, OBJECT ENCODING
  after   read the whole value back, delete it, put the limit back
Both servers start each probe from the same value, and end it without the key and with the
limit as it was, so what the sequence does next never depends on which elements were picked.

What is compared (summary()) is what must agree whatever the random choices: the setup's
replies; errors exactly; otherwise the reply's type and length, that a positive count picked
distinct elements, that every pick is a member of the value (with its own value or score, in
the server's own formatting of the value read back); for SPOP, that the popped and the remaining
members are disjoint and together the value it started from, and how many remain; for the
others, the value read back, exactly (they change nothing)."""

KEY = "probe:pick"  # none of the generator's keys: no other command touches a probe
# Mostly sizes where a positive count can sample (at least 2 picks while count * 3 <= size).
SIZES = [1, 2, 3, 5, 6, 7, 8, 9, 10, 12, 15, 16, 20, 20, 21, 24, 30, 31, 40]
# Threshold picks for the distinct picker (core/constants.h random_distinct_copy_ratio): a
# positive count c samples until distinct while c * 3 <= size, copies and drops above.
COPY_RATIO = 3
SCORES = ["0", "1", "-1", "2", "1.5", "-0.25", "3", "10", "1e3", "100", "7", "0.1"]
LONG = "m" * 70  # past the *-max-listpack-value default (64): the full encoding


def counts(size):
    """Counts either side of each of the picker's turns, for a value of `size` elements."""
    third = size // COPY_RATIO
    positive = [1, 2, third - 1, third, third + 1, size - 1, size, size + 1, 2 * size]
    negative = [-1, -2, -third, -third - 1, -(size - 1), -size, -(size + 1), -3 * size]
    return sorted({c for c in positive if c > 0}) + sorted({c for c in negative if c < 0})


class Probe:
    """One value to build, the limit pinned while it lives, and the command to try on it."""

    def __init__(self, kind, limit, limit_value, build, read, members):
        self.kind = kind  # "set", "hash" or "zset"
        self.limit, self.limit_value = limit, limit_value
        self.build, self.read = build, read
        self.members = members  # the members (fields for a hash) as bytes

    def before(self):
        return [["CONFIG", "GET", self.limit], ["CONFIG", "SET", self.limit, self.limit_value],
                ["DEL", KEY], self.build, ["OBJECT", "ENCODING", KEY]]

    def after(self, old_limit):
        return [self.read, ["DEL", KEY], ["CONFIG", "SET", self.limit, old_limit]]

    def __hash__(self):  # kinds are hashable (difflib_compare looks some up in dicts)
        return hash(tuple(self.build))

    def __eq__(self, other):
        return isinstance(other, Probe) and self.build == other.build

    def describe(self):
        """The probe's steps before the command, as a mismatch report shows them."""
        return "CONFIG SET %s %s; DEL %s; %s" % (self.limit, self.limit_value, KEY,
                                                   " ".join(self.build))


def set_probe(g, size):
    style = g.rng.choice(["intset", "intset", "short", "short", "long", "mixed"])
    if style == "intset":  # 1..size as a user types it, or scattered, or with an extreme
        pool = range(1, size + 1) if g.rng.random() < 0.5 else range(-100, 1000)
        members = [str(n) for n in g.rng.sample(pool, size)]
        if g.rng.random() < 0.1:
            members[0] = "9223372036854775807"
    elif style == "short":  # short strings: held inline (the bytes move with the string)
        members = ["s%d" % n for n in g.rng.sample(range(1000), size)]
    elif style == "long":
        members = ["a-longer-member-%03d" % n for n in g.rng.sample(range(1000), size)]
    else:
        members = [str(n) if n % 2 else "m%d" % n for n in g.rng.sample(range(1000), size)]
    # Mostly the default limit; sometimes one the size passes, so integers go to a hashtable.
    limit = "512" if g.rng.random() < 0.8 else str(g.rng.randint(0, size))
    return Probe("set", "set-max-intset-entries", limit, ["SADD", KEY] + members,
                 ["SMEMBERS", KEY], [m.encode() for m in members])


def hash_probe(g, size):
    fields = ["f%d" % n for n in g.rng.sample(range(1000), size)]
    values = [g.rng.choice(["v%d" % i, str(i), "", "x" * g.rng.randint(1, 20)])
              for i in range(size)]
    if g.rng.random() < 0.3:  # one value too long for a listpack: a hashtable of short fields
        values[g.rng.randrange(size)] = LONG
    limit = "128" if g.rng.random() < 0.8 else str(g.rng.randint(0, size))
    build = ["HSET", KEY]
    for field, value in zip(fields, values):
        build += [field, value]
    return Probe("hash", "hash-max-listpack-entries", limit, build, ["HGETALL", KEY],
                 [f.encode() for f in fields])


def zset_probe(g, size):
    members = ["z%d" % n for n in g.rng.sample(range(1000), size)]
    if g.rng.random() < 0.3:  # one member too long for a listpack: a skiplist
        members[g.rng.randrange(size)] = LONG
    scores = [g.rng.choice(SCORES) for _ in members]
    limit = "128" if g.rng.random() < 0.8 else str(g.rng.randint(0, size))
    build = ["ZADD", KEY]
    for score, member in zip(scores, members):
        build += [score, member]
    return Probe("zset", "zset-max-listpack-entries", limit, build,
                 ["ZRANGE", KEY, "0", "-1", "WITHSCORES"], [m.encode() for m in members])


def count_arguments(g, name, size):
    roll = g.rng.random()
    if roll < 0.05:
        return []  # one pick, no count
    if roll < 0.08:
        return [g.rng.choice(["0", "x", "-1", "-9223372036854775808"])]
    choices = counts(size)
    if name == "SPOP":  # refused below 0
        choices = [c for c in choices if c > 0]
    return [str(g.rng.choice(choices))]


def with_option(g, argv, option):
    if len(argv) > 2 and g.rng.random() < 0.5:
        argv.append(g.word(option))
    return argv


def probe_command(g):
    size = g.rng.choice(SIZES)
    name = g.rng.choice(["SPOP", "SPOP", "SRANDMEMBER", "HRANDFIELD", "ZRANDMEMBER"])
    probe = {"SPOP": set_probe, "SRANDMEMBER": set_probe, "HRANDFIELD": hash_probe,
             "ZRANDMEMBER": zset_probe}[name](g, size)
    argv = [name, KEY] + count_arguments(g, name, size)
    if name == "HRANDFIELD":
        argv = with_option(g, argv, "WITHVALUES")
    elif name == "ZRANDMEMBER":
        argv = with_option(g, argv, "WITHSCORES")
    return argv, ("random_picks", probe)


def commands(g):
    return [(3, lambda: probe_command(g))]


# --- running and comparing a probe ---------------------------------------------------------------

def run(conn, argv, probe):
    """The probe on one server: the setup, the command, the value after; returns summary()."""
    setup = conn.pipeline(probe.before())
    reply = conn.call(*argv)
    value_after, _, _ = conn.pipeline(probe.after(config_value(setup[0])))
    return summary(argv, probe, setup[1:], reply, value_after)


def config_value(reply):
    """The value in a CONFIG GET reply ([name, value])."""
    return reply[1] if isinstance(reply, list) and len(reply) == 2 else b""


def parse_value(probe, flat):
    """What the read after the command gave: a set of members, or {member: value or score}."""
    if not isinstance(flat, list):
        return flat
    if probe.kind == "set":
        return set(flat)
    return dict(zip(flat[0::2], flat[1::2]))


class Facts(tuple):
    """(name, fact) pairs; difflib_compare.show prints them one a line."""

    def show(self):
        return "".join("\n    %s: %s" % (name, fact) for name, fact in self)


def summary(argv, probe, setup, reply, value_after):
    """The facts both servers must agree on."""
    facts = [("setup", tuple(map(repr, setup)))]
    after = parse_value(probe, value_after)
    if isinstance(reply, str) or reply is None or isinstance(reply, int):  # error, status, nil
        facts.append(("reply", repr(reply)))
    elif isinstance(reply, bytes):
        facts.append(("one pick, a member", reply in probe.members))
        picks = [reply]
    elif isinstance(reply, list):
        facts += list_facts(argv, probe, reply, after)
        picks = reply[0::2] if paired(argv) else reply
    else:
        facts.append(("reply of an unexpected type", repr(reply)))
    if argv[0].upper() == "SPOP" and isinstance(reply, (bytes, list)):
        facts += spop_facts(probe, picks, after)
    else:
        facts.append(("value after", sorted(after.items()) if isinstance(after, dict) else
                      sorted(after) if isinstance(after, set) else repr(after)))
    return Facts(facts)


def paired(argv):
    return len(argv) == 4 and argv[3].upper() in ("WITHVALUES", "WITHSCORES")


def list_facts(argv, probe, reply, after):
    width = 2 if paired(argv) else 1
    picks = reply[0::width]
    facts = [("array length", len(reply)),
             ("every pick a member", all(p in probe.members for p in picks))]
    if len(argv) > 2 and argv[2].lstrip("-").isdigit() and int(argv[2]) > 0:
        facts.append(("distinct", len(set(picks)) == len(picks)))
    if width == 2 and isinstance(after, dict):
        # Each pick's value or score as this server itself prints it when read back.
        facts.append(("every pick with its own value",
                      all(after.get(m) == v for m, v in zip(reply[0::2], reply[1::2]))))
    return facts


def spop_facts(probe, popped, remaining):
    remaining = remaining if isinstance(remaining, set) else set()
    return [("popped distinct", len(set(popped)) == len(popped)),
            ("popped and remaining disjoint", not (set(popped) & remaining)),
            ("popped and remaining are the value", set(popped) | remaining == set(probe.members)),
            ("remaining", len(remaining))]
