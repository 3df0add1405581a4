"""HyperLogLog values travel between redis-server and ringcache-server: the same PFADDs build the
same bytes on both (sparse, and dense once promoted), a value copied with GET/SET from one counts
the same on the other, and merges of copied values agree. Skipped when either server is absent."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import difflib_resp as resp  # noqa: E402
import difflib_servers as servers  # noqa: E402

# Sizes around the sparse encoding's life: empty, a few registers, many, near hll-sparse-max-bytes
# and past it (dense).
SIZES = [0, 1, 3, 40, 300, 700, 1500, 5000]


def elements(size, salt):
    return ["%s:%d" % (salt, i) for i in range(size)]


@unittest.skipUnless(servers.redis_server_path(), "redis-server is not installed")
@unittest.skipUnless(servers.ringcache_server_path(), "ringcache-server is not built")
class HyperLogLogInteropTest(servers.BothServersPerClass, unittest.TestCase):
    def both(self, *argv):
        return self.redis.conn.call(*argv), self.ringcache.conn.call(*argv)

    def test_same_adds_build_the_same_bytes(self):
        for size in SIZES:
            key = "same:%d" % size
            added = self.both("PFADD", key, *elements(size, "s"))
            self.assertEqual(added[0], added[1], key)
            from_redis, ours = self.both("GET", key)
            self.assertEqual(from_redis, ours, "%s: representations differ" % key)
            counts = self.both("PFCOUNT", key)
            self.assertEqual(counts[0], counts[1], key)
            self.assertEqual(self.both("GET", key)[0], self.both("GET", key)[1],
                             "%s: cached cardinality differs" % key)

    def test_values_copied_either_way_count_the_same(self):
        for size in SIZES:
            key = "copy:%d" % size
            self.redis.conn.call("PFADD", key, *elements(size, "r"))
            self.ringcache.conn.call("SET", key, self.redis.conn.call("GET", key))
            other = "copy-back:%d" % size
            self.ringcache.conn.call("PFADD", other, *elements(size, "q"))
            self.redis.conn.call("SET", other, self.ringcache.conn.call("GET", other))
            for name in (key, other):
                counts = self.both("PFCOUNT", name)
                self.assertEqual(counts[0], counts[1], name)
                more = self.both("PFADD", name, *elements(20, "more"))
                self.assertEqual(more[0], more[1], name)
                values = self.both("GET", name)
                self.assertEqual(values[0], values[1], "%s after more adds" % name)

    def test_merges_and_unions_agree(self):
        for size in SIZES:
            for server in (self.redis, self.ringcache):
                server.conn.call("PFADD", "m:a:%d" % size, *elements(size, "a"))
                server.conn.call("PFADD", "m:b:%d" % size, *elements(size // 2 + 5, "b"))
        keys = ["m:a:%d" % size for size in SIZES] + ["m:b:%d" % size for size in SIZES]
        self.assertEqual(*self.both("PFCOUNT", *keys))
        for size in SIZES:
            merge = ["PFMERGE", "m:dest:%d" % size, "m:a:%d" % size, "m:b:%d" % size]
            self.assertEqual(*self.both(*merge))
            self.assertEqual(*self.both("GET", "m:dest:%d" % size))
            self.assertEqual(*self.both("PFCOUNT", "m:dest:%d" % size))

    def test_corrupt_values_are_refused_alike(self):
        corrupt = b"HYLL\x01\x00\x00\x00" + b"\x00" * 7 + b"\x80" + b"\x7f\xf0"
        for server in (self.redis, self.ringcache):
            server.conn.call("SET", "bad", corrupt)
            server.conn.call("SET", "notone", "just a string value")
        for argv in (["PFCOUNT", "bad"], ["PFADD", "bad", "x", "y", "z"], ["PFCOUNT", "notone"],
                     ["PFMERGE", "d", "bad"]):
            expected, actual = self.both(*argv)
            self.assertIsInstance(expected, resp.Error, argv)
            self.assertEqual(str(expected), str(actual), argv)


if __name__ == "__main__":
    unittest.main()
