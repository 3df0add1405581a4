"""The append-only file with real processes: kill -9 under load with appendfsync always keeps
every acknowledged write; a rewrite under load keeps everything; streams with consumer groups come
back the same from the log and from a rewrite; a torn tail is cut and logged; damage before the
tail stops the node with the file and offset named."""

import glob
import os
import signal
import threading
import time
import unittest

import procutil

LOAD_SECONDS = 1.0
WRITERS = 4


def aof_files(workdir, pattern):
    return sorted(glob.glob(os.path.join(workdir, "appendonlydir", pattern)))


class Writer(threading.Thread):
    """SETs unique keys until stopped or the connection breaks; keeps the acknowledged ones."""

    def __init__(self, port, name):
        super().__init__(daemon=True)
        self.port, self.name, self.acked, self.stop_flag = port, name, {}, False

    def run(self):
        try:
            conn = procutil.RawConnection(self.port, timeout_s=5.0)
        except OSError:
            return
        try:
            i = 0
            while not self.stop_flag:
                key, value = "%s:%d" % (self.name, i), "v%d-%s" % (i, "x" * (i % 50))
                conn.send(procutil.encode("SET", key, value))
                if conn.read_line() != b"+OK\r\n":
                    return
                self.acked[key] = value
                i += 1
        except OSError:
            return
        finally:
            conn.close()


def get(conn, key):
    conn.send(procutil.encode("GET", key))
    header = conn.read_line()
    if header == b"$-1\r\n":
        return None
    length = int(header[1:-2])
    data = b""
    while len(data) < length + 2:
        data += conn.sock.recv(length + 2 - len(data))
    return data[:-2].decode()


