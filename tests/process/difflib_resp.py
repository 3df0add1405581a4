"""A raw-socket RESP2 client for the differential test: replies are kept as parsed values that
still carry their wire type (status, error, integer, bulk, array), so two servers compare exactly,
error words included."""

import socket
import time


class Error(str):
    """An error reply (the line after '-')."""


class Status(str):
    """A simple-string reply (the line after '+')."""


def encode(argv):
    parts = [b"*%d\r\n" % len(argv)]
    for arg in argv:
        data = arg if isinstance(arg, bytes) else str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


class Connection:
    def __init__(self, port, host="127.0.0.1", timeout_s=10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout_s)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def close(self):
        self.sock.close()

    def call(self, *argv):
        self.sock.sendall(encode(argv))
        return self.read_reply()

    def pipeline(self, commands):
        self.sock.sendall(b"".join(encode(argv) for argv in commands))
        return [self.read_reply() for _ in commands]

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buffer += chunk

    def _line(self):
        while True:
            end = self.buffer.find(b"\r\n")
            if end >= 0:
                line, self.buffer = self.buffer[:end], self.buffer[end + 2:]
                return line
            self._fill()

    def _exact(self, count):
        while len(self.buffer) < count + 2:
            self._fill()
        data, self.buffer = self.buffer[:count], self.buffer[count + 2:]
        return data

    def read_reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return Status(rest.decode("latin-1"))
        if kind == b"-":
            return Error(rest.decode("latin-1"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            length = int(rest)
            return None if length < 0 else self._exact(length)
        if kind == b"*":
            length = int(rest)
            return None if length < 0 else [self.read_reply() for _ in range(length)]
        raise ValueError("unexpected reply line %r" % line)


def wait_ready(port, deadline_s=20.0, process=None):
    """Polls until the server answers PING (bounded); returns a connection."""
    end = time.monotonic() + deadline_s
    delay = 0.005
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError("server exited with %s before it was ready" % process.returncode)
        try:
            conn = Connection(port, timeout_s=10.0)
            if conn.call("PING") == Status("PONG"):
                return conn
            conn.close()
        except OSError:
            pass
        if time.monotonic() > end:
            raise TimeoutError("server on port %d not ready after %.0fs" % (port, deadline_s))
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
