"""Helpers for tests that run ringcache-server (or redis-server) as a real process: free ports,
start with a bounded readiness poll, stop, and a minimal raw RESP connection.

Every server a test starts must still answer PING when the test ends: Server.stop() (and the
differential test's ServerProcess.stop()) checks it with serving_failure() before stopping and
fails the test when it does not answer within a bound, so a test gets the check by stopping its
servers. A server the test ends itself (a signal, or SHUTDOWN then wait_exit()) is exempt."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.environ.get("RINGCACHE_ROOT",
                      os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
READY_TIMEOUT_S = 15.0
EXIT_TIMEOUT_S = 15.0
# How long the end-of-test PING may take: a server that spins (or is stuck) fails within it.
PING_TIMEOUT_S = 5.0


def server_binary():
    """The ringcache-server under test: $RINGCACHE_SERVER, else the default build's."""
    return os.environ.get("RINGCACHE_SERVER",
                          os.path.join(ROOT, "build", "runtime", "real", "ringcache-server"))


def use_python_with_redis_module():
    """Re-runs this script under Debian's python3 when the python3 on PATH (say, a pyenv one)
    lacks the redis module that python3-redis installs there."""
    try:
        import redis  # noqa: F401
        return
    except ImportError:
        pass
    system_python = "/usr/bin/python3"
    if os.path.exists(system_python) and os.path.realpath(sys.executable) != os.path.realpath(
            system_python) and not os.environ.get("RINGCACHE_REEXEC"):
        os.environ["RINGCACHE_REEXEC"] = "1"
        os.execv(system_python, [system_python] + sys.argv)


