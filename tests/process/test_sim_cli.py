"""ringcache-sim as a user runs it: the summary line's exact form, exit codes, the replay line on
failure, --check-determinism, --trace, a short sweep, shrink, and the regression list.

Starts no server (the simulator runs its nodes in its own process), so it has no end-of-test
PING check."""

import os
import re
import subprocess
import tempfile
import unittest

ROOT = os.environ.get("RINGCACHE_ROOT",
                      os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SIM = os.environ.get("RINGCACHE_SIM", os.path.join(ROOT, "build", "runtime", "sim", "ringcache-sim"))
SCENARIOS = os.path.join(ROOT, "scenarios")
SUMMARY = re.compile(r"^seed=(\d+) result=(pass|fail) trace=([0-9a-f]{16}) sim_s=(\d+\.\d+) "
                     r"wall_s=(\d+\.\d+) events=(\d+) faults=((?:[a-z_.]+:\d+,)*[a-z_.]+:\d+|none)$")

BUGGY = """
name = "buggy"
node = "toy"
duration_s = 3
liveness_s = 2
[cluster.config]
toy-bug = "stale-read"
[workload]
clients = 3
rate = 500
keys = 3
[faults.rates]
"net.reset" = 2.0
"node.pause" = 1.0
"""


def sim(*args, timeout=300):
    result = subprocess.run([SIM] + [str(a) for a in args], capture_output=True, timeout=timeout,
                            stdin=subprocess.DEVNULL)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


def scenario(name):
    return os.path.join(SCENARIOS, name)


class SimCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.buggy = os.path.join(cls.tmp.name, "buggy.toml")
        with open(cls.buggy, "w") as f:
            f.write(BUGGY)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_run_ends_with_the_summary_line_and_exits_zero_on_pass(self):
        code, out, err = sim("run", scenario("toy-selftest.toml"), "--seed", 7)
        self.assertEqual(code, 0, out + err)
        lines = out.strip().splitlines()
        match = SUMMARY.match(lines[-1])
        self.assertIsNotNone(match, lines[-1])
        self.assertEqual(match.group(1), "7")
        self.assertEqual(match.group(2), "pass")
        self.assertGreater(float(match.group(4)), 1.0)
        self.assertNotIn("replay:", out)
        self.assertIn("options chosen by seed 7", out)

    def test_failure_prints_replay_line_before_summary_and_exits_one(self):
        code, out, _ = sim("run", self.buggy, "--seed", 3)
        self.assertEqual(code, 1, out)
        lines = out.strip().splitlines()
        self.assertRegex(lines[-1], SUMMARY)
        self.assertIn("result=fail", lines[-1])
        self.assertEqual(lines[-2], "replay: ringcache-sim run %s --seed 3" % self.buggy)

    def test_same_seed_same_trace_and_check_determinism(self):
        first = sim("run", scenario("toy-selftest.toml"), "--seed", 11)[1].splitlines()[-1]
        second = sim("run", scenario("toy-selftest.toml"), "--seed", 11)[1].splitlines()[-1]
        self.assertEqual(SUMMARY.match(first).group(3), SUMMARY.match(second).group(3))
        code, out, _ = sim("run", scenario("toy-selftest.toml"), "--seed", 11,
                           "--check-determinism")
        self.assertEqual(code, 0, out)
        self.assertIn("determinism: ok", out)
        other = sim("run", scenario("toy-selftest.toml"), "--seed", 12)[1].splitlines()[-1]
        self.assertNotEqual(SUMMARY.match(first).group(3), SUMMARY.match(other).group(3))

    def test_trace_file_is_a_readable_event_log(self):
        path = os.path.join(self.tmp.name, "trace.log")
        code, out, _ = sim("run", scenario("toy-selftest.toml"), "--seed", 2, "--trace", path)
        self.assertEqual(code, 0, out)
        with open(path) as f:
            log = f.read().splitlines()
        self.assertGreater(len(log), 100)
        self.assertRegex(log[0], r"^\d+\.\d{9}s ")
        self.assertTrue(any(" client " in line for line in log))

    def test_sweep_reports_failures_with_replay_commands(self):
        code, out, err = sim("sweep", scenario("toy-selftest.toml"), "--seeds", 6, "--from", 5)
        self.assertEqual(code, 0, out + err)
        self.assertIn("sweep seeds=5..10 runs=6 failed=0", out)
        self.assertIn("sweep 6/6", err)
        code, out, _ = sim("sweep", self.buggy, "--seeds", 3)
        self.assertEqual(code, 1)
        self.assertIn("failed=3", out)
        self.assertIn("replay: ringcache-sim run %s --seed 2" % self.buggy, out)

    def test_shrink_writes_a_smaller_failing_scenario(self):
        out_path = os.path.join(self.tmp.name, "shrunk.toml")
        code, out, err = sim("shrink", self.buggy, "--seed", 1, "--out", out_path, timeout=600)
        self.assertEqual(code, 0, out + err)
        self.assertEqual(out.strip().splitlines()[-1], out_path)
        code, out, _ = sim("run", out_path, "--seed", 1)
        self.assertEqual(code, 1, out)
        with open(out_path) as f:
            text = f.read()
        self.assertIn("max_ops", text)

    def test_regressions_replays_every_line(self):
        code, out, err = sim("regressions", os.path.join(SCENARIOS, "regressions.txt"))
        self.assertEqual(code, 0, out + err)
        self.assertRegex(out, r"regressions runs=\d+ failed=0")

    def test_bad_usage_and_bad_scenarios_exit_two(self):
        self.assertEqual(sim("run", scenario("toy-selftest.toml"))[0], 2)
        bad = os.path.join(self.tmp.name, "bad.toml")
        with open(bad, "w") as f:
            f.write("durration_s = 3\n")
        code, _, err = sim("run", bad, "--seed", 1)
        self.assertEqual(code, 2)
        self.assertIn("unknown key durration_s", err)


if __name__ == "__main__":
    unittest.main()
