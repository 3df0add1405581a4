"""The HTTP API of a real ringcache-server process, driven with curl as a user would: every
endpoint and every error case, keep-alive and pipelining on raw sockets, while a RESP client
connected before the first request keeps being served. /metrics is checked with `promtool check
metrics`, and a real Prometheus server scrapes the node (both skipped when the Debian
`prometheus` package is not installed)."""

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procutil  # noqa: E402

procutil.use_python_with_redis_module()

KEY_BYTES_MAX = 8 * 1024            # constants::http_key_bytes_max
BODY_BYTES_MAX = 16 * 1024 * 1024   # constants::http_body_bytes_max
POLL_TIMEOUT_S = 60.0


def poll(condition, timeout_s=POLL_TIMEOUT_S, what="condition"):
    return procutil.poll(condition, timeout_s, what)


class Curl:
    """curl against one node: returns (status, headers dict (lower-case names), body bytes)."""

    def __init__(self, port):
        self.base = "http://127.0.0.1:%d" % port

    def __call__(self, method, path, body=None, headers=()):
        argv = ["curl", "-sS", "-i", "--max-time", "20"]
        argv += ["-I"] if method == "HEAD" else ["-X", method]
        argv.append(self.base + path)
        for header in headers:
            argv += ["-H", header]
        stdin = None
        if body is not None:
            argv += ["--data-binary", "@-"]
            stdin = body if isinstance(body, bytes) else body.encode()
        result = subprocess.run(argv, input=stdin, capture_output=True, timeout=30)
        if result.returncode != 0:
            raise AssertionError("curl failed: %s" % result.stderr.decode(errors="replace"))
        return parse_response(result.stdout)


def parse_response(raw):
    """(status, headers, body) of the last response in `raw` (skipping 100 Continue)."""
    while raw.startswith(b"HTTP/1.1 100"):
        raw = raw.split(b"\r\n\r\n", 1)[1]
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


