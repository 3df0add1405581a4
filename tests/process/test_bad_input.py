"""Malformed RESP of every kind gets Redis' '-ERR Protocol error: ...' reply and a closed
connection, while the node keeps serving its other clients.

Runs against $RINGCACHE_SERVER; with REFERENCE_SERVER=/usr/bin/redis-server it runs the same
cases against Redis to check the expectations (cases on ringcache's own limits are skipped)."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procutil  # noqa: E402

REFERENCE = os.environ.get("REFERENCE_SERVER")
LINE_MAX = 64 * 1024  # inline_line_bytes_max: longest inline request or header line
ARGS_MAX = 1024 * 1024  # multibulk_args_max (Redis allows more)


class BadInputTest(procutil.BystanderServerTest, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        args = ["--save", "", "--appendonly", "no"] if REFERENCE else []
        cls.server = procutil.start_server(args, binary=REFERENCE)
        # Connected before any bad input, and must still be served after each case.
        cls.bystander = procutil.RawConnection(cls.server.port)

    def tearDown(self):
        self.assert_bystander_served()
        self.assertTrue(procutil.ping(self.server.port), "new clients are not served")

    def expect_protocol_error(self, request, message):
        """Sends `request`; expects '-ERR Protocol error: <message>' and then the close."""
        conn = procutil.RawConnection(self.server.port)
        try:
            conn.send(request)
            reply = conn.read_until_closed()
        finally:
            conn.close()
        self.assertEqual(reply, b"-ERR Protocol error: " + message + b"\r\n")

    def test_multibulk_length_not_a_number(self):
        self.expect_protocol_error(b"*abc\r\n", b"invalid multibulk length")

    def test_multibulk_length_negative_overflow(self):
        self.expect_protocol_error(b"*99999999999999999999\r\n", b"invalid multibulk length")

    @unittest.skipIf(REFERENCE, "ringcache's own argument limit")
    def test_too_many_arguments(self):
        self.expect_protocol_error(b"*%d\r\n" % (ARGS_MAX + 1), b"invalid multibulk length")

    def test_bulk_length_not_a_number(self):
        self.expect_protocol_error(b"*1\r\n$abc\r\n", b"invalid bulk length")

    def test_bulk_length_negative(self):
        self.expect_protocol_error(b"*1\r\n$-5\r\n", b"invalid bulk length")

    def test_huge_bulk_length(self):
        self.expect_protocol_error(b"*1\r\n$99999999999\r\n", b"invalid bulk length")

    def test_bulk_without_dollar(self):
        self.expect_protocol_error(b"*1\r\n+PING\r\n", b"expected '$', got '+'")

    def test_unbalanced_quotes_inline(self):
        self.expect_protocol_error(b'SET "key value\r\n', b"unbalanced quotes in request")

    def test_inline_request_too_long(self):
        self.expect_protocol_error(b"x" * (LINE_MAX + 10), b"too big inline request")

    def test_multibulk_count_line_too_long(self):
        self.expect_protocol_error(b"*" + b"1" * (LINE_MAX + 10), b"too big mbulk count string")

    def test_bulk_count_line_too_long(self):
        self.expect_protocol_error(b"*1\r\n$" + b"1" * (LINE_MAX + 10),
                                   b"too big bulk count string")

    def test_binary_garbage(self):
        self.expect_protocol_error(b"*\xff\xfe\x80garbage\x01\r\n", b"invalid multibulk length")

    def test_garbage_after_a_valid_command_still_answers_the_command(self):
        conn = procutil.RawConnection(self.server.port)
        try:
            conn.send(procutil.encode("PING") + b"*1\r\n$x\r\n")
            reply = conn.read_until_closed()
        finally:
            conn.close()
        self.assertEqual(reply, b"+PONG\r\n-ERR Protocol error: invalid bulk length\r\n")

    def test_half_request_then_close(self):
        conn = procutil.RawConnection(self.server.port)
        conn.send(b"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$10\r\nabc")
        conn.close()
        # tearDown checks that the node still serves; the half request must not have run.
        check = procutil.RawConnection(self.server.port)
        try:
            check.send(procutil.encode("EXISTS", "key"))
            self.assertEqual(check.read_line(), b":0\r\n")
        finally:
            check.close()


if __name__ == "__main__":
    unittest.main()
