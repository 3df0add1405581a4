"""ringcache-server as a user runs it: redis-cli (including --pipe), python3-redis (RESP2 and,
where the installed version has it, RESP3), config file and command-line options, errors on bad
options, and shutdown by SHUTDOWN, SIGTERM and SIGINT.

Servers stopped through procutil answer PING at the end of their test (Server.stop checks it);
the ones a test shuts down itself, or that must refuse to start, are exempt by their purpose."""

import inspect
import os
import signal
import socket
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procutil  # noqa: E402

procutil.use_python_with_redis_module()
import redis  # noqa: E402

RESP3_SUPPORTED = "protocol" in inspect.signature(redis.Redis.__init__).parameters


def run_server_expecting_exit(*args):
    """Runs the binary with `args`; returns (code, stdout, stderr). It must exit by itself."""
    result = subprocess.run([procutil.server_binary()] + list(args), capture_output=True,
                            timeout=procutil.EXIT_TIMEOUT_S, stdin=subprocess.DEVNULL)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


class RunningServerTest(procutil.ServerPerClass, unittest.TestCase):
    def cli(self, *args, stdin=None):
        code, out, err = procutil.run_cli(self.port, *args, stdin=stdin)
        self.assertEqual(code, 0, err)
        return out.strip()

    def test_startup_line_names_version_port_and_pid(self):
        log = self.server.stdout()
        self.assertIn("Ready to accept connections", log)
        self.assertIn("port=%d, pid=%d" % (self.port, self.server.process.pid), log)
        self.assertIn("version=", log)
        self.assertRegex(log, r"\d+:M \d\d \w{3} \d{4} \d\d:\d\d:\d\d\.\d{3} \* ")

    def test_info_names_the_process_and_its_cpu_time(self):
        client = redis.Redis(port=self.port, socket_timeout=10)
        self.assertEqual(client.info("server")["process_id"], self.server.process.pid)
        cpu = client.info("cpu")
        # Redis 7.0's field names, in seconds; the node has used some CPU time by now.
        for field in ("used_cpu_sys", "used_cpu_user", "used_cpu_sys_children",
                      "used_cpu_user_children", "used_cpu_sys_main_thread",
                      "used_cpu_user_main_thread"):
            self.assertGreaterEqual(cpu[field], 0, field)
        self.assertGreater(cpu["used_cpu_sys"] + cpu["used_cpu_user"], 0)
        self.assertLessEqual(cpu["used_cpu_user_main_thread"], cpu["used_cpu_user"] + 1e-6)
        self.assertIn("used_cpu_user", client.info())  # in the default sections, as in Redis
        client.close()

    def test_redis_cli_ping_set_get(self):
        self.assertEqual(self.cli("PING"), "PONG")
        self.assertEqual(self.cli("SET", "cli:key", "hello world"), "OK")
        self.assertEqual(self.cli("GET", "cli:key"), "hello world")
        self.assertEqual(self.cli("GET", "cli:missing"), "")

    def test_redis_cli_pipe_mass_insert(self):
        count = 5000
        commands = b"".join(procutil.encode("SET", "pipe:%d" % i, "v%d" % i) for i in range(count))
        out = self.cli("--pipe", stdin=commands)
        self.assertIn("errors: 0, replies: %d" % count, out)
        self.assertEqual(self.cli("GET", "pipe:4321"), "v4321")

    def test_python_client_resp2(self):
        client = redis.Redis(port=self.port, socket_timeout=10)
        self.assertTrue(client.ping())
        self.assertTrue(client.set("py:a", b"\x00binary\xff"))
        self.assertEqual(client.get("py:a"), b"\x00binary\xff")
        self.assertEqual(client.incr("py:counter"), 1)
        self.assertEqual(client.incrby("py:counter", 41), 42)
        self.assertTrue(client.set("py:ttl", "x", ex=100))
        self.assertTrue(0 < client.ttl("py:ttl") <= 100)
        self.assertEqual(client.mget("py:a", "py:nothing"), [b"\x00binary\xff", None])
        self.assertEqual(client.delete("py:a", "py:ttl"), 2)
        self.assertFalse(client.exists("py:a"))
        client.close()

    def test_python_client_pipeline(self):
        client = redis.Redis(port=self.port, socket_timeout=10)
        pipe = client.pipeline(transaction=False)
        for i in range(100):
            pipe.set("pl:%d" % i, i)
        for i in range(100):
            pipe.get("pl:%d" % i)
        results = pipe.execute()
        self.assertEqual(results[:100], [True] * 100)
        self.assertEqual(results[100:], [str(i).encode() for i in range(100)])
        client.close()

    def test_python_client_hashes_and_sets(self):
        client = redis.Redis(port=self.port, socket_timeout=10, decode_responses=True)
        mapping = {"name": "ada", "year": "1815", "field%d" % 99: "v" * 100}
        self.assertEqual(client.hset("py:hash", mapping=mapping), 3)
        self.assertEqual(client.hgetall("py:hash"), mapping)
        self.assertEqual(client.hincrby("py:hash", "year", 21), 1836)
        self.assertEqual(client.object("encoding", "py:hash"), "hashtable")
        members = {str(i) for i in range(1000)} | {"text"}
        self.assertEqual(client.sadd("py:set", *members), len(members))
        self.assertEqual(client.smembers("py:set"), members)
        self.assertEqual(set(client.sscan_iter("py:set", count=50)), members)
        self.assertEqual(set(client.sscan_iter("py:set", match="99*")),
                         {m for m in members if m.startswith("99")})
        self.assertEqual(dict(client.hscan_iter("py:hash")), dict(mapping, year="1836"))
        self.assertEqual(client.type("py:set"), "set")
        self.assertEqual(client.delete("py:hash", "py:set"), 2)
        client.close()

    def test_python_client_sorted_sets(self):
        client = redis.Redis(port=self.port, socket_timeout=10)
        self.assertEqual(client.zadd("py:z", {"a": 1, "b": 2.5, "c": -1}), 3)
        self.assertEqual(client.zincrby("py:z", 1, "a"), 2.0)
        self.assertEqual(client.zrange("py:z", 0, -1, withscores=True),
                         [(b"c", -1.0), (b"a", 2.0), (b"b", 2.5)])
        self.assertEqual(client.zrangebyscore("py:z", "(0", "+inf"), [b"a", b"b"])
        self.assertEqual(client.zrank("py:z", "b"), 2)
        self.assertEqual(client.zscore("py:z", "b"), 2.5)
        pipe = client.pipeline(transaction=False)
        for i in range(300):  # past zset-max-listpack-entries: the full encoding
            pipe.zadd("py:big", {"m%d" % i: i})
        pipe.execute()
        self.assertEqual(client.object("encoding", "py:big"), b"skiplist")
        self.assertEqual(client.zcount("py:big", 100, 199), 100)
        self.assertEqual(client.zpopmax("py:big"), [(b"m299", 299.0)])
        members = {m for m, _ in client.zscan_iter("py:big", count=50)}
        self.assertEqual(len(members), 299)
        self.assertEqual(client.zunionstore("py:u", ["py:z", "py:big"]), 302)
        client.close()

    @unittest.skipUnless(RESP3_SUPPORTED, "this redis-py has no protocol=3")
    def test_python_client_resp3(self):
        client = redis.Redis(port=self.port, protocol=3, socket_timeout=10)
        self.assertTrue(client.set("r3:key", "value"))
        self.assertEqual(client.get("r3:key"), b"value")
        self.assertIsNone(client.get("r3:missing"))
        client.close()

    def test_hello_3_over_raw_socket(self):
        conn = procutil.RawConnection(self.port)
        try:
            conn.send(procutil.encode("HELLO", "3"))
            self.assertTrue(conn.read_line().startswith(b"%"))  # a RESP3 map
        finally:
            conn.close()


