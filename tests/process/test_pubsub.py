"""Pub/sub, keyspace notifications, client-side caching and transactions against a running
ringcache-server, as applications use them: python3-redis (RESP2), raw RESP3 sockets where the
installed python3-redis has no RESP3, and redis-cli in subscribe mode. Every wait is a bounded
poll."""

import os
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procutil  # noqa: E402

procutil.use_python_with_redis_module()
import redis  # noqa: E402

POLL_TIMEOUT_S = 10.0


def poll(condition, what="condition"):
    return procutil.poll(condition, POLL_TIMEOUT_S, what)


class Resp3Socket:
    """A raw connection speaking RESP3 (HELLO 3) that decodes replies and pushes."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=POLL_TIMEOUT_S)
        self.buffer = b""
        self.command("HELLO", "3")

    def send(self, *argv):
        self.sock.sendall(procutil.encode(*argv))

    def command(self, *argv):
        self.send(*argv)
        return self.read()

    def _line(self):
        while b"\r\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def _bulk(self, length):
        while len(self.buffer) < length + 2:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:length], self.buffer[length + 2:]
        return data.decode()

    def read(self):
        """One reply; pushes come back as ("push", [...])."""
        line = self._line()
        kind, rest = line[:1], line[1:].decode()
        if kind in (b"+", b"-"):
            return rest if kind == b"+" else ("error", rest)
        if kind == b":":
            return int(rest)
        if kind == b"_":
            return None
        if kind in (b"$", b"="):
            return self._bulk(int(rest))
        if kind in (b"*", b"~", b">"):
            items = [self.read() for _ in range(int(rest))]
            return ("push", items) if kind == b">" else items
        if kind == b"%":
            return {self.read(): self.read() for _ in range(int(rest))}
        raise ValueError("unexpected reply line %r" % line)

    def close(self):
        self.sock.close()


class PubSubProcessTest(procutil.ServerPerClass, unittest.TestCase):
    def setUp(self):
        self.r = redis.Redis(port=self.port, decode_responses=True, single_connection_client=True)
        self.r.config_set("notify-keyspace-events", "")

    def tearDown(self):
        self.r.close()

    def next_message(self, pubsub):
        return poll(lambda: pubsub.get_message(ignore_subscribe_messages=True, timeout=0.05),
                    "a message")

    def test_publish_reaches_channel_and_pattern_subscribers(self):
        sub = redis.Redis(port=self.port, decode_responses=True).pubsub()
        sub.subscribe("news")
        sub.psubscribe("ne*")
        self.assertEqual(poll(lambda: self.r.pubsub_numsub("news") == [("news", 1)]), True)
        self.assertEqual(self.r.publish("news", "hello"), 2)
        first, second = self.next_message(sub), self.next_message(sub)
        self.assertEqual((first["type"], first["channel"], first["data"]),
                         ("message", "news", "hello"))
        self.assertEqual((second["type"], second["pattern"], second["channel"], second["data"]),
                         ("pmessage", "ne*", "news", "hello"))
        for i in range(50):  # order per subscriber is publish order
            self.r.publish("news", str(i))
        received = [self.next_message(sub)["data"] for _ in range(100)]
        self.assertEqual(received, [str(i) for i in range(50) for _ in (0, 1)])
        self.assertEqual(self.r.pubsub_numpat(), 1)
        sub.close()
        self.assertTrue(poll(lambda: self.r.pubsub_numsub("news") == [("news", 0)]),
                        "a closed subscriber leaves its channels")

    def test_unsubscribe_counts_and_subscribed_mode(self):
        conn = procutil.RawConnection(self.port)
        conn.send(procutil.encode("SUBSCRIBE", "a", "b") + procutil.encode("PSUBSCRIBE", "p*") +
                  procutil.encode("GET", "x") + procutil.encode("PING") +
                  procutil.encode("UNSUBSCRIBE") + procutil.encode("PUNSUBSCRIBE") +
                  procutil.encode("GET", "x"))
        expected = (b"*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n"
                    b"*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n"
                    b"*3\r\n$10\r\npsubscribe\r\n$2\r\np*\r\n:3\r\n"
                    b"-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
                    b"QUIT / RESET are allowed in this context\r\n"
                    b"*2\r\n$4\r\npong\r\n$0\r\n\r\n"
                    b"*3\r\n$11\r\nunsubscribe\r\n$1\r\na\r\n:2\r\n"
                    b"*3\r\n$11\r\nunsubscribe\r\n$1\r\nb\r\n:1\r\n"
                    b"*3\r\n$12\r\npunsubscribe\r\n$2\r\np*\r\n:0\r\n"
                    b"$-1\r\n")
        data = self.read_exactly(conn, len(expected))
        conn.close()
        self.assertEqual(data, expected)

    def read_exactly(self, conn, size):
        data = b""
        while len(data) < size:
            chunk = conn.sock.recv(65536)
            if not chunk:
                break
            data += chunk
        return data

    def test_client_reply_off_skip_and_on(self):
        conn = procutil.RawConnection(self.port)
        conn.send(b"".join(procutil.encode(*argv) for argv in [
            ("CLIENT", "REPLY", "OFF"), ("PING", "a"), ("SET", "reply-key", "v"),
            ("CLIENT", "REPLY", "SKIP"), ("PING", "b"),  # SKIP under OFF changes nothing
            ("CLIENT", "REPLY", "ON"), ("PING", "c"),
            ("CLIENT", "REPLY", "SKIP"), ("PING", "d"), ("PING", "e"),
            ("CLIENT", "REPLY", "SKIP"), ("CLIENT", "REPLY", "ON"), ("PING", "f"),
            ("GET", "reply-key"), ("CLIENT", "REPLY", "MAYBE")]))
        expected = (b"+OK\r\n$1\r\nc\r\n$1\r\ne\r\n+OK\r\n$1\r\nf\r\n$1\r\nv\r\n"
                    b"-ERR syntax error\r\n")
        self.assertEqual(self.read_exactly(conn, len(expected)), expected)
        conn.close()

    def test_client_reply_off_still_delivers_subscriptions_and_messages(self):
        conn = procutil.RawConnection(self.port)
        conn.send(procutil.encode("CLIENT", "REPLY", "OFF") +
                  procutil.encode("SUBSCRIBE", "quiet") + procutil.encode("PING"))
        confirmation = b"*3\r\n$9\r\nsubscribe\r\n$5\r\nquiet\r\n:1\r\n"
        self.assertEqual(self.read_exactly(conn, len(confirmation)), confirmation)
        self.assertEqual(self.r.publish("quiet", "hi"), 1)
        conn.send(procutil.encode("UNSUBSCRIBE", "quiet") + procutil.encode("CLIENT", "REPLY", "ON"))
        expected = (b"*3\r\n$7\r\nmessage\r\n$5\r\nquiet\r\n$2\r\nhi\r\n"
                    b"*3\r\n$11\r\nunsubscribe\r\n$5\r\nquiet\r\n:0\r\n+OK\r\n")
        self.assertEqual(self.read_exactly(conn, len(expected)), expected)
        conn.close()

    def test_redis_cli_subscribe_prints_published_messages(self):
        cli = subprocess.Popen(["redis-cli", "-p", str(self.port), "SUBSCRIBE", "cli-channel"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            self.assertTrue(poll(lambda: self.r.pubsub_numsub("cli-channel")[0][1] == 1))
            self.assertEqual(self.r.publish("cli-channel", "from-python"), 1)
            lines = []
            while len(lines) < 6:  # subscribe (3 lines), message (3 lines)
                line = cli.stdout.readline()
                if not line:
                    break
                lines.append(line.decode().strip())
            self.assertEqual(lines, ["subscribe", "cli-channel", "1", "message", "cli-channel",
                                     "from-python"])
        finally:
            cli.kill()
            cli.wait(timeout=procutil.EXIT_TIMEOUT_S)
            cli.stdout.close()

    def test_keyspace_notifications(self):
        self.r.config_set("notify-keyspace-events", "KEA")
        self.assertEqual(self.r.config_get("notify-keyspace-events"),
                         {"notify-keyspace-events": "AKE"})
        sub = redis.Redis(port=self.port, decode_responses=True).pubsub()
        sub.psubscribe("__key*__:ks:*", "__keyevent@0__:*")
        self.assertTrue(poll(lambda: self.r.pubsub_numpat() >= 2))
        self.r.set("ks:a", "1", px=50)
        seen = []
        while len(seen) < 6:
            message = self.next_message(sub)
            if message["pattern"] == "__key*__:ks:*":
                seen.append(("space", message["channel"], message["data"]))
            elif message["data"] == "ks:a":
                seen.append(("event", message["channel"]))
        # set and expire (4 messages), then expired once the 50 ms pass (2 more).
        self.assertEqual(seen[:4], [("space", "__keyspace@0__:ks:a", "set"),
                                    ("event", "__keyevent@0__:set"),
                                    ("space", "__keyspace@0__:ks:a", "expire"),
                                    ("event", "__keyevent@0__:expire")])
        self.assertEqual(sorted(seen[4:]), [("event", "__keyevent@0__:expired"),
                                            ("space", "__keyspace@0__:ks:a", "expired")])
        sub.close()

    def test_tracking_resp3_invalidation(self):
        tracker = Resp3Socket(self.port)
        try:
            self.assertEqual(tracker.command("CLIENT", "TRACKING", "on"), "OK")
            self.r.set("cached", "v1")
            self.assertEqual(tracker.command("GET", "cached"), "v1")
            self.r.set("cached", "v2")
            self.assertEqual(tracker.read(), ("push", ["invalidate", ["cached"]]))
            self.r.flushall()
            self.assertEqual(tracker.read(), ("push", ["invalidate", None]))
        finally:
            tracker.close()

    def test_tracking_resp2_redirect(self):
        # The listener's connection is found by name: in subscribed mode it cannot ask its id.
        listener = redis.Redis(port=self.port, decode_responses=True,
                               client_name="invalidation-listener")
        pubsub = listener.pubsub()
        pubsub.subscribe("__redis__:invalidate")
        self.assertTrue(poll(lambda: self.r.pubsub_numsub("__redis__:invalidate")[0][1] == 1))
        listener_id = next(int(c["id"]) for c in self.r.client_list()
                           if c["name"] == "invalidation-listener")
        self.r.execute_command("CLIENT", "TRACKING", "on", "REDIRECT", listener_id)
        self.assertEqual(self.r.execute_command("CLIENT", "GETREDIR"), listener_id)
        self.r.get("redirected")
        other = redis.Redis(port=self.port, decode_responses=True)
        other.set("redirected", "x")
        message = self.next_message(pubsub)
        self.assertEqual((message["channel"], message["data"]),
                         ("__redis__:invalidate", ["redirected"]))
        self.r.execute_command("CLIENT", "TRACKING", "off")
        other.close()
        pubsub.close()
        listener.close()

    def test_watch_conflict_between_two_clients(self):
        other = redis.Redis(port=self.port, decode_responses=True)
        self.r.set("balance", 10)
        with self.r.pipeline() as pipe:
            pipe.watch("balance")
            current = int(pipe.get("balance"))
            other.set("balance", 100)  # a concurrent change
            pipe.multi()
            pipe.set("balance", current + 1)
            with self.assertRaises(redis.WatchError):
                pipe.execute()
        self.assertEqual(self.r.get("balance"), "100")
        with self.r.pipeline() as pipe:  # without a conflict the transaction applies
            pipe.watch("balance")
            pipe.multi()
            pipe.incr("balance")
            pipe.get("balance")
            self.assertEqual(pipe.execute(), [101, "101"])
        other.close()

    def test_slow_subscriber_is_disconnected_and_publisher_never_waits(self):
        slow = socket.create_connection(("127.0.0.1", self.port))
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow.sendall(procutil.encode("SUBSCRIBE", "firehose"))
        self.assertTrue(poll(lambda: self.r.pubsub_numsub("firehose")[0][1] == 1))
        payload = "x" * (1024 * 1024)
        started = time.monotonic()
        published = 0
        while self.r.pubsub_numsub("firehose")[0][1] == 1 and published < 200:
            self.r.publish("firehose", payload)
            published += 1
        self.assertEqual(self.r.pubsub_numsub("firehose")[0][1], 0,
                         "a subscriber that never reads is closed past 32 MB pending")
        self.assertLess(published, 64)
        self.assertLess(time.monotonic() - started, POLL_TIMEOUT_S)
        self.assertEqual(self.r.ping(), True)
        slow.close()


if __name__ == "__main__":
    unittest.main()
