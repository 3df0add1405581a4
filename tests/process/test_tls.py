"""TLS on the RESP port against a running ringcache-server, with certificates the test makes with
openssl: redis-cli --tls and python3-redis (ssl=True) served; mutual TLS accepted, and refused
(no certificate, an expired one, one from another CA) with a log line; plain text on the TLS
port neither crashes nor hangs the node; a client that never finishes its handshake blocks
nobody; CONFIG SET tls-cert-file reloads without a restart; the HTTP API on tls-http-port; a
replica following its primary over TLS (tls-replication). Every wait is a bounded poll."""

import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procutil  # noqa: E402

procutil.use_python_with_redis_module()
import redis  # noqa: E402

POLL_TIMEOUT_S = 10.0
# Long enough that a certificate made now stays valid for the whole test.
CERT_DAYS = "2"


def openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, capture_output=True,
                   timeout=30)


def make_key_and_request(name, cn, cwd):
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + cn, cwd=cwd)


def make_ca(name, cwd):
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", name + ".key", "-out", name + ".crt", "-days", CERT_DAYS,
            "-subj", "/CN=" + name, cwd=cwd)


def sign(name, ca, days, cwd):
    """name.crt from name.csr, signed by ca; days -1 makes a certificate that has expired."""
    with open(os.path.join(cwd, "san.ext"), "w") as ext:
        ext.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
            "-CAcreateserial", "-out", name + ".crt", "-days", days, "-extfile", "san.ext",
            cwd=cwd)


def make_certificates(cwd):
    make_ca("ca", cwd)
    make_ca("otherca", cwd)
    for name, ca, days in [("server", "ca", CERT_DAYS), ("reloaded", "ca", CERT_DAYS),
                           ("client", "ca", CERT_DAYS), ("expired", "ca", "-1"),
                           ("stranger", "otherca", CERT_DAYS)]:
        make_key_and_request(name, name, cwd)
        sign(name, ca, days, cwd)


class TlsTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.certs = tempfile.mkdtemp(prefix="ringcache-tls-")
        make_certificates(cls.certs)
        cls.tls_port = procutil.free_port()
        cls.tls_http_port = procutil.free_port()
        cls.server = procutil.start_server([
            "--tls-port", str(cls.tls_port),
            "--tls-http-port", str(cls.tls_http_port),
            "--tls-cert-file", cls.path("server.crt"),
            "--tls-key-file", cls.path("server.key"),
            "--tls-ca-cert-file", cls.path("ca.crt"),
            "--tls-auth-clients", "yes",
            "--loglevel", "notice"])

    @classmethod
    def tearDownClass(cls):
        try:
            # The end-of-test check over TLS too (stop() checks the plain port).
            assert cls.tls_client().ping()
        finally:
            cls.server.stop()
            shutil.rmtree(cls.certs, ignore_errors=True)

    @classmethod
    def path(cls, name):
        return os.path.join(cls.certs, name)

    @classmethod
    def tls_client(cls, cert="client", **kwargs):
        options = dict(ssl=True, ssl_ca_certs=cls.path("ca.crt"), ssl_cert_reqs="required",
                       socket_timeout=POLL_TIMEOUT_S)
        if cert:
            options.update(ssl_certfile=cls.path(cert + ".crt"),
                           ssl_keyfile=cls.path(cert + ".key"))
        options.update(kwargs)
        return redis.Redis(port=cls.tls_port, **options)

    def client_context(self, cert="client"):
        context = ssl.create_default_context(cafile=self.path("ca.crt"))
        context.check_hostname = False
        if cert:
            context.load_cert_chain(self.path(cert + ".crt"), self.path(cert + ".key"))
        return context

    def tls_socket(self, cert="client"):
        """A raw TLS socket (the handshake done), or the ssl error the handshake ended with."""
        raw = socket.create_connection(("127.0.0.1", self.tls_port), timeout=POLL_TIMEOUT_S)
        return self.client_context(cert).wrap_socket(raw)

    def assert_refused(self, cert, log_words):
        """A client showing `cert` gets no answer, and the node logs why."""
        with self.assertRaises((redis.exceptions.ConnectionError, ConnectionError, OSError)):
            client = self.tls_client(cert)
            client.ping()
        procutil.poll(lambda: log_words in self.server.stdout(), POLL_TIMEOUT_S,
                      "log line %r" % log_words)
        self.assertIn("Error accepting a client connection", self.server.stdout())

    def test_redis_cli_over_tls(self):
        result = subprocess.run(
            ["redis-cli", "--tls", "--cacert", self.path("ca.crt"), "--cert",
             self.path("client.crt"), "--key", self.path("client.key"), "-p",
             str(self.tls_port)],
            input=b"SET cli-key over-tls\nGET cli-key\n", capture_output=True, timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.split(), [b"OK", b"over-tls"])

    def test_python_redis_with_ssl(self):
        client = self.tls_client()
        self.assertTrue(client.set("py-key", "v" * 100000))
        self.assertEqual(client.get("py-key"), b"v" * 100000)
        pipe = client.pipeline(transaction=False)
        for i in range(200):
            pipe.incr("py-counter")
        self.assertEqual(pipe.execute()[-1], 200)
        # The same data is there over the plain port: TLS is only the transport.
        plain = redis.Redis(port=self.server.port, socket_timeout=POLL_TIMEOUT_S)
        self.assertEqual(plain.get("py-counter"), b"200")

    def test_client_without_certificate_is_refused(self):
        self.assert_refused(None, "peer did not return a certificate")

    def test_expired_certificate_is_refused(self):
        self.assert_refused("expired", "certificate has expired")

    def test_certificate_of_another_ca_is_refused(self):
        self.assert_refused("stranger", "unable to get local issuer certificate")

    def test_plain_text_on_the_tls_port(self):
        with socket.create_connection(("127.0.0.1", self.tls_port),
                                      timeout=POLL_TIMEOUT_S) as raw:
            raw.sendall(b"PING\r\n" + procutil.encode("SET", "plain", "text"))
            data = b""
            try:
                while True:  # the node hangs up; a hang would raise socket.timeout here
                    chunk = raw.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except ConnectionResetError:
                pass
            self.assertNotIn(b"PONG", data)
        procutil.poll(lambda: "plain text on a TLS port" in self.server.stdout(),
                      POLL_TIMEOUT_S, "log line for plain text")
        self.assertTrue(self.tls_client().ping())
        self.assertIsNone(redis.Redis(port=self.server.port).get("plain"))

    def test_silent_client_blocks_nobody(self):
        # A client that connects to the TLS port and never speaks holds its own fiber only.
        silent = socket.create_connection(("127.0.0.1", self.tls_port), timeout=POLL_TIMEOUT_S)
        try:
            half = socket.create_connection(("127.0.0.1", self.tls_port),
                                            timeout=POLL_TIMEOUT_S)
            half.sendall(b"\x16\x03\x01")  # the start of a ClientHello, never finished
            try:
                for _ in range(5):
                    self.assertTrue(self.tls_client().ping())
            finally:
                half.close()
        finally:
            silent.close()

    def test_mutual_tls_session_shows_peer(self):
        with self.tls_socket() as tls:
            self.assertEqual(dict(x[0] for x in tls.getpeercert()["subject"])["commonName"],
                             "server")
            tls.sendall(procutil.encode("PING"))
            self.assertEqual(tls.recv(64), b"+PONG\r\n")

    def test_http_api_over_tls(self):
        conn = http.client.HTTPSConnection("127.0.0.1", self.tls_http_port,
                                           context=self.client_context(),
                                           timeout=POLL_TIMEOUT_S)
        try:
            conn.request("PUT", "/cache/https-key", body=json.dumps({"value": "sealed"}),
                         headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            self.assertLess(response.status, 300)
            conn.request("GET", "/cache/https-key")
            response = conn.getresponse()
            self.assertEqual(response.status, 200)
            self.assertEqual(json.loads(response.read())["value"], "sealed")
        finally:
            conn.close()

    def test_replica_follows_its_primary_over_tls(self):
        replica = procutil.start_server([
            "--replicaof", "127.0.0.1", str(self.tls_port), "--tls-replication", "yes",
            "--tls-cert-file", self.path("server.crt"), "--tls-key-file", self.path("server.key"),
            "--tls-ca-cert-file", self.path("ca.crt")])
        try:
            self.tls_client().set("replicated", "over-tls")
            follower = redis.Redis(port=replica.port, socket_timeout=POLL_TIMEOUT_S)
            procutil.poll(lambda: follower.get("replicated") == b"over-tls", POLL_TIMEOUT_S,
                          "the write reaching the replica")
            self.assertEqual(follower.info("replication")["master_link_status"], "up")
        finally:
            replica.stop()

    def test_config_set_reloads_the_certificate(self):
        admin = redis.Redis(port=self.server.port, socket_timeout=POLL_TIMEOUT_S)
        try:
            admin.config_set("tls-cert-file", self.path("reloaded.crt"))
            # The key does not match the certificate yet: refused, the old pair stays.
            self.fail("a certificate without its key was accepted")
        except redis.exceptions.ResponseError as error:
            self.assertIn("Unable to update TLS configuration", str(error))
        self.assertEqual(admin.config_get("tls-cert-file")["tls-cert-file"],
                         self.path("server.crt"))
        with self.tls_socket() as tls:
            self.assertEqual(dict(x[0] for x in tls.getpeercert()["subject"])["commonName"],
                             "server")
        open_before = self.tls_client()
        self.assertTrue(open_before.ping())
        try:
            self.assertTrue(admin.execute_command(
                "CONFIG", "SET", "tls-cert-file", self.path("reloaded.crt"),
                "tls-key-file", self.path("reloaded.key")))
            with self.tls_socket() as tls:
                self.assertEqual(dict(x[0] for x in tls.getpeercert()["subject"])["commonName"],
                                 "reloaded")
            self.assertTrue(open_before.ping())  # open connections keep theirs
            with self.assertRaises(redis.exceptions.ResponseError):
                admin.config_set("tls-ca-cert-file", self.path("missing-ca.crt"))
            self.assertTrue(self.tls_client().ping())
        finally:
            admin.execute_command("CONFIG", "SET", "tls-cert-file", self.path("server.crt"),
                                  "tls-key-file", self.path("server.key"))


class TlsOnlyTest(unittest.TestCase):
    """port 0 with a tls-port: no plain port at all, as Redis."""

    def test_tls_only_node(self):
        certs = tempfile.mkdtemp(prefix="ringcache-tls-")
        try:
            make_ca("ca", certs)
            make_key_and_request("server", "server", certs)
            sign("server", "ca", CERT_DAYS, certs)
            tls_port = procutil.free_port()
            server = procutil.Server([
                "--port", "0", "--tls-port", str(tls_port),
                "--tls-cert-file", os.path.join(certs, "server.crt"),
                "--tls-key-file", os.path.join(certs, "server.key"),
                "--tls-auth-clients", "no"], port=tls_port, port_arg=False)
            client = redis.Redis(port=tls_port, ssl=True,
                                 ssl_ca_certs=os.path.join(certs, "ca.crt"),
                                 socket_timeout=POLL_TIMEOUT_S)

            def answers():
                try:
                    return client.ping()
                except redis.exceptions.ConnectionError:
                    return False
            try:
                procutil.poll(answers, POLL_TIMEOUT_S, "PING over TLS")
                self.assertIn("Ready to accept connections tls", server.stdout())
                self.assertNotIn("Ready to accept connections tcp", server.stdout())
                self.assertTrue(client.ping())  # the end-of-test check, over TLS
            finally:
                server.signal()
                server.wait_exit()
        finally:
            shutil.rmtree(certs, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
