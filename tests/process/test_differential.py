"""Differential test: ringcache-server against Debian's redis-server (7.0).

Both servers get the same seeded random command sequences (string and generic key commands,
valid and invalid arguments, a small key space so commands collide) one command at a time, and
every reply is compared: exactly, error words included, except where a reply is inherently time-
or order-dependent (see difflib_compare). On a mismatch it prints the seed, the sequence so far
and both replies. A server that gives no reply within the connection's timeout (a hang) ends the
run with the same report; both servers must still answer PING when the test ends.

Environment:
  RINGCACHE_SERVER          the ringcache-server binary (default: build/runtime/real/...)
  RINGCACHE_DIFF_SEQUENCES  sequences to run (default 2000)
  RINGCACHE_DIFF_LENGTH     commands per sequence (default 30)
  RINGCACHE_DIFF_SEED       first seed (default 1); sequence i uses seed + i
  RINGCACHE_DIFF_SHOW       mismatching sequences printed before giving up (default 5)
  RINGCACHE_DIFF_STRICT     1: no known divergence is tolerated (see difflib_compare)
  RINGCACHE_DIFF_FAMILIES   only these families besides the core (streams,lists; difflib_gen)
  RINGCACHE_DIFF_SKIP       leave out these commands (SWAPDB,COMMAND|LIST; difflib_gen)
"""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import difflib_compare as compare  # noqa: E402
import difflib_gen as gen  # noqa: E402
import difflib_servers as servers  # noqa: E402

SEQUENCES = int(os.environ.get("RINGCACHE_DIFF_SEQUENCES", "2000"))
LENGTH = int(os.environ.get("RINGCACHE_DIFF_LENGTH", "30"))
FIRST_SEED = int(os.environ.get("RINGCACHE_DIFF_SEED", "1"))
# Mismatches reported in full before the test gives up.
MISMATCHES_SHOWN_MAX = int(os.environ.get("RINGCACHE_DIFF_SHOW", "5"))

# COMMAND INFO fields compared: name, arity, flags, first key, last key, step, ACL categories.
INFO_FIELDS = 7
OUR_COMMANDS = (
    "get set setnx setex psetex mget mset msetnx getset getdel getex append strlen getrange "
    "setrange incr decr incrby decrby incrbyfloat del unlink exists type expire pexpire expireat "
    "pexpireat expiretime pexpiretime ttl pttl persist rename renamenx keys scan randomkey "
    "dbsize flushdb flushall touch object dump restore "
    "lpush rpush lpushx rpushx lpop rpop llen lrange lindex lset linsert lrem ltrim lpos lmove "
    "rpoplpush lmpop blpop brpop blmove brpoplpush blmpop "
    "hset hsetnx hget hmget hmset hdel hlen hstrlen hexists hkeys hvals hgetall hincrby "
    "hincrbyfloat hrandfield hscan "
    "sadd srem scard sismember smismember smembers srandmember spop smove sinter sintercard "
    "sunion sdiff sinterstore sunionstore sdiffstore sscan "
    "zadd zincrby zrem zcard zscore zmscore zrank zrevrank zrandmember zscan zcount zlexcount "
    "zrange zrangestore zrevrange zrangebyscore zrevrangebyscore zrangebylex zrevrangebylex "
    "zremrangebyrank zremrangebyscore zremrangebylex zpopmin zpopmax zmpop bzpopmin bzpopmax "
    "bzmpop zunion zinter zdiff "
    "zintercard zunionstore zinterstore zdiffstore "
    "setbit getbit bitcount bitpos bitop bitfield bitfield_ro pfadd pfcount pfmerge lcs "
    "substr geoadd geopos geodist geohash geosearch geosearchstore georadius georadius_ro "
    "georadiusbymember georadiusbymember_ro "
    "xadd xrange xrevrange xlen xdel xtrim xread xreadgroup xgroup xack xpending xclaim xautoclaim "
    "xsetid xinfo select swapdb move copy sort sort_ro reset lolwut client|reply client|no-evict "
    "command|list command|getkeys command|getkeysandflags memory|stats latency|histogram "
    "latency|doctor latency|graph module|list module|help module|load module|loadex "
    "module|unload").split()
OUR_COMMANDS += ("subscribe unsubscribe psubscribe punsubscribe ssubscribe sunsubscribe publish "
                 "spublish pubsub multi exec discard watch unwatch role").split()
# COMMAND INFO of what is not built as Redis yet (difflib_gen.KNOWN_GAPS): SWAPDB and MOVE (one
# database only), MODULE LOAD/LOADEX/UNLOAD (no no_async_loading flag). Compared only when strict.
INFO_KNOWN_GAPS = {"swapdb", "move", "module|load", "module|loadex", "module|unload"}
if not gen.STRICT:
    OUR_COMMANDS = [name for name in OUR_COMMANDS if name not in INFO_KNOWN_GAPS]


class ServerStopped(Exception):
    """A server gave no reply within the connection's timeout, or closed the connection."""


def kind_name(kind):
    return kind[0] if isinstance(kind, tuple) else kind


def probe_steps(kind):
    """What a random-pick probe did before its command (difflib_family_random_picks)."""
    if isinstance(kind, tuple) and hasattr(kind[1], "describe"):
        return ["before the last command: %s" % kind[1].describe()]
    return []


def render(argv):
    """argv as a mismatch report shows it; a DUMP payload is bytes (difflib_family_dump_restore)."""
    return " ".join(repr(a) if (isinstance(a, bytes) or not a or " " in a or not a.isprintable())
                    else a for a in argv)