class CommandLineTest(unittest.TestCase):
    def test_version_and_help(self):
        code, out, _ = run_server_expecting_exit("--version")
        self.assertEqual(code, 0)
        self.assertIn("v=", out)
        code, out, _ = run_server_expecting_exit("--help")
        self.assertEqual(code, 0)
        self.assertIn("Usage", out)

    def test_unknown_option_names_it_and_exits_1(self):
        code, _, err = run_server_expecting_exit("--no-such-option", "1")
        self.assertEqual(code, 1)
        self.assertIn("no-such-option", err)

    def test_bad_value_names_the_option_and_exits_1(self):
        code, _, err = run_server_expecting_exit("--port", "not-a-number")
        self.assertEqual(code, 1)
        self.assertIn("port", err)

    def test_unreadable_config_file_exits_1(self):
        code, _, err = run_server_expecting_exit("/nonexistent/ringcache.conf")
        self.assertEqual(code, 1)
        self.assertIn("/nonexistent/ringcache.conf", err)

    def test_bad_directive_in_config_file_exits_1(self):
        with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as conf:
            conf.write("port 7000\nbogus-directive yes\n")
        try:
            code, _, err = run_server_expecting_exit(conf.name)
        finally:
            os.unlink(conf.name)
        self.assertEqual(code, 1)
        self.assertIn("bogus-directive", err)

    def test_port_already_in_use_exits_1(self):
        server = procutil.start_server()
        try:
            code, out, err = run_server_expecting_exit("--port", str(server.port))
            self.assertEqual(code, 1)
            self.assertIn("in use", (out + err).lower())
        finally:
            server.stop()

    def test_config_file_then_command_line_overrides(self):
        port = procutil.free_port()
        with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as conf:
            conf.write("# a comment\nport %d\nhz 20\nmaxmemory 100mb\n"
                       "maxmemory-policy allkeys-lru\n" % port)
        try:
            server = procutil.Server(["--hz", "30"], port=port, config_file=conf.name,
                                     port_arg=False).wait_ready()
        finally:
            os.unlink(conf.name)
        try:
            client = redis.Redis(port=port, socket_timeout=10, decode_responses=True)
            self.assertEqual(client.config_get("hz"), {"hz": "30"})
            self.assertEqual(client.config_get("maxmemory"), {"maxmemory": "104857600"})
            self.assertEqual(client.config_get("maxmemory-policy"),
                             {"maxmemory-policy": "allkeys-lru"})
            client.close()
        finally:
            server.stop()


