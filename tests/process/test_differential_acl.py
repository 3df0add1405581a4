"""Differential test for ACL: ringcache-server against Debian's redis-server (7.0).

Both servers get the same seeded random sequences: ACL SETUSER with random rules (valid and
invalid), AUTH as those users (right and wrong passwords), commands on keys and channels as them,
ACL DRYRUN, GETUSER, LIST, WHOAMI, and finally ACL LOG. Every reply is compared, error words
included, with two tolerances: the command rules GETUSER and LIST print are compared by what they
mean (ACL DRYRUN verdicts on a list of probe commands for a user given those rules), since Redis
7.0 derives that text by counting its own command table and orders single commands as its hash
table does; ACL LOG's age and client-info fields are not compared.
The servers, connections and reply encoding are the data-command differential test's
(difflib_servers, difflib_resp, difflib_compare).

Environment:
  RINGCACHE_SERVER            the ringcache-server binary (default: build/runtime/real/...)
  RINGCACHE_ACL_SEQUENCES     sequences to run (default 300)
  RINGCACHE_ACL_LENGTH        steps per sequence (default 40)
  RINGCACHE_ACL_SEED          first seed (default 1); sequence i uses seed + i
"""

import os
import random
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import difflib_compare as compare  # noqa: E402
import difflib_resp as resp  # noqa: E402
import difflib_servers as servers  # noqa: E402

SEQUENCES = int(os.environ.get("RINGCACHE_ACL_SEQUENCES", "300"))
LENGTH = int(os.environ.get("RINGCACHE_ACL_LENGTH", "40"))
FIRST_SEED = int(os.environ.get("RINGCACHE_ACL_SEED", "1"))

USERS = ["u1", "u2"]
PASSWORDS = ["pw", "other"]
KEYS = ["k1", "k2", "r1", "w1", "x1"]
CHANNELS = ["ch1", "news", "chx"]
RULES = [
    "on", "off", ">pw", ">other", "<pw", "nopass", "resetpass", "reset", "+@all", "-@all",
    "+@read", "-@read", "+@write", "-@write", "+@string", "-@string", "+@keyspace", "+@pubsub",
    "-@pubsub", "+@connection", "-@dangerous", "+get", "-get", "+set", "-set", "+del", "+exists",
    "+incr", "+publish", "+subscribe", "+psubscribe", "+acl|whoami", "-acl", "+acl",
    "+client|getname", "-client", "+select|0", "~k*", "~x1", "%R~r*", "%W~w*", "%RW~k2", "allkeys",
    "resetkeys", "&ch*", "&news", "allchannels", "resetchannels", "(+get ~x*)",
    "(+set %W~k*)", "(+@read &news)", "clearselectors", "allcommands", "nocommands",
    # invalid
    "bogus", "+nosuch", "-@nosuch", "#abc", "<notthere", "%~x", "%X~y", "(+get", "+config|get|x",
]


def user_commands(rng):
    key = rng.choice(KEYS)
    channel = rng.choice(CHANNELS)
    return rng.choice([
        ["GET", key], ["SET", key, "v"], ["DEL", key], ["EXISTS", key], ["INCR", key],
        ["MGET", key, rng.choice(KEYS)], ["STRLEN", key], ["PUBLISH", channel, "m"], ["PING"],
        ["ACL", "WHOAMI"], ["CLIENT", "GETNAME"], ["SELECT", "0"],
        ["TYPE", key], ["LPUSH", key, "a"],
    ])


# Commands whose ACL DRYRUN verdicts stand for what a list of command rules means.
PROBES = [
    ["GET", "k"], ["SET", "k", "v"], ["DEL", "k"], ["EXISTS", "k"], ["INCR", "k"],
    ["MGET", "k", "j"], ["STRLEN", "k"], ["LPUSH", "k", "a"], ["SADD", "k", "a"],
    ["ZADD", "k", "1", "a"], ["HSET", "k", "f", "v"], ["TYPE", "k"], ["KEYS", "*"],
    ["PUBLISH", "c", "m"], ["SUBSCRIBE", "c"], ["PSUBSCRIBE", "c*"], ["PING"], ["SELECT", "0"],
    ["SELECT", "1"], ["ACL", "WHOAMI"], ["ACL", "SETUSER", "x"], ["CLIENT", "GETNAME"],
    ["CLIENT", "KILL", "ID", "1"], ["CONFIG", "GET", "x"], ["FLUSHALL"], ["INFO"],
    ["EVAL", "return 1", "0"], ["MULTI"], ["XADD", "k", "*", "f", "v"],
]


