"""Limits on misbehaving clients and protected mode against a running ringcache-server, as Redis
behaves: client-query-buffer-limit (a flooding client closed, a dribbling one held to the limit),
client-output-buffer-limit (a reply past the hard limit, a client that never reads past the soft
limit, a subscriber that never reads), maxclients, timeout (idle clients closed, subscribers
kept), and protected mode's -DENIED for a client from outside the loopback. Every wait is a
bounded poll; every test ends with the node answering PING."""

import os
import socket
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procutil  # noqa: E402

procutil.use_python_with_redis_module()
import redis  # noqa: E402

POLL_TIMEOUT_S = 10.0


def poll(condition, what="condition"):
    return procutil.poll(condition, POLL_TIMEOUT_S, what)


def outside_address():
    """An address of this host outside the loopback (None if it has none): a UDP socket
    "connected" towards a public address learns which local address would be used, sending
    nothing."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


class ClientLimitsTest(procutil.ServerPerClass, unittest.TestCase):

    def setUp(self):
        self.admin = redis.Redis(port=self.port, socket_timeout=POLL_TIMEOUT_S)
        self.raw = []

    def tearDown(self):
        for conn in self.raw:
            conn.close()
        self.admin.config_set("client-output-buffer-limit",
                              "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60")
        self.admin.config_set("client-query-buffer-limit", "1gb")
        self.admin.config_set("timeout", "0")
        self.admin.config_set("maxclients", "10000")
        self.assertTrue(self.admin.ping())

    def connect(self, name):
        conn = procutil.RawConnection(self.port, POLL_TIMEOUT_S)
        self.raw.append(conn)
        conn.send(procutil.encode("CLIENT", "SETNAME", name))
        self.assertEqual(conn.read_line(), b"+OK\r\n")
        return conn

    def client_named(self, name):
        for client in self.admin.client_list():
            if client.get("name") == name:
                return client
        return None

    def gone(self, name):
        return self.client_named(name) is None

    def log_has(self, words):
        return words in self.server.stdout()

    def test_config_get_shows_redis_format(self):
        self.admin.config_set("client-output-buffer-limit", "normal 1mb 512kb 10 pubsub 0 0 0")
        self.assertEqual(self.admin.config_get("client-output-buffer-limit"),
                         {"client-output-buffer-limit":
                          "normal 1048576 524288 10 slave 268435456 67108864 60 pubsub 0 0 0"})
        for bad in ["normal 1mb", "master 1 1 1", "normal x 1 1", "pubsub 1 1 -1"]:
            with self.assertRaises(redis.exceptions.ResponseError):
                self.admin.config_set("client-output-buffer-limit", bad)

    def test_query_buffer_limit_closes_a_flooding_client(self):
        self.admin.config_set("client-query-buffer-limit", "1mb")
        flooder = self.connect("flooder")
        try:
            flooder.send(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4000000\r\n" + b"x" * 2_000_000)
        except OSError:
            pass  # closed while we were still sending: what we test
        poll(lambda: self.gone("flooder"), "the flooding client closed")
        poll(lambda: self.log_has("Closing client that reached max query buffer length"),
             "the log line")
        self.assertIsNone(self.admin.get("k"))

    def test_dribbling_client_holds_no_more_than_the_limit(self):
        self.admin.config_set("client-query-buffer-limit", "1mb")
        dribbler = self.connect("dribbler")
        # Announces a 50 MB value, sends most of a megabyte, then one byte per round trip.
        dribbler.send(b"*3\r\n$3\r\nSET\r\n$1\r\nd\r\n$50000000\r\n" + b"x" * 1_000_000)
        for _ in range(20):
            dribbler.send(b"x")
            client = self.client_named("dribbler")
            self.assertIsNotNone(client, "closed below the limit")
            self.assertLessEqual(int(client["qbuf"]), 1024 * 1024)
        # Past the limit it goes, however slowly the bytes came.
        try:
            dribbler.send(b"x" * 100_000)
        except OSError:
            pass
        poll(lambda: self.gone("dribbler"), "the dribbling client closed at the limit")
        self.assertIsNone(self.admin.get("d"))

    def test_reply_past_the_hard_limit_closes_the_client(self):
        self.admin.set("big", "b" * 2_000_000)
        self.admin.config_set("client-output-buffer-limit", "normal 1mb 0 0")
        reader = self.connect("reader")
        reader.send(procutil.encode("GET", "big"))
        self.assertEqual(reader.read_until_closed(), b"")
        poll(lambda: self.log_has("closed for overcoming of output buffer limits"), "log line")
        self.admin.config_set("client-output-buffer-limit", "normal 0 0 0")
        self.assertEqual(len(self.admin.get("big")), 2_000_000)

    def test_client_that_never_reads_is_closed_past_the_soft_limit(self):
        self.admin.set("hundred-k", "h" * 100_000)
        self.admin.config_set("client-output-buffer-limit", "normal 0 64kb 1")
        deaf = self.connect("deaf")
        deaf.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        # Far more replies than the socket buffers hold; the client reads none of them.
        try:
            deaf.send(procutil.encode("GET", "hundred-k") * 2000)
        except OSError:
            pass
        poll(lambda: self.gone("deaf"), "the client that never reads closed")
        self.assertTrue(self.admin.ping())

    def test_subscriber_that_never_reads_is_closed(self):
        self.admin.config_set("client-output-buffer-limit", "pubsub 1mb 512kb 60")
        subscriber = self.connect("deaf-subscriber")
        subscriber.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        subscriber.send(procutil.encode("SUBSCRIBE", "news"))
        poll(lambda: self.admin.pubsub_numsub("news")[0][1] == 1, "subscribed")
        message = "m" * 65536
        for _ in range(400):  # 25 MB, far past what the socket buffers hold
            if self.admin.publish("news", message) == 0:
                break
        poll(lambda: self.admin.pubsub_numsub("news")[0][1] == 0, "the subscriber closed")
        self.assertTrue(self.log_has("closed for overcoming of output buffer limits"))

    def test_maxclients_refuses_the_next_client(self):
        connected = len(self.admin.client_list())
        self.admin.config_set("maxclients", str(connected + 1))
        self.connect("last-one")
        extra = procutil.RawConnection(self.port, POLL_TIMEOUT_S)
        self.raw.append(extra)
        self.assertEqual(extra.read_line(), b"-ERR max number of clients reached\r\n")

    def test_timeout_closes_idle_clients_not_subscribers(self):
        idle = self.connect("idle")
        subscriber = self.connect("listener")
        subscriber.send(procutil.encode("SUBSCRIBE", "quiet"))
        poll(lambda: self.admin.pubsub_numsub("quiet")[0][1] == 1, "subscribed")
        self.admin.config_set("timeout", "1")
        poll(lambda: self.gone("idle"), "the idle client closed")
        self.assertEqual(idle.read_until_closed(), b"")
        self.admin.config_set("timeout", "0")
        self.assertIsNotNone(self.client_named("listener"))
        self.assertEqual(self.admin.publish("quiet", "still here"), 1)


class ProtectedModeTest(unittest.TestCase):
    """A node bound to every interface with no password answers loopback clients only."""

    def test_outside_client_is_denied_until_a_password_or_opt_out(self):
        address = outside_address()
        if address is None:
            self.skipTest("this host has no address outside the loopback")
        server = procutil.start_server(["--bind", "0.0.0.0"])
        try:
            def first_line():
                with socket.create_connection((address, server.port),
                                              timeout=POLL_TIMEOUT_S) as conn:
                    conn.sendall(procutil.encode("PING"))
                    data = b""
                    while not data.endswith(b"\r\n"):
                        chunk = conn.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                    return data
            line = first_line()
            self.assertTrue(line.startswith(b"-DENIED Redis is running in protected mode because "
                                            b"protected mode is enabled and no password is set "
                                            b"for the default user."), line)
            self.assertTrue(line.endswith(b"from the outside.\r\n"))
            local = redis.Redis(port=server.port, socket_timeout=POLL_TIMEOUT_S)
            self.assertTrue(local.ping())
            self.assertEqual(local.info("stats")["rejected_connections"], 1)
            local.config_set("requirepass", "secret")
            self.assertEqual(first_line(), b"-NOAUTH Authentication required.\r\n")
            local.execute_command("AUTH", "secret")
            local.config_set("requirepass", "")
            local.config_set("protected-mode", "no")
            self.assertEqual(first_line(), b"+PONG\r\n")
        finally:
            server.stop()


if __name__ == "__main__":
    unittest.main()