def poll(condition, timeout_s=READY_TIMEOUT_S, what="condition"):
    """Calls condition() until it returns something truthy (returned), within the bound."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.02)
    raise AssertionError("%s not met within %.0f s" % (what, timeout_s))


class ServerPerClass:
    """Mixin for unittest cases that share one ringcache-server started for the whole class
    (self.server, self.port)."""

    @classmethod
    def setUpClass(cls):
        cls.server = start_server()
        cls.port = cls.server.port

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()


def free_port():
    """A TCP port nobody listens on right now (the kernel's pick)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ping(port, timeout_s=1.0):
    """True if something on the port answers PING with +PONG."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def serving_problem(port, process=None, timeout_s=PING_TIMEOUT_S):
    """Why the server on `port` does not serve a new client: it exited, or PING on a new
    connection got no +PONG within the bound. None when it answers."""
    if process is not None and process.poll() is not None:
        return "the process exited with code %s" % process.returncode
    try:
        conn = RawConnection(port, timeout_s)
        try:
            conn.send(encode("PING"))
            line = conn.read_line()
        finally:
            conn.close()
    except OSError as error:
        return "no answer to PING within %.0f s (%s: %s)" % (timeout_s, type(error).__name__,
                                                              error)
    return None if line == b"+PONG\r\n" else "PING answered %r" % line


def serving_failure(port, process=None, what="server", log=lambda: ""):
    """The end-of-test check: None if the server on `port` still answers PING, else the
    failure message (with the tail of the server's output from log())."""
    problem = serving_problem(port, process)
    if problem is None:
        return None
    return "%s on port %d stopped serving before the end of the test: %s\n%s" % (
        what, port, problem, log()[-2000:])


class Server:
    """One server process on a free port. Output goes to files (a pipe nobody reads could fill
    and block the server)."""

    def __init__(self, args=(), binary=None, port=None, config_file=None, port_arg=True):
        self.port = port or free_port()
        self.binary = binary or server_binary()
        self.workdir = tempfile.mkdtemp(prefix="ringcache-proc-")
        self.stdout_path = os.path.join(self.workdir, "stdout")
        self.stderr_path = os.path.join(self.workdir, "stderr")
        argv = [self.binary]
        if config_file:
            argv.append(config_file)
        if port_arg:  # else the config file names the port
            argv += ["--port", str(self.port)]
        argv += list(args)
        self.ended_by_test = False  # signal() or wait_exit(): no PING expected at stop()
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(argv, stdout=out, stderr=err, cwd=self.workdir,
                                            stdin=subprocess.DEVNULL)

    def wait_ready(self, timeout_s=READY_TIMEOUT_S):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("server exited with %s before it was ready:\n%s%s" %
                                   (self.process.returncode, self.stdout(), self.stderr()))
            if ping(self.port):
                return self
            time.sleep(0.02)
        self.kill()
        raise RuntimeError("server not ready within %.0f s:\n%s" % (timeout_s, self.stdout()))

    def stdout(self):
        with open(self.stdout_path, "r", errors="replace") as f:
            return f.read()

    def stderr(self):
        with open(self.stderr_path, "r", errors="replace") as f:
            return f.read()

    def wait_exit(self, timeout_s=EXIT_TIMEOUT_S):
        """The exit code; raises subprocess.TimeoutExpired (after killing) if it hangs."""
        self.ended_by_test = True
        try:
            return self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def signal(self, signum=signal.SIGTERM):
        self.ended_by_test = True
        self.process.send_signal(signum)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=EXIT_TIMEOUT_S)

    def stop(self):
        """The end of a test: checks that the server still answers PING (unless the test ended
        it itself), then SIGTERM, then SIGKILL if it does not go within the bound. Raises
        AssertionError, once the process is gone, when the check failed."""
        failure = None if self.ended_by_test else serving_failure(
            self.port, self.process, os.path.basename(self.binary), self.stdout)
        if self.process.poll() is None:
            self.signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=EXIT_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.kill()
        if failure:
            raise AssertionError(failure)


def start_server(args=(), **kwargs):
    return Server(args, **kwargs).wait_ready()


def run_cli(port, *args, stdin=None, timeout_s=30.0):
    """redis-cli against the port; returns (exit code, stdout, stderr) as text."""
    result = subprocess.run(["redis-cli", "-p", str(port)] + [str(a) for a in args], input=stdin,
                            capture_output=True, timeout=timeout_s)
    return (result.returncode, result.stdout.decode(errors="replace"),
            result.stderr.decode(errors="replace"))


def free_udp_port():
    """A UDP port nobody uses right now (a cluster bus port)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cluster_info(port):
    """CLUSTER INFO as {field: text} ({} while the node does not answer)."""
    code, text, _ = run_cli(port, "cluster", "info")
    if code != 0:
        return {}
    return dict(line.strip().split(":", 1) for line in text.splitlines() if ":" in line)


def encode(*argv):
    """One command in RESP multibulk form."""
    parts = [b"*%d\r\n" % len(argv)]
    for arg in argv:
        data = arg if isinstance(arg, bytes) else str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


class RawConnection:
    """A socket for hand-made (possibly malformed) requests, with bounded reads."""

    def __init__(self, port, timeout_s=10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout_s)

    def send(self, data):
        self.sock.sendall(data)

    def read_line(self):
        """One reply line with its CRLF, or b'' if the server closed first."""
        data = b""
        while not data.endswith(b"\r\n"):
            chunk = self.sock.recv(1)
            if not chunk:
                return data
            data += chunk
        return data

    def read_until_closed(self):
        """Everything until the server closes the connection (bounded by the socket timeout)."""
        data = b""
        while True:
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                return data
            if not chunk:
                return data
            data += chunk

    def close(self):
        self.sock.close()


class BystanderServerTest:
    """Mixin for unittest cases that abuse one server with bad input: a client connected before
    the abuse (`self.bystander`) must still be served after every test, and the server alive."""

    @classmethod
    def tearDownClass(cls):
        cls.bystander.close()
        cls.server.stop()

    def assert_bystander_served(self):
        self.assertIsNone(self.server.process.poll(), "the server died")
        self.bystander.send(encode("PING"))
        self.assertEqual(self.bystander.read_line(), b"+PONG\r\n")