def meaning(conn, rules):
    """What command rules allow, as ACL DRYRUN verdicts on PROBES for a scratch user.

    The text Redis 7.0 gives for mixed command rules comes from counting its own command table
    ("-@all +@bitmap ... +get -zadd"), so the two servers are compared on what the text means."""
    conn.call("ACL", "SETUSER", "probe-user", "reset", "on", "nopass", "allkeys", "allchannels",
              *rules)
    verdicts = tuple(conn.call("ACL", "DRYRUN", "probe-user", *probe) for probe in PROBES)
    conn.call("ACL", "DELUSER", "probe-user")
    return verdicts


def is_command_rule(word):
    return word[:1] in ("+", "-")


def normalise_part(conn, part):
    words = part.split(" ")
    return ([w for w in words if not is_command_rule(w)] +
            [meaning(conn, [w for w in words if is_command_rule(w)])])


def normalise_line(conn, line):
    """An ACL LIST line: its own rules and each selector's, command rules as their meaning."""
    root, _, rest = line.partition(" (")
    parts = [normalise_part(conn, root)]
    for selector in re.findall(r"\(([^)]*)\)", "(" + rest) if rest else []:
        parts.append(normalise_part(conn, selector))
    return parts


def normalised(conn, argv, reply):
    verb = " ".join(argv[:2]).upper()
    if verb == "ACL GETUSER" and isinstance(reply, list):
        return normalised_getuser(conn, reply)
    if verb == "ACL LIST" and isinstance(reply, list):
        return [normalise_line(conn, line.decode()) for line in reply]
    if verb == "ACL LOG" and isinstance(reply, list):
        return [entry[:10] for entry in reply]  # count reason context object username
    return reply


def normalised_getuser(conn, reply):
    reply = list(reply)
    for i in range(0, len(reply) - 1, 2):
        if reply[i] == b"commands":
            reply[i + 1] = meaning(conn, reply[i + 1].decode().split(" "))
        if reply[i] == b"selectors":
            reply[i + 1] = [normalised_getuser(conn, selector) for selector in reply[i + 1]]
    return reply


class Side:
    """One server's admin connection and the connection logged in as the users."""

    def __init__(self, server):
        self.server = server
        self.admin = server.conn
        self.user = server.connect()

    def reconnect_user(self):
        self.user.close()
        self.user = self.server.connect()


@unittest.skipUnless(servers.redis_server_path(), "redis-server is not installed")
@unittest.skipUnless(servers.ringcache_server_path(), "ringcache-server is not built")
class AclDifferentialTest(servers.BothServersPerClass, unittest.TestCase):
    def step(self, rng):
        """One random step: (which connection, argv)."""
        choice = rng.random()
        user = rng.choice(USERS)
        if choice < 0.3:
            rules = [rng.choice(RULES) for _ in range(rng.randint(1, 4))]
            return "admin", ["ACL", "SETUSER", user] + rules
        if choice < 0.4:
            return "user", ["AUTH", user, rng.choice(PASSWORDS)]
        if choice < 0.75:
            return "user", user_commands(rng)
        if choice < 0.85:
            return "admin", ["ACL", "DRYRUN", user] + user_commands(rng)
        if choice < 0.95:
            return "admin", ["ACL", "GETUSER", user]
        return "admin", ["ACL", "LIST"]

    def run_sequence(self, seed):
        rng = random.Random(seed)
        sides = [Side(self.redis), Side(self.ringcache)]
        history = []
        setup = [["ACL", "DELUSER"] + USERS, ["ACL", "LOG", "RESET"], ["FLUSHALL"]]
        steps = [("admin", argv) for argv in setup]
        steps += [self.step(rng) for _ in range(LENGTH)]
        steps += [("user", ["ACL", "WHOAMI"]), ("admin", ["ACL", "LOG"])]
        try:
            for connection, argv in steps:
                history.append(argv)
                replies = [normalised(side.admin, argv, getattr(side, connection).call(*argv))
                           for side in sides]
                if replies[0] != replies[1]:
                    return "\n".join(
                        ["seed %d: mismatch at step %d" % (seed, len(history)), "sequence:"] +
                        ["  %s" % " ".join(a) for a in history] +
                        ["redis-server:     %s" % compare.show(replies[0]),
                         "ringcache-server: %s" % compare.show(replies[1]),
                         "replay: RINGCACHE_ACL_SEED=%d RINGCACHE_ACL_SEQUENCES=1" % seed])
        finally:
            for side in sides:
                side.user.close()
        return None

    def test_random_acl_sequences_reply_as_redis(self):
        mismatches = []
        for seed in range(FIRST_SEED, FIRST_SEED + SEQUENCES):
            report = self.run_sequence(seed)
            if report:
                mismatches.append(report)
                print(report + "\n", file=sys.stderr)
                if len(mismatches) >= 3:
                    break
        self.assertEqual(mismatches, [], "%d sequences mismatched" % len(mismatches))


if __name__ == "__main__":
    unittest.main()
