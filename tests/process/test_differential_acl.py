"""Differential test for ACL: ringcache-server against Debian's redis-server (7.0).

Both servers get the same seeded random sequences: ACL SETUSER with random rules (valid and
invalid), AUTH as those users (right and wrong passwords), commands on keys and channels as them,
ACL DRYRUN, GETUSER, LIST, WHOAMI, and finally ACL LOG. Every reply is compared, error words
included. The one tolerance: the order in which GETUSER and LIST name single commands after the
categories ("-@all +get +set"), which Redis takes from its hash table's order (its own tests
compare those parts one by one too); ACL LOG's age and client-info fields are not compared.
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


def normalise_rules(text):
    """Sorts the single-command rules after the categories ("+@all -@read +get -set"), whose
    order Redis takes from a hash table; selectors are normalised one by one."""
    def one(part):
        words = part.split(" ")
        head = [w for w in words if not re.match(r"^[+-][^@]", w)]
        singles = sorted(w for w in words if re.match(r"^[+-][^@]", w))
        return " ".join(head + singles)
    return re.sub(r"\(([^)]*)\)", lambda m: "(" + one(m.group(1)) + ")", one_outside(text, one))


def one_outside(text, one):
    start = text.find(" (")
    return one(text) if start < 0 else one(text[:start]) + text[start:]


def normalised(argv, reply):
    verb = " ".join(argv[:2]).upper()
    if verb == "ACL GETUSER" and isinstance(reply, list):
        reply = list(reply)
        for i in range(0, len(reply) - 1, 2):
            if reply[i] == b"commands":
                reply[i + 1] = normalise_rules(reply[i + 1].decode()).encode()
            if reply[i] == b"selectors":
                reply[i + 1] = [normalised(argv, selector) for selector in reply[i + 1]]
    if verb == "ACL LIST" and isinstance(reply, list):
        reply = [normalise_rules(line.decode()).encode() for line in reply]
    if verb == "ACL LOG" and isinstance(reply, list):
        reply = [entry[:10] for entry in reply]  # count reason context object username
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
                replies = [normalised(argv, getattr(side, connection).call(*argv))
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
