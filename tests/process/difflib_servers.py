"""Starting and stopping the two servers the differential test compares: Debian's redis-server
and ringcache-server, each on a free loopback port in its own temporary directory."""

import os
import shutil
import subprocess
import tempfile

import difflib_resp as resp
import procutil

REPO_ROOT = os.environ.get(
    "RINGCACHE_ROOT", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))


def ringcache_server_path():
    """RINGCACHE_SERVER, else the default build's binary; None when neither exists."""
    candidates = [os.environ.get("RINGCACHE_SERVER"),
                  os.path.join(REPO_ROOT, "build", "runtime", "real", "ringcache-server")]
    for path in candidates:
        if path and os.access(path, os.X_OK):
            return os.path.abspath(path)  # the server runs in its own directory
    return None


def redis_server_path():
    return shutil.which("redis-server")


class ServerProcess:
    """One server process; `conn` is a ready connection once start() returns."""

    def __init__(self, name, argv_for_port):
        self.name = name
        self.argv_for_port = argv_for_port
        self.process = None
        self.conn = None
        self.port = None
        self.workdir = None
        self.log = None

    def start(self, ready_deadline_s=20.0):
        self.workdir = tempfile.mkdtemp(prefix="ringcache-diff-%s-" % self.name)
        self.port = resp.free_port()
        self.log = open(os.path.join(self.workdir, "server.log"), "wb")
        try:
            self.process = subprocess.Popen(self.argv_for_port(self.port, self.workdir),
                                            cwd=self.workdir, stdout=self.log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            self.conn = resp.wait_ready(self.port, ready_deadline_s, self.process)
        except Exception:
            self.stop()
            raise
        return self

    def connect(self):
        return resp.Connection(self.port)

    def log_tail(self, max_bytes=2000):
        try:
            with open(os.path.join(self.workdir, "server.log"), "rb") as log:
                return log.read()[-max_bytes:].decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self):
        """The end of the test: checks that the server still answers PING, then stops it.
        Raises AssertionError, once the process is gone, when the check failed."""
        failure = None
        if self.process is not None and self.conn is not None:  # started: it must still serve
            failure = procutil.serving_failure(self.port, self.process, self.name,
                                               self.log_tail)
        if self.conn is not None:
            self.conn.close()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log is not None:
            self.log.close()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
        if failure:
            raise AssertionError(failure)


def redis_server():
    path = redis_server_path()
    return ServerProcess("redis", lambda port, workdir: [
        path, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", workdir, "--daemonize", "no"])


def ringcache_server(path):
    return ServerProcess("ringcache", lambda port, workdir: [path, "--port", str(port)])


class BothServersPerClass:
    """Mixin for unittest cases that compare one redis-server with one ringcache-server, both
    started for the whole class (self.redis, self.ringcache); ringcache must still answer PING
    when the class ends."""

    @classmethod
    def setUpClass(cls):
        cls.redis = redis_server().start()
        try:
            cls.ringcache = ringcache_server(ringcache_server_path()).start()
        except Exception:
            cls.redis.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            cls.ringcache.stop()  # fails the test if it no longer answers PING
        finally:
            cls.redis.stop()