class ConfigSetPortTest(unittest.TestCase):
    def test_port_moves_and_a_taken_port_changes_nothing(self):
        server = procutil.start_server()
        try:
            client = redis.Redis(port=server.port, socket_timeout=10)
            # A taken port: refused in Redis' words, and no other option of the call applied.
            with socket.socket() as taken:
                taken.bind(("127.0.0.1", 0))
                taken.listen()
                busy = taken.getsockname()[1]
                with self.assertRaisesRegex(redis.ResponseError,
                                            r"argument 'port'\) - Unable to listen on this port"):
                    client.execute_command("CONFIG", "SET", "maxmemory", "12345", "port", busy)
            self.assertEqual(client.config_get("maxmemory")["maxmemory"], "0")
            self.assertEqual(client.config_get("port")["port"], str(server.port))
            self.assertTrue(procutil.ping(server.port))
            # A free port: new clients find the node there, not on the old one; this client
            # stays connected.
            new_port = procutil.free_port()
            self.assertTrue(client.execute_command("CONFIG", "SET", "port", new_port))
            self.assertEqual(client.config_get("port")["port"], str(new_port))
            self.assertTrue(procutil.ping(new_port))
            self.assertFalse(procutil.ping(server.port))
            self.assertEqual(client.ping(), True)
            client.close()
            server.port = new_port  # stop() checks PING where the node now listens
        finally:
            server.stop()


class ShutdownTest(unittest.TestCase):
    def test_shutdown_command_exits_0(self):
        server = procutil.start_server()
        procutil.run_cli(server.port, "SHUTDOWN")  # the reply may be the closed connection
        self.assertEqual(server.wait_exit(), 0, server.stdout() + server.stderr())
        self.assertFalse(procutil.ping(server.port))

    def test_sigterm_exits_0_with_clients_connected(self):
        server = procutil.start_server()
        idle = procutil.RawConnection(server.port)  # a client the shutdown must close
        try:
            server.signal(signal.SIGTERM)
            self.assertEqual(server.wait_exit(), 0, server.stdout() + server.stderr())
            self.assertIn("SIGTERM", server.stdout())
        finally:
            idle.close()

    def test_sigint_exits_0(self):
        server = procutil.start_server()
        server.signal(signal.SIGINT)
        self.assertEqual(server.wait_exit(), 0, server.stdout() + server.stderr())


if __name__ == "__main__":
    unittest.main()