@unittest.skipUnless(servers.redis_server_path(), "redis-server is not installed")
@unittest.skipUnless(servers.ringcache_server_path(), "ringcache-server is not built")
class DifferentialTest(servers.BothServersPerClass, unittest.TestCase):
    def report(self, seed, history, kind, lines):
        return "\n".join(
            ["seed %d: mismatch at command %d (%s comparison)" % (seed, len(history),
                                                                  kind_name(kind)),
             "sequence:"] + ["  %s" % render(a) for a in history] + probe_steps(kind) + lines +
            ["replay: RINGCACHE_DIFF_SEED=%d RINGCACHE_DIFF_SEQUENCES=1" % seed])

    def run_on(self, server, argv, kind, seed, history):
        """One command's reply from one server; a server that stops answering (the socket
        timeout bounds the wait) or drops the connection ends the run with a report."""
        try:
            return compare.run(server.conn, argv, kind)
        except OSError as error:
            raise ServerStopped(self.report(seed, history, kind, [
                "%s-server: no reply (%s: %s) after %.0f s at most" % (
                    server.name, type(error).__name__, error, server.conn.sock.gettimeout())]))

    def run_sequence(self, seed):
        """Runs one sequence on both servers; returns a report of the first mismatch, or None."""
        generator = gen.Generator(seed, now_ms=int(time.time() * 1000))
        history = []
        # SELECT 0: a sequence may have selected another database, which the connection keeps.
        commands = ([(["SELECT", "0"], "exact"), (["FLUSHALL"], "exact"),
                     (["CONFIG", "RESETSTAT"], "exact")] +
                    generator.sequence(LENGTH) + [(["INFO", "stats"], "stats")])
        for argv, kind in commands:
            history.append(argv)
            # Stays set for the rest of the run: redis-server's errno outlives the sequence.
            self.redis_saw_overflow = self.redis_saw_overflow or any(
                compare.overflows_double(str(token)) for token in argv)
            expected = self.run_on(self.redis, argv, kind, seed, history)
            actual = self.run_on(self.ringcache, argv, kind, seed, history)
            if compare.known_divergence(kind, expected, actual) or compare.redis_errno_leak(
                    argv, expected, actual, self.redis_saw_overflow):
                self.known_divergences += 1
            elif not compare.equivalent(kind, expected, actual):
                return self.report(seed, history, kind, [
                    "redis-server:    %s" % compare.show(expected),
                    "ringcache-server: %s" % compare.show(actual)])
        return None

    def test_random_sequences_reply_as_redis(self):
        mismatches = []
        self.known_divergences = 0
        self.redis_saw_overflow = False
        started = time.monotonic()
        for seed in range(FIRST_SEED, FIRST_SEED + SEQUENCES):
            try:
                report = self.run_sequence(seed)
            except ServerStopped as stopped:  # nothing more can be compared
                mismatches.append(str(stopped))
                print(str(stopped) + "\n", file=sys.stderr)
                break
            if report is None:
                continue
            mismatches.append(report)
            print(report + "\n", file=sys.stderr)
            if len(mismatches) >= MISMATCHES_SHOWN_MAX:
                break
        elapsed = time.monotonic() - started
        print("differential: %d sequences x %d commands in %.1fs, %d mismatching, %d known "
              "divergences tolerated" % (SEQUENCES, LENGTH, elapsed, len(mismatches),
                                         self.known_divergences), file=sys.stderr)
        self.assertEqual(mismatches, [], "%d sequences mismatched (first shown above)" %
                         len(mismatches))

    @staticmethod
    def info_differences(name, expected, actual):
        """Differences in the leading COMMAND INFO fields of one command and its subcommands."""
        want, got = expected[:INFO_FIELDS], actual[:INFO_FIELDS]
        if sorted(map(str, want[2])) == sorted(map(str, got[2])):
            got = got[:2] + [want[2]] + got[3:]  # flag order is COMMAND INFO's business
        differences = []
        if want != got:
            differences.append("%s:\n  redis     %r\n  ringcache %r" % (name, want, got))
        want_flags, got_flags = (DifferentialTest.first_key_spec_flags(info)
                                 for info in (expected, actual))
        if got_flags is not None and want_flags != got_flags:
            differences.append("%s key spec flags: redis %r, ringcache %r" % (
                name, want_flags, got_flags))
        subcommands = [
            {sub[0]: sub for sub in (info[9] if len(info) > 9 else [])}
            for info in (expected, actual)]
        for sub_name in sorted(set(subcommands[0]) | set(subcommands[1])):
            want_sub, got_sub = (subs.get(sub_name) for subs in subcommands)
            if want_sub is None or got_sub is None:
                differences.append("%s: only one server has it" % sub_name)
            else:
                differences += DifferentialTest.info_differences(sub_name, want_sub, got_sub)
        return differences

    @staticmethod
    def first_key_spec_flags(info):
        """The flags of a command's first key spec (ringcache describes only that one)."""
        specs = info[8] if len(info) > 8 else []
        if not specs:
            return None
        fields = specs[0]
        return sorted(map(str, dict(zip(fields[::2], fields[1::2])).get(b"flags", [])))

    def test_command_info_matches(self):
        differences = []
        for name in OUR_COMMANDS:
            expected = self.redis.conn.call("COMMAND", "INFO", name)
            actual = self.ringcache.conn.call("COMMAND", "INFO", name)
            if not isinstance(actual, list) or not actual or not isinstance(actual[0], list):
                differences.append("%s: %s" % (name, compare.show(actual)))
                continue
            differences += self.info_differences(name, expected[0], actual[0])
        self.assertEqual(differences, [], "\n".join(differences))


if __name__ == "__main__":
    unittest.main()
