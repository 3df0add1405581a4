"""Server-side scripting on a real ringcache-server with python3-redis: the library's Lock
(acquire, extend, release: all Lua scripts) used unchanged across two clients; a slow script
lets other clients in past busy-reply-threshold, answered -BUSY, and SCRIPT KILL ends it; a
script's writes survive a restart through the AOF. Every wait is a bounded poll."""

import os
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procutil  # noqa: E402

procutil.use_python_with_redis_module()
import redis  # noqa: E402
from redis.exceptions import LockError, ResponseError  # noqa: E402

POLL_BOUND_S = 10.0


class ScriptingTest(procutil.ServerPerClass, unittest.TestCase):
    def client(self):
        conn = redis.Redis(port=self.server.port, socket_timeout=POLL_BOUND_S)
        self.addCleanup(conn.close)
        return conn

    def setUp(self):
        self.admin = self.client()
        self.admin.flushall()

    def test_lock_across_two_clients(self):
        first, second = self.client(), self.client()
        mine = first.lock("resource", timeout=10)
        theirs = second.lock("resource", timeout=10)
        self.assertTrue(mine.acquire(blocking=False))
        self.assertFalse(theirs.acquire(blocking=False))
        self.assertTrue(mine.owned())
        self.assertTrue(mine.extend(20))
        self.assertGreater(self.admin.pttl("resource"), 20000)
        self.assertTrue(mine.reacquire())
        # The other client's token does not match: its release and extend scripts refuse.
        with self.assertRaises(LockError):
            theirs.release()
        with self.assertRaises(LockError):
            theirs.extend(5)
        mine.release()
        self.assertFalse(self.admin.exists("resource"))
        self.assertTrue(theirs.acquire(blocking=False))
        self.assertTrue(theirs.locked())
        theirs.release()

    def test_slow_script_is_busy_then_killed(self):
        self.admin.config_set("busy-reply-threshold", 100)
        self.addCleanup(self.admin.config_set, "busy-reply-threshold", 5000)
        runner = self.client()
        outcome = {}

        def run_forever():
            try:
                outcome["reply"] = runner.eval("local i = 0 while true do i = i + 1 end", 0)
            except ResponseError as error:
                outcome["error"] = str(error)

        thread = threading.Thread(target=run_forever, daemon=True)
        thread.start()
        other = self.client()

        def busy():
            try:
                other.get("k")
                return False
            except ResponseError as error:
                return str(error).startswith("BUSY")

        procutil.poll(busy, POLL_BOUND_S, "a BUSY reply while the script runs")
        self.assertEqual(other.script_kill(), True)
        thread.join(POLL_BOUND_S)
        self.assertFalse(thread.is_alive(), "the killed script never returned")
        self.assertIn("Script killed by user", outcome.get("error", ""))
        with self.assertRaises(ResponseError) as raised:
            other.script_kill()
        self.assertIn("NOTBUSY", str(raised.exception))
        self.assertTrue(other.ping())

    def test_evalsha_through_register_script(self):
        incr_by = self.admin.register_script(
            "return redis.call('incrby', KEYS[1], ARGV[1])")
        self.assertEqual(incr_by(keys=["counter"], args=[5]), 5)
        self.admin.script_flush()
        self.assertEqual(incr_by(keys=["counter"], args=[2]), 7)  # reloads after NOSCRIPT


class ScriptPersistenceTest(unittest.TestCase):
    def test_script_writes_survive_a_restart(self):
        workdir = tempfile.mkdtemp(prefix="ringcache-scripting-")
        args = ["--appendonly", "yes", "--appendfsync", "always", "--dir", workdir]
        server = procutil.start_server(args)
        try:
            conn = redis.Redis(port=server.port, socket_timeout=POLL_BOUND_S)
            conn.eval("redis.call('set', KEYS[1], ARGV[1]) redis.call('rpush', KEYS[2], 'a', 'b')",
                      2, "k", "l", "v")
            conn.close()
        finally:
            server.stop()
        again = procutil.start_server(args)
        try:
            conn = redis.Redis(port=again.port, socket_timeout=POLL_BOUND_S)
            self.assertEqual(conn.get("k"), b"v")
            self.assertEqual(conn.lrange("l", 0, -1), [b"a", b"b"])
            conn.close()
        finally:
            again.stop()


if __name__ == "__main__":
    unittest.main()