class AofProcessTest(unittest.TestCase):
    def start(self, *args, workdir=None):
        extra = ["--dir", workdir] if workdir else []
        server = procutil.start_server(["--appendonly", "yes"] + extra + list(args))
        self.addCleanup(server.stop)
        return server

    def load_under_writers(self, server, during=None):
        writers = [Writer(server.port, "w%d" % i) for i in range(WRITERS)]
        for writer in writers:
            writer.start()
        deadline = time.monotonic() + LOAD_SECONDS
        while time.monotonic() < deadline:
            if during:
                during()
                during = None
            time.sleep(0.05)
        return writers

    def assert_all_back(self, port, acked):
        conn = procutil.RawConnection(port)
        missing = [k for k, v in acked.items() if get(conn, k) != v]
        conn.close()
        self.assertEqual(missing[:5], [], "%d of %d acknowledged keys lost" % (len(missing),
                                                                              len(acked)))

    def test_kill_9_under_load_keeps_every_acknowledged_write(self):
        first = self.start("--appendfsync", "always")
        writers = self.load_under_writers(first)
        first.signal(signal.SIGKILL)
        first.process.wait(timeout=procutil.EXIT_TIMEOUT_S)
        for writer in writers:
            writer.join(timeout=10)
        acked = {}
        for writer in writers:
            acked.update(writer.acked)
        self.assertGreater(len(acked), 100)
        second = self.start("--appendfsync", "always", workdir=first.workdir)
        self.assert_all_back(second.port, acked)
        self.assertIn("DB loaded from append only file", second.stdout())

    def test_rewrite_under_load_keeps_everything(self):
        first = self.start("--appendfsync", "everysec")

        def rewrite():
            self.assertEqual(procutil.run_cli(first.port, "BGREWRITEAOF")[1].strip(),
                             "Background append only file rewriting started")

        writers = self.load_under_writers(first, during=rewrite)
        for writer in writers:
            writer.stop_flag = True
            writer.join(timeout=10)
        deadline = time.monotonic() + 15
        while "aof_rewrite_in_progress:0" not in procutil.run_cli(first.port, "INFO",
                                                                   "persistence")[1]:
            self.assertLess(time.monotonic(), deadline, "rewrite never finished")
            time.sleep(0.05)
        info = procutil.run_cli(first.port, "INFO", "persistence")[1]
        self.assertIn("aof_last_bgrewrite_status:ok", info)
        self.assertEqual(len(aof_files(first.workdir, "*.base.aof")), 1)
        procutil.run_cli(first.port, "SHUTDOWN")
        first.wait_exit()
        acked = {}
        for writer in writers:
            acked.update(writer.acked)
        second = self.start(workdir=first.workdir)
        self.assert_all_back(second.port, acked)

    def wait_rewrite_done(self, port):
        deadline = time.monotonic() + 15
        while True:
            info = procutil.run_cli(port, "INFO", "persistence")[1]
            if "aof_rewrites:1" in info and "aof_rewrite_in_progress:0" in info:
                return info
            self.assertLess(time.monotonic(), deadline, "rewrite never finished")
            time.sleep(0.05)

    def test_bgrewriteaof_with_the_aof_off_writes_a_base_a_restart_loads(self):
        # As Redis 7: the dataset goes to a base file listed alone in the manifest.
        first = procutil.start_server(["--appendonly", "no"])
        self.addCleanup(first.stop)
        for i in range(100):
            procutil.run_cli(first.port, "SET", "off:%d" % i, "value%d" % i)
        self.assertEqual(procutil.run_cli(first.port, "BGREWRITEAOF")[1].strip(),
                         "Background append only file rewriting started")
        info = self.wait_rewrite_done(first.port)
        self.assertIn("aof_enabled:0", info)
        self.assertIn("aof_last_bgrewrite_status:ok", info)
        self.assertEqual(len(aof_files(first.workdir, "*.base.aof")), 1)
        self.assertEqual(aof_files(first.workdir, "*.incr.aof"), [])
        procutil.run_cli(first.port, "SHUTDOWN")
        first.wait_exit()
        second = self.start(workdir=first.workdir)
        self.assert_all_back(second.port, {"off:%d" % i: "value%d" % i for i in range(100)})

    STREAM_WRITES = [
        ("XADD", "s", "1-1", "f", "v"), ("XADD", "s", "2-0", "f", "w", "g", "x"),
        ("XADD", "s", "3-0", "f", "y"), ("XADD", "s", "4-0", "f", "z"), ("XDEL", "s", "4-0"),
        ("XGROUP", "CREATE", "s", "g", "0"),
        ("XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"),
        ("XGROUP", "CREATECONSUMER", "s", "g", "bob"),
        ("XREADGROUP", "GROUP", "g", "carol", "NOACK", "STREAMS", "s", ">"),
        ("XCLAIM", "s", "g", "bob", "0", "2-0", "RETRYCOUNT", "7"),
        ("XGROUP", "CREATE", "e", "g2", "$", "MKSTREAM"),
        ("XADD", "t", "MAXLEN", "~", "1", "5-0", "a", "b"), ("XTRIM", "t", "MAXLEN", "0"),
    ]

    def stream_state(self, port):
        """XINFO STREAM FULL of each stream, without the consumers' seen-time (a consumer is
        seen anew when the file loads, as in Redis)."""
        state = []
        for key in ("s", "e", "t"):
            lines = procutil.run_cli(port, "XINFO", "STREAM", key, "FULL")[1].splitlines()
            state.append([line for i, line in enumerate(lines)
                          if i == 0 or lines[i - 1] != "seen-time"])
        return state

    def test_streams_and_groups_come_back_from_the_log_and_from_a_rewrite(self):
        first = self.start("--appendfsync", "always")
        for argv in self.STREAM_WRITES:
            code, out, _ = procutil.run_cli(first.port, *argv)
            self.assertNotIn("ERR", out, argv)
        before = self.stream_state(first.port)
        self.assertIn("2-0", before[0])
        procutil.run_cli(first.port, "SHUTDOWN")
        first.wait_exit()
        second = self.start(workdir=first.workdir)
        self.assertEqual(self.stream_state(second.port), before, "replayed from the log")
        self.assertEqual(procutil.run_cli(second.port, "BGREWRITEAOF")[1].strip(),
                         "Background append only file rewriting started")
        self.wait_rewrite_done(second.port)
        procutil.run_cli(second.port, "SHUTDOWN")
        second.wait_exit()
        third = self.start(workdir=first.workdir)
        self.assertEqual(self.stream_state(third.port), before, "loaded from the rewritten file")

    def write_some_and_kill(self):
        server = self.start("--appendfsync", "always")
        for i in range(50):
            procutil.run_cli(server.port, "SET", "key%d" % i, "value%d" % i)
        server.signal(signal.SIGKILL)
        server.process.wait(timeout=procutil.EXIT_TIMEOUT_S)
        return server.workdir, aof_files(server.workdir, "*.incr.aof")[-1]

    def test_torn_tail_is_truncated_and_logged(self):
        workdir, incr = self.write_some_and_kill()
        good = os.path.getsize(incr)
        with open(incr, "ab") as f:
            f.write(b"\x30\x00\x00\x00garbage")
        server = self.start(workdir=workdir)
        self.assertEqual(procutil.run_cli(server.port, "GET", "key49")[1].strip(), "value49")
        self.assertIn("11 bytes dropped", server.stdout())
        self.assertEqual(os.path.getsize(incr), good)

    def test_damage_before_the_tail_refuses_to_start(self):
        workdir, incr = self.write_some_and_kill()
        with open(incr, "r+b") as f:
            f.seek(100)
            byte = f.read(1)
            f.seek(100)
            f.write(bytes([byte[0] ^ 0x01]))
        server = procutil.Server(["--appendonly", "yes", "--dir", workdir])
        self.addCleanup(server.stop)
        self.assertNotEqual(server.wait_exit(), 0)
        self.assertIn(os.path.basename(incr), server.stdout())
        self.assertIn("at offset", server.stdout())


if __name__ == "__main__":
    unittest.main()
