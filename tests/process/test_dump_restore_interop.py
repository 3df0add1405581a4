"""DUMP and RESTORE between redis-server and ringcache-server: a value of every type and
encoding (around each encoding threshold) dumped by one server is restored by the other and
reads back the same; RESTORE's errors for bad options, a busy key, bad TTLs and damaged payloads
are Redis' word for word. Skipped when either server is absent; ringcache must still answer PING
at the end (BothServersPerClass)."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import difflib_resp as resp  # noqa: E402
import difflib_servers as servers  # noqa: E402
import procutil  # noqa: E402

# Element counts around the listpack/intset limits (128 entries, 512 intset members) and list
# node sizes.
COUNTS = [1, 2, 127, 128, 129, 513, 2000]
# Element sizes around the listpack value limit (64) and LZF's threshold (20).
SIZES = [1, 20, 21, 64, 65, 5000]


def builders(count, size):
    """(key, commands) pairs building one value of each type with `count` elements."""
    pad = "x" * max(0, size - 8)
    ints = [str(i * 997 - 50000) for i in range(count)]
    words = ["%s%06d" % (pad, i) for i in range(count)]
    tag = "%d:%d" % (count, size)
    return [
        ("list:" + tag, [["RPUSH", "list:" + tag] + words + ints]),
        ("intset:" + tag, [["SADD", "intset:" + tag] + ints]),
        ("set:" + tag, [["SADD", "set:" + tag] + words]),
        ("zset:" + tag, [["ZADD", "zset:" + tag] + [a for i, w in enumerate(words)
                                                   for a in (str(i * 0.25 - 3), w)]]),
        ("hash:" + tag, [["HSET", "hash:" + tag] + [a for w, n in zip(words, ints) for a in (w, n)]]),
        ("string:" + tag, [["SET", "string:" + tag, (pad + "0123456789") * count]]),
        ("int:" + tag, [["SET", "int:" + tag, str(count * 1000003 - 77)]]),
    ]


def read_back(conn, key):
    kind = conn.call("TYPE", key)
    if kind == "string":
        return conn.call("GET", key)
    if kind == "list":
        return conn.call("LRANGE", key, "0", "-1")
    if kind == "set":
        return sorted(conn.call("SMEMBERS", key))
    if kind == "zset":
        return conn.call("ZRANGE", key, "0", "-1", "WITHSCORES")
    if kind == "hash":
        flat = conn.call("HGETALL", key)
        return sorted(zip(flat[::2], flat[1::2]))
    return kind


@unittest.skipUnless(servers.redis_server_path(), "redis-server is not installed")
@unittest.skipUnless(servers.ringcache_server_path(), "ringcache-server is not built")
class DumpRestoreInteropTest(servers.BothServersPerClass, unittest.TestCase):
    def both(self, *argv):
        return self.redis.conn.call(*argv), self.ringcache.conn.call(*argv)

    def build_everywhere(self):
        keys = []
        for count in COUNTS:
            for size in SIZES:
                if count * size > 2_000_000:
                    continue
                for key, commands in builders(count, size):
                    for server in (self.redis, self.ringcache):
                        for argv in commands:
                            server.conn.call(*argv)
                    keys.append(key)
        return keys

    def test_values_travel_both_ways(self):
        for key in self.build_everywhere():
            for source, target in ((self.ringcache, self.redis), (self.redis, self.ringcache)):
                payload = source.conn.call("DUMP", key)
                self.assertIsInstance(payload, bytes, key)
                copy = key + ":from-" + ("ringcache" if source is self.ringcache else "redis")
                reply = target.conn.call("RESTORE", copy, "0", payload)
                self.assertEqual(reply, "OK", "%s restored on %s" % (copy, target))
                self.assertEqual(read_back(target.conn, copy), read_back(source.conn, key), copy)
                # And back again, through the other server's own DUMP.
                again = target.conn.call("DUMP", copy)
                self.assertEqual(source.conn.call("RESTORE", copy + ":back", "0", again), "OK")
                self.assertEqual(read_back(source.conn, copy + ":back"),
                                 read_back(source.conn, key), copy + ":back")

    def build_stream(self, server, key, entries):
        for i in range(1, entries + 1):
            fields = ["f", str(i)] if i % 3 else ["f", str(i), "g%d" % (i % 5), "x" * (i % 70)]
            server.conn.call("XADD", key, "%d-%d" % (i // 4 + 1, i % 4), *fields)
        server.conn.call("XDEL", key, "2-1")
        server.conn.call("XGROUP", "CREATE", key, "g1", "0")
        server.conn.call("XGROUP", "CREATE", key, "g2", "$")
        server.conn.call("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", key, ">")
        server.conn.call("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "3", "STREAMS", key, ">")
        server.conn.call("XACK", key, "g1", "1-1")
        server.conn.call("XGROUP", "CREATECONSUMER", key, "g2", "idle")

    @staticmethod
    def stream_state(conn, key):
        groups = conn.call("XINFO", "GROUPS", key)
        return [conn.call("XRANGE", key, "-", "+"), groups,
                conn.call("XPENDING", key, "g1"),
                [e[:2] for e in conn.call("XPENDING", key, "g1", "-", "+", "100")]]

    def test_streams_travel_both_ways(self):
        for entries in (0, 1, 99, 100, 101, 450):
            key = "stream:%d" % entries
            for source, target in ((self.ringcache, self.redis), (self.redis, self.ringcache)):
                source.conn.call("DEL", key)
                if entries:
                    self.build_stream(source, key, entries)
                else:
                    source.conn.call("XADD", key, "MAXLEN", "0", "7-7", "f", "v")
                payload = source.conn.call("DUMP", key)
                self.assertEqual(target.conn.call("RESTORE", key + ":copy", "0", payload,
                                                  "REPLACE"), "OK", key)
                if entries:
                    self.assertEqual(self.stream_state(target.conn, key + ":copy"),
                                     self.stream_state(source.conn, key), key)
                else:
                    self.assertEqual(target.conn.call("XINFO", "STREAM", key + ":copy")[:12],
                                     source.conn.call("XINFO", "STREAM", key)[:12], key)

    def test_errors_match_redis(self):
        for server in (self.redis, self.ringcache):
            server.conn.call("SET", "k", "v")
        payload = self.redis.conn.call("DUMP", "k")
        body = payload[:-10]
        cases = [
            ["RESTORE", "k", "0", payload],
            ["RESTORE", "k", "0", payload, "bogus"],
            ["RESTORE", "k", "0", payload, "IDLETIME", "1", "FREQ", "1"],
            ["RESTORE", "new", "0", payload, "IDLETIME", "-1"],
            ["RESTORE", "new", "0", payload, "FREQ", "300"],
            ["RESTORE", "new", "0", payload, "FREQ", "x"],
            ["RESTORE", "k", "x", b"..."],
            ["RESTORE", "new", "x", payload],
            ["RESTORE", "new", "-5", payload],
            ["RESTORE", "new", "0", b"..."],
            ["RESTORE", "new", "0", b""],
            ["RESTORE", "new", "0", body + b"\x0b\x00" + payload[-8:]],
            ["RESTORE", "new", "0", payload[:-1] + bytes([payload[-1] ^ 1])],
            ["RESTORE", "new", "0", payload, "REPLACE", "ABSTTL", "IDLETIME", "5"],
            ["EXISTS", "new"],
            ["RESTORE", "k", "1", payload, "ABSTTL", "REPLACE"],
            ["EXISTS", "k"],
            ["DUMP", "nosuchkey"],
            ["DUMP"],
            ["RESTORE", "a", "0"],
        ]
        for argv in cases:
            expected, actual = self.both(*argv)
            self.assertEqual(type(expected), type(actual), argv)
            self.assertEqual(expected, actual, argv)

    def test_damaged_payloads_are_refused_alike(self):
        # A list dumped by redis-server, cut anywhere: both servers refuse it in the same words.
        self.redis.conn.call("RPUSH", "dl", "a", "1", "-5000", "hello", "300000", "x" * 30)
        payload = self.redis.conn.call("DUMP", "dl")
        for cut in range(0, len(payload)):
            expected, actual = self.both("RESTORE", "cut", "0", payload[:cut])
            self.assertIsInstance(actual, resp.Error, cut)
            self.assertEqual(expected, actual, cut)
        self.assertEqual(self.ringcache.conn.call("PING"), "PONG")


@unittest.skipUnless(servers.ringcache_server_path(), "ringcache-server is not built")
class RestoreReplaysFromTheAofTest(unittest.TestCase):
    """RESTORE as it reaches the AOF rebuilds the same keys with the same deadlines."""

    def start(self, workdir=None):
        extra = ["--dir", workdir] if workdir else []
        server = procutil.start_server(["--appendonly", "yes", "--appendfsync", "always"] + extra)
        self.addCleanup(server.stop)
        return server

    @staticmethod
    def state(conn):
        return [(key, read_back(conn, key), conn.call("PEXPIRETIME", key))
                for key in sorted(conn.call("KEYS", "*"))]

    def test_restored_keys_come_back_from_the_log(self):
        first = self.start()
        conn = resp.Connection(first.port)
        conn.call("RPUSH", "l", "a", "b", "1")
        conn.call("HSET", "h", "f", "v")
        conn.call("SET", "s", "x" * 100)
        for key in ("l", "h", "s"):
            payload = conn.call("DUMP", key)
            self.assertEqual(conn.call("RESTORE", key + ":ttl", "100000", payload), "OK")
            self.assertEqual(conn.call("RESTORE", key + ":abs", "4102444800000", payload,
                                       "ABSTTL"), "OK")
            self.assertEqual(conn.call("RESTORE", key, "0", payload, "REPLACE", "IDLETIME",
                                       "5"), "OK")
        before = self.state(conn)
        conn.close()
        procutil.run_cli(first.port, "SHUTDOWN")
        first.wait_exit()
        second = self.start(workdir=first.workdir)
        conn = resp.Connection(second.port)
        self.assertEqual(self.state(conn), before)
        self.assertEqual(conn.call("PING"), "PONG")
        conn.close()


if __name__ == "__main__":
    unittest.main()
