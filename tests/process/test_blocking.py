"""Blocking list and sorted set commands on a real ringcache-server with python3-redis: one
client blocks, another pushes (or adds); timeouts end the wait (within a bound); a disconnected or
killed blocked client leaves the queue without taking an element; CLIENT PAUSE holds writes (or
every command) until it ends. Every wait is a bounded poll, never a sleep."""

import os
import socket
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procutil  # noqa: E402

procutil.use_python_with_redis_module()
import redis  # noqa: E402

POLL_BOUND_S = 10.0
# A timed-out BLPOP may answer this much later than its timeout on a loaded machine.
LATE_BOUND_S = 3.0


class BlockingTest(procutil.ServerPerClass, unittest.TestCase):
    def client(self):
        conn = redis.Redis(port=self.server.port, socket_timeout=POLL_BOUND_S + LATE_BOUND_S)
        self.addCleanup(conn.close)
        return conn

    def setUp(self):
        self.admin = self.client()
        self.admin.flushall()

    def blocked_clients(self):
        return self.admin.info("clients")["blocked_clients"]

    def wait_for_blocked(self, count):
        deadline = time.monotonic() + POLL_BOUND_S
        while self.blocked_clients() != count:
            self.assertLess(time.monotonic(), deadline, "blocked_clients never became %d" % count)

    def in_thread(self, fn):
        """Runs fn() on a thread; returns a function that joins it (bounded) and gives its
        result."""
        result = {}
        thread = threading.Thread(target=lambda: result.setdefault("value", fn()), daemon=True)
        thread.start()

        def join():
            thread.join(POLL_BOUND_S + LATE_BOUND_S)
            self.assertFalse(thread.is_alive(), "the blocked call never returned")
            return result.get("value")
        return join

    def test_blpop_waits_for_a_push_from_another_client(self):
        blocker = self.client()
        join = self.in_thread(lambda: blocker.blpop(["none", "q"], timeout=0))
        self.wait_for_blocked(1)
        self.assertEqual(self.admin.rpush("q", "a", "b"), 2)
        self.assertEqual(join(), (b"q", b"a"))
        self.assertEqual(self.admin.lrange("q", 0, -1), [b"b"])
        self.assertEqual(self.blocked_clients(), 0)

    def test_blmove_and_blmpop_are_served(self):
        mover = self.client()
        join_move = self.in_thread(lambda: mover.blmove("src", "dst", 0, "RIGHT", "LEFT"))
        self.wait_for_blocked(1)
        popper = self.client()
        join_pop = self.in_thread(lambda: popper.execute_command("BLMPOP", 0, 1, "dst", "LEFT",
                                                                 "COUNT", 5))
        self.wait_for_blocked(2)
        self.admin.rpush("src", "x")
        self.assertEqual(join_move(), b"x")
        # The move made dst ready: the second client takes what the first one moved.
        self.assertEqual(join_pop(), [b"dst", [b"x"]])
        self.assertEqual(self.admin.exists("src", "dst"), 0)

    def test_bzpopmin_waits_for_a_zadd_from_another_client(self):
        blocker = self.client()
        join = self.in_thread(lambda: blocker.bzpopmin(["none", "z"], timeout=0))
        self.wait_for_blocked(1)
        self.assertEqual(self.admin.info("clients")["total_blocking_keys"], 2)
        self.assertEqual(self.admin.zadd("z", {"b": 2, "a": 1}), 2)
        self.assertEqual(join(), (b"z", b"a", 1.0))
        self.assertEqual(self.admin.zrange("z", 0, -1, withscores=True), [(b"b", 2.0)])
        self.assertEqual(self.blocked_clients(), 0)

    def test_bzpopmax_and_bzmpop_are_served_in_the_order_they_blocked(self):
        first = self.client()
        join_first = self.in_thread(lambda: first.bzpopmax("z", timeout=0))
        self.wait_for_blocked(1)
        second = self.client()
        join_second = self.in_thread(lambda: second.execute_command("BZMPOP", 0, 1, "z", "MIN",
                                                                    "COUNT", 5))
        self.wait_for_blocked(2)
        # A list at the key is not what they wait for: both keep waiting.
        self.admin.rpush("z", "x")
        self.admin.delete("z")
        self.assertEqual(self.blocked_clients(), 2)
        self.admin.zadd("z", {"a": 1, "b": 2, "c": 3})
        self.assertEqual(join_first(), (b"z", b"c", 3.0))
        self.assertEqual(join_second(), [b"z", [[b"a", b"1"], [b"b", b"2"]]])
        self.assertEqual(self.admin.exists("z"), 0)

    def test_timeout_answers_null_within_a_bound(self):
        blocker = self.client()
        started = time.monotonic()
        self.assertIsNone(blocker.blpop(["q"], timeout=0.5))
        took = time.monotonic() - started
        self.assertGreaterEqual(took, 0.5)
        self.assertLess(took, 0.5 + LATE_BOUND_S)
        self.assertEqual(self.blocked_clients(), 0)

    def test_disconnected_blocker_takes_nothing(self):
        sock = socket.create_connection(("127.0.0.1", self.server.port))
        sock.sendall(procutil.encode("BLPOP", "q", "0"))
        self.wait_for_blocked(1)
        sock.close()
        self.wait_for_blocked(0)
        self.admin.rpush("q", "kept")
        self.assertEqual(self.admin.lrange("q", 0, -1), [b"kept"])

    def test_client_kill_and_unblock_end_the_wait(self):
        blocker = self.client()
        blocker_id = blocker.client_id()
        join = self.in_thread(lambda: blocker.blpop(["q"], timeout=0))
        self.wait_for_blocked(1)
        self.assertEqual(self.admin.client_unblock(blocker_id), True)
        self.assertIsNone(join())
        victim = self.client()
        victim_id = victim.client_id()
        join = self.in_thread(lambda: self.raises_connection_error(victim))
        self.wait_for_blocked(1)
        self.assertEqual(self.admin.execute_command("CLIENT", "KILL", "ID", victim_id), 1)
        self.assertTrue(join())
        self.assertEqual(self.blocked_clients(), 0)

    @staticmethod
    def raises_connection_error(conn):
        try:
            conn.execute_command("BLPOP", "q", 0)
        except redis.ConnectionError:
            return True
        return False

    def test_commands_pipelined_after_a_blocking_one_wait_for_it(self):
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=POLL_BOUND_S)
        self.addCleanup(sock.close)
        sock.sendall(procutil.encode("BLPOP", "q", "0") + procutil.encode("PING"))
        self.wait_for_blocked(1)
        self.admin.lpush("q", "v")
        expected = b"*2\r\n$1\r\nq\r\n$1\r\nv\r\n+PONG\r\n"
        received = b""
        while len(received) < len(expected):
            chunk = sock.recv(4096)
            self.assertTrue(chunk, "connection closed early")
            received += chunk
        self.assertEqual(received, expected)

    def client_flags(self, client_id):
        for entry in self.admin.client_list():
            if int(entry["id"]) == client_id:
                return entry["flags"]
        self.fail("client %d is not in CLIENT LIST" % client_id)

    def test_client_pause_write_holds_writes_until_unpause(self):
        writer = self.client()
        writer_id = writer.client_id()
        self.assertTrue(self.admin.client_pause(100000, all=False))
        self.addCleanup(self.admin.client_unpause)
        join = self.in_thread(lambda: writer.set("k", "v"))
        self.wait_for_blocked(1)
        self.assertEqual(self.client_flags(writer_id), "b")
        self.assertIsNone(self.admin.get("k"))  # reads go on
        self.assertTrue(self.admin.client_unpause())
        self.assertTrue(join())
        self.assertEqual(self.admin.get("k"), b"v")
        self.assertEqual(self.blocked_clients(), 0)

    def test_client_pause_all_holds_reads_for_its_timeout(self):
        reader = self.client()
        self.admin.set("k", "v")
        started = time.monotonic()
        self.assertTrue(self.admin.client_pause(300))
        self.assertEqual(reader.get("k"), b"v")
        self.assertGreaterEqual(time.monotonic() - started, 0.3)


if __name__ == "__main__":
    unittest.main()