class HttpApiTest(procutil.BystanderServerTest, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.http_port = procutil.free_port()
        cls.server = procutil.start_server(["--http-port", str(cls.http_port)])
        cls.curl = Curl(cls.http_port)
        poll(lambda: cls.try_health(), what="HTTP /health answering")
        # Connected before any request, and must still be served after each case.
        cls.bystander = procutil.RawConnection(cls.server.port)

    @classmethod
    def try_health(cls):
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/health" % cls.http_port,
                                        timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def tearDown(self):
        self.assert_bystander_served()
        self.assertTrue(self.try_health(), "new HTTP clients are not served")

    def cli(self, *args):
        code, out, err = procutil.run_cli(self.server.port, *args)
        self.assertEqual(code, 0, err)
        return out.strip()

    def json_call(self, method, path, body=None, headers=()):
        status, response_headers, raw = self.curl(method, path, body, headers)
        self.assertEqual(response_headers.get("content-type"), "application/json")
        return status, json.loads(raw)

    def raw_exchange(self, data, timeout_s=10.0):
        """Sends `data` on a fresh connection; returns everything until the server closes."""
        with socket.create_connection(("127.0.0.1", self.http_port), timeout=timeout_s) as sock:
            sock.sendall(data)
            chunks = []
            while True:
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks)

    # --- the endpoints ---------------------------------------------------------------------

    def test_put_get_delete(self):
        self.assertEqual(self.json_call("PUT", "/cache/greeting", '{"value": "hello"}'),
                         (201, {"created": True}))
        self.assertEqual(self.json_call("PUT", "/cache/greeting", '{"value": "hi"}'),
                         (200, {"created": False}))
        self.assertEqual(self.json_call("GET", "/cache/greeting"),
                         (200, {"value": "hi", "ttl_remaining_ms": None}))
        self.assertEqual(self.cli("GET", "greeting"), "hi")
        self.assertEqual(self.json_call("DELETE", "/cache/greeting"), (200, {"deleted": True}))
        self.assertEqual(self.json_call("DELETE", "/cache/greeting"), (200, {"deleted": False}))
        self.assertEqual(self.json_call("GET", "/cache/greeting"), (404, {"error": "not found"}))

    def test_ttl(self):
        status, _ = self.json_call("PUT", "/cache/ttl", '{"value": "v", "ttl_ms": 60000}')
        self.assertEqual(status, 201)
        status, body = self.json_call("GET", "/cache/ttl")
        self.assertEqual(status, 200)
        self.assertTrue(0 < body["ttl_remaining_ms"] <= 60000, body)
        self.assertTrue(0 < int(self.cli("PTTL", "ttl")) <= 60000)
        self.json_call("PUT", "/cache/short", '{"value": "v", "ttl_ms": 1}')
        poll(lambda: self.json_call("GET", "/cache/short")[0] == 404, what="key expiry")

    def test_keys_written_over_resp_are_read_over_http(self):
        self.cli("SET", "from resp/é", "unicode é ok")
        self.assertEqual(self.json_call("GET", "/cache/from%20resp%2F%C3%A9"),
                         (200, {"value": "unicode é ok", "ttl_remaining_ms": None}))

    def test_binary_values_with_base64(self):
        payload = bytes(range(256))
        encoded = base64.b64encode(payload).decode()
        status, _ = self.json_call("PUT", "/cache/bin?encoding=base64",
                                   json.dumps({"value": encoded}))
        self.assertEqual(status, 201)
        self.assertEqual(self.json_call("GET", "/cache/bin?encoding=base64")[1]["value"], encoded)
        status, body = self.json_call("GET", "/cache/bin")
        self.assertEqual(status, 406)
        self.assertIn("base64", body["error"])
        import redis
        client = redis.Redis(port=self.server.port, socket_timeout=10)
        self.assertEqual(client.get("bin"), payload)
        client.close()

    def test_escapes_and_surrogate_pairs(self):
        status, _ = self.json_call("PUT", "/cache/esc",
                                   r'{"value": "tab\there \"q\" \u00e9 \ud83d\ude00 \u0001"}')
        self.assertEqual(status, 201)
        self.assertEqual(self.json_call("GET", "/cache/esc")[1]["value"],
                         'tab\there "q" é \U0001F600 \x01')

    def test_head_health_ready_metrics(self):
        self.assertEqual(self.json_call("GET", "/health"), (200, {"status": "ok"}))
        self.assertEqual(self.json_call("GET", "/ready"), (200, {"status": "ready"}))
        status, headers, body = self.curl("HEAD", "/health")
        self.assertEqual((status, body), (200, b""))
        self.assertEqual(headers["content-length"], "15")
        status, headers, body = self.curl("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "text/plain; version=0.0.4; charset=utf-8")
        self.assertIn(b"# TYPE ringcache_commands_total counter", body)
        self.assertIn(b"ringcache_connected_clients ", body)

    def test_metrics_and_info_agree(self):
        self.json_call("GET", "/cache/absent-for-metrics")
        _, _, body = self.curl("GET", "/metrics")
        metrics = {}
        for line in body.decode().splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                metrics[name] = float(value)
        info = dict(line.split(":", 1) for line in self.cli("INFO", "stats").splitlines()
                    if ":" in line)
        # No commands ran between the scrape and INFO that touch keys.
        self.assertEqual(metrics["ringcache_keyspace_misses_total"],
                         float(info["keyspace_misses"]))
        self.assertGreater(metrics['ringcache_commands_total{cmd="get"}'], 0)

    # --- the error cases -------------------------------------------------------------------

    def test_bad_bodies_are_400_with_json_errors(self):
        for body, words in [('{"value": "v"', "malformed JSON"),
                            ('{"value": 5}', "must be a string"),
                            ('{"value": null}', "must be a string"),
                            ('{"value": "v", "ttl_ms": "10"}', "ttl_ms"),
                            ('{"value": "v", "ttl_ms": -1}', "ttl_ms"),
                            ('{"valeu": "v"}', "unknown field"),
                            ('"v"', "JSON object"),
                            (b'{"value": "\xff"}', "UTF-8"),
                            ('{"value": "\\ud800"}', "surrogate")]:
            status, response = self.json_call("PUT", "/cache/bad", body)
            self.assertEqual(status, 400, body)
            self.assertIn(words, response["error"], body)
        self.assertEqual(self.cli("EXISTS", "bad"), "0")

    def test_wrong_method_is_405_with_allow(self):
        status, headers, _ = self.curl("POST", "/cache/k", "{}")
        self.assertEqual(status, 405)
        self.assertEqual(headers["allow"], "GET, HEAD, PUT, DELETE")
        status, headers, _ = self.curl("PUT", "/metrics", "x")
        self.assertEqual(status, 405)
        self.assertEqual(headers["allow"], "GET, HEAD")

    def test_unknown_paths_and_bad_keys(self):
        self.assertEqual(self.json_call("GET", "/nothing")[0], 404)
        self.assertEqual(self.json_call("GET", "/cache/a/b")[0], 404)
        self.assertEqual(self.json_call("GET", "/cache/%zz")[0], 400)
        self.assertEqual(self.json_call("GET", "/cache/k?encoding=hex")[0], 400)

    def test_key_over_the_limit_is_414(self):
        status, body = self.json_call("GET", "/cache/" + "k" * (KEY_BYTES_MAX + 1))
        self.assertEqual(status, 414)
        self.assertIn("key longer", body["error"])
        # A request line over its own limit is refused by the parser, and the connection closed.
        reply = self.raw_exchange(b"GET /cache/" + b"k" * (64 * 1024) + b" HTTP/1.1\r\n")
        self.assertTrue(reply.startswith(b"HTTP/1.1 414 "), reply[:80])

    def test_body_over_the_limit_is_413_and_closes(self):
        reply = self.raw_exchange(b"PUT /cache/big HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n"
                                  % (BODY_BYTES_MAX + 1))
        self.assertTrue(reply.startswith(b"HTTP/1.1 413 "), reply[:80])
        self.assertIn(b"Connection: close", reply)
        # curl sends a body this large with Expect: 100-continue, which is answered at once.
        value = "v" * (2 * 1024 * 1024)
        status, _ = self.json_call("PUT", "/cache/large", json.dumps({"value": value}))
        self.assertEqual(status, 201)
        self.assertEqual(len(self.json_call("GET", "/cache/large")[1]["value"]), len(value))

    def test_malformed_http_is_400_and_closes(self):
        for request in [b"GARBAGE\r\n\r\n", b"GET /health\r\n\r\n",
                        b"GET /health HTTP/1.1\r\n\r\n",  # no Host
                        b"GET /health HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n",
                        b"*1\r\n$4\r\nPING\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\r\n"]:
            reply = self.raw_exchange(request)
            status, _, body = parse_response(reply)
            self.assertEqual(status, 400, request)
            self.assertIn("error", json.loads(body))
        self.assertTrue(self.raw_exchange(b"GET /health HTTP/2.0\r\n\r\n").startswith(
            b"HTTP/1.1 505 "))
        self.assertTrue(self.raw_exchange(
            b"PUT /cache/x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n").startswith(
            b"HTTP/1.1 501 "))

    def test_keep_alive_and_pipelining(self):
        requests = (b"PUT /cache/pipe HTTP/1.1\r\nHost: t\r\nContent-Length: 15\r\n\r\n"
                    b'{"value": "p1"}'
                    b"GET /cache/pipe HTTP/1.1\r\nHost: t\r\n\r\n"
                    b"DELETE /cache/pipe HTTP/1.1\r\nHost: t\r\n\r\n")
        with socket.create_connection(("127.0.0.1", self.http_port), timeout=10) as sock:
            sock.sendall(requests)
            received = b""
            while received.count(b"HTTP/1.1 ") < 3 or not received.endswith(b"}"):
                chunk = sock.recv(65536)
                self.assertTrue(chunk, "closed early: %r" % received)
                received += chunk
            self.assertEqual([int(part.split(b" ", 1)[0]) for part in
                              received.split(b"HTTP/1.1 ")[1:]], [201, 200, 200])
            self.assertIn(b'{"value":"p1","ttl_remaining_ms":null}', received)
            # Still open: one more request on the same connection, asking to close after it.
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            tail = b""
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                tail += chunk
            self.assertTrue(tail.startswith(b"HTTP/1.1 200 OK"), tail)
            self.assertIn(b"Connection: close", tail)

    def test_http10_closes_unless_keep_alive(self):
        reply = self.raw_exchange(b"GET /health HTTP/1.0\r\n\r\n")
        self.assertTrue(reply.startswith(b"HTTP/1.1 200 OK"))

    def test_requirepass_needs_a_bearer_token(self):
        self.cli("CONFIG", "SET", "requirepass", "s3cret")
        try:
            status, headers, _ = self.curl("GET", "/cache/k")
            self.assertEqual(status, 401)
            self.assertIn("Bearer", headers["www-authenticate"])
            status, _ = self.json_call("GET", "/cache/k",
                                       headers=["Authorization: Bearer s3cret"])
            self.assertEqual(status, 404)
            self.assertEqual(self.json_call("GET", "/health")[0], 200)
        finally:
            procutil.run_cli(self.server.port, "-a", "s3cret", "--no-auth-warning", "CONFIG",
                             "SET", "requirepass", "")

    # --- Prometheus ------------------------------------------------------------------------

    @unittest.skipUnless(shutil.which("promtool"), "promtool (Debian package prometheus) absent")
    def test_promtool_accepts_metrics(self):
        self.json_call("GET", "/cache/for-promtool")
        _, _, body = self.curl("GET", "/metrics")
        result = subprocess.run(["promtool", "check", "metrics"], input=body,
                                capture_output=True, timeout=30)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    @unittest.skipUnless(shutil.which("prometheus"), "prometheus (Debian package) absent")
    def test_prometheus_scrapes_the_node(self):
        workdir = tempfile.mkdtemp(prefix="ringcache-prom-")
        prom_port = procutil.free_port()
        config = os.path.join(workdir, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 1s\nscrape_configs:\n"
                    "  - job_name: ringcache\n    static_configs:\n"
                    "      - targets: ['127.0.0.1:%d']\n" % self.http_port)
        log = open(os.path.join(workdir, "log"), "wb")
        prometheus = subprocess.Popen(
            ["prometheus", "--config.file", config, "--storage.tsdb.path",
             os.path.join(workdir, "data"), "--web.listen-address", "127.0.0.1:%d" % prom_port],
            stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        try:
            query = ("http://127.0.0.1:%d/api/v1/query?query=ringcache_keys" % prom_port)

            def series():
                try:
                    with urllib.request.urlopen(query, timeout=2) as response:
                        return json.load(response)["data"]["result"]
                except (OSError, ValueError, KeyError):
                    return None
            result = poll(series, what="Prometheus returning ringcache_keys")
            self.assertEqual(result[0]["metric"]["job"], "ringcache")
        finally:
            prometheus.terminate()
            try:
                prometheus.wait(timeout=15)
            except subprocess.TimeoutExpired:
                prometheus.kill()
                prometheus.wait()
            log.close()
            shutil.rmtree(workdir, ignore_errors=True)


class HttpPortTest(unittest.TestCase):
    def test_off_by_default_and_config_get(self):
        server = procutil.start_server()
        try:
            code, out, _ = procutil.run_cli(server.port, "CONFIG", "GET", "http-port")
            self.assertEqual(out.split(), ["http-port", "0"])
            self.assertNotIn("HTTP API", server.stdout())
        finally:
            server.stop()

    def test_taken_port_fails_startup(self):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            server = procutil.Server(["--http-port", str(port)])
            self.assertEqual(server.wait_exit(), 1)
            self.assertIn("HTTP port", server.stdout() + server.stderr())


if __name__ == "__main__":
    unittest.main()
