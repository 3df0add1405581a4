"""MONITOR and CLIENT introspection against a running ringcache-server, read as redis-cli and
Redis' own tools read them: one line per command another client ran, secrets redacted, admin
commands hidden, a transaction's commands in the order they ran."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import procutil  # noqa: E402

procutil.use_python_with_redis_module()
import redis  # noqa: E402

LINE = re.compile(r'^\+(\d+)\.(\d{6}) \[0 127\.0\.0\.1:(\d+)\] (.*)\r\n$')


class MonitorProcessTest(procutil.ServerPerClass, unittest.TestCase):
    def setUp(self):
        self.r = redis.Redis(port=self.port, decode_responses=True, single_connection_client=True)
        self.monitor = procutil.RawConnection(self.port)
        self.monitor.send(procutil.encode("MONITOR"))
        self.assertEqual(self.monitor.read_line(), b"+OK\r\n")

    def tearDown(self):
        self.monitor.close()
        self.r.close()

    def next_command(self):
        line = self.monitor.read_line().decode()
        match = LINE.match(line)
        self.assertIsNotNone(match, "a MONITOR line: %r" % line)
        return match.group(4)

    def test_commands_arrive_quoted_with_secrets_redacted(self):
        my_port = self.r.client_info()["addr"].split(":")[1]
        self.r.set("greeting", 'say "hi"\n\x01')
        self.r.get("greeting")
        with self.assertRaises(redis.ResponseError):
            self.r.execute_command("AUTH", "not-a-password")
        with self.assertRaises(redis.ResponseError):
            self.r.execute_command("HELLO", "2", "AUTH", "someone", "secret")
        self.r.config_get("maxmemory")  # admin: never shown
        self.r.echo("last")
        line = self.monitor.read_line().decode()
        self.assertEqual(LINE.match(line).group(3), my_port)
        self.assertEqual(LINE.match(line).group(4), r'"CLIENT" "INFO"')
        self.assertEqual(self.next_command(), r'"SET" "greeting" "say \"hi\"\n\x01"')
        self.assertEqual(self.next_command(), r'"GET" "greeting"')
        self.assertEqual(self.next_command(), r'"AUTH" "(redacted)"')
        self.assertEqual(self.next_command(), r'"HELLO" "2" "AUTH" "(redacted)" "(redacted)"')
        self.assertEqual(self.next_command(), r'"ECHO" "last"')

    def test_a_script_is_shown_before_the_commands_it_runs(self):
        self.r.eval("return redis.call('set', KEYS[1], ARGV[1])", 1, "scripted", "v")
        script_line = '"EVAL" "return redis.call(\'set\', KEYS[1], ARGV[1])" "1" "scripted" "v"'
        self.assertEqual(self.next_command(), script_line)
        line = self.monitor.read_line().decode()
        self.assertRegex(line, r'^\+\d+\.\d{6} \[0 lua\] "set" "scripted" "v"\r\n$')

    def test_transaction_in_execution_order_and_monitor_flag(self):
        pipe = self.r.pipeline(transaction=True)
        pipe.set("counter", 1).incrby("counter", 2)
        self.assertEqual(pipe.execute(), [True, 3])
        self.assertEqual(self.next_command(), r'"MULTI"')
        self.assertEqual(self.next_command(), r'"SET" "counter" "1"')
        self.assertEqual(self.next_command(), r'"INCRBY" "counter" "2"')
        self.assertEqual(self.next_command(), r'"EXEC"')
        flags = [c["flags"] for c in self.r.client_list() if c["cmd"] == "monitor"]
        self.assertEqual(flags, ["O"])
        self.monitor.send(procutil.encode("RESET"))
        self.assertEqual(self.monitor.read_line(), b"+RESET\r\n")
        self.assertEqual([c for c in self.r.client_list() if "O" in c["flags"]], [])


if __name__ == "__main__":
    unittest.main()
