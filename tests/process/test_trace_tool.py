"""ringcache-trace as a researcher runs it: the scripted CSV form, agreement with libCacheSim on
the CloudPhysics sample, generated workloads, the table and the SVG plot, and clear errors.

Starts no server, so it has no end-of-test PING check."""

import csv
import gzip
import io
import os
import subprocess
import tempfile
import unittest

ROOT = os.environ.get("RINGCACHE_ROOT",
                      os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TRACE_TOOL = os.environ.get("RINGCACHE_TRACE",
                            os.path.join(ROOT, "build", "tools", "trace", "ringcache-trace"))
SAMPLE = os.path.join(ROOT, "tests", "data", "cloudPhysicsIO.oracleGeneral.bin.zst")

# libCacheSim (cachesim, 2024-10) on this sample, object sizes ignored, at 489 and 4,897 objects.
# FIFO, LRU and CLOCK are determined by the trace alone: they must agree to the fourth decimal.
LIBCACHESIM = {
    "fifo": (0.8476, 0.8054),
    "lru": (0.8380, 0.8049),
    "clock": (0.8372, 0.8044),
    "sieve": (0.8292, 0.7907),
    "s3fifo": (0.8304, 0.7525),
    "arc": (0.8275, 0.7728),
}


def run(*args, timeout=300):
    result = subprocess.run([TRACE_TOOL] + [str(a) for a in args], capture_output=True,
                            timeout=timeout, stdin=subprocess.DEVNULL)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


class ScriptedForm(unittest.TestCase):
    def test_the_documented_command_prints_the_csv_header(self):
        code, out, err = run("--trace", SAMPLE, "--format", "oracleGeneral", "--policies",
                             "lru,fifo,s3fifo,sieve", "--sizes", "489,4897", "--ignore-size",
                             "--csv")
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertEqual(lines[0], "policy,cache_size,requests,miss_ratio,byte_miss_ratio,mreq_per_s")
        got = [(r["policy"], r["cache_size"], r["requests"]) for r in rows(out)]
        self.assertEqual(got, [(p, s, "113872") for p in ("lru", "fifo", "s3fifo", "sieve")
                               for s in ("489", "4897")])

    def test_agrees_with_libcachesim(self):
        code, out, err = run("--trace", SAMPLE, "--policies", ",".join(LIBCACHESIM), "--sizes",
                             "0.01,0.1", "--ignore-size", "--csv")
        self.assertEqual(code, 0, err)
        for r in rows(out):
            small, large = LIBCACHESIM[r["policy"]]
            expected = small if r["cache_size"] == "489" else large
            self.assertEqual(round(float(r["miss_ratio"]), 4), expected, r)

    def test_belady_bounds_every_policy(self):
        code, out, err = run("--trace", SAMPLE, "--sizes", "4897", "--ignore-size", "--csv")
        self.assertEqual(code, 0, err)
        ratios = {r["policy"]: float(r["miss_ratio"]) for r in rows(out)}
        self.assertEqual(len(ratios), 12)  # every policy, Redis' sampled LRU and LFU included
        for policy, ratio in ratios.items():
            self.assertLessEqual(ratios["belady"], ratio, policy)


class Workloads(unittest.TestCase):
    def test_zipf_s3fifo_and_sieve_beat_lru(self):
        code, out, err = run("--workload", "zipf:1.0", "--objects", "100000", "--requests",
                             "1000000", "--policies", "lru,s3fifo,sieve", "--sizes", "0.1",
                             "--ignore-size", "--csv")
        self.assertEqual(code, 0, err)
        ratios = {r["policy"]: float(r["miss_ratio"]) for r in rows(out)}
        self.assertLess(ratios["s3fifo"], ratios["lru"])
        self.assertLess(ratios["sieve"], ratios["lru"])

    def test_same_seed_same_trace(self):
        args = ("--workload", "zipf:0.8@0.7,scan@0.2,loop:500@0.1", "--objects", "5000",
                "--requests", "50000", "--object-size", "uniform:10:1000", "--policies", "lru",
                "--sizes", "0.1", "--csv")
        first = [r["miss_ratio"] for r in rows(run(*args, "--seed", "7")[1])]
        self.assertEqual(first, [r["miss_ratio"] for r in rows(run(*args, "--seed", "7")[1])])

    def test_written_trace_replays_the_same(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "w.oracleGeneral.bin")
            common = ("--policies", "arc,wtinylfu", "--sizes", "0.05", "--csv")
            code, direct, err = run("--workload", "hotset:0.9:20000", "--objects", "10000",
                                    "--requests", "100000", "--object-size",
                                    "lognormal:4000:1.0", "--write-trace", path, *common)
            self.assertEqual(code, 0, err)
            code, replayed, err = run("--trace", path, *common)
            self.assertEqual(code, 0, err)
            strip = lambda text: [(r["policy"], r["miss_ratio"], r["byte_miss_ratio"])
                                  for r in rows(text)]
            self.assertEqual(strip(direct), strip(replayed))


class TextFormats(unittest.TestCase):
    def test_csv_with_mapping_gzip_and_plain_agree(self):
        keys = [f"k{(i * 7919) % 97}" for i in range(3000)]
        with tempfile.TemporaryDirectory() as tmp:
            plain = os.path.join(tmp, "keys.txt")
            with open(plain, "w") as f:
                f.write("\n".join(keys) + "\n")
            table = os.path.join(tmp, "trace.csv.gz")
            with gzip.open(table, "wt") as f:
                f.write("time,size,key\n")
                for i, k in enumerate(keys):
                    f.write(f"{i},100,{k}\n")
            common = ("--policies", "lru,sieve", "--sizes", "20", "--ignore-size", "--csv")
            _, from_plain, err1 = run("--trace", plain, "--format", "plain", *common)
            _, from_csv, err2 = run("--trace", table, "--format", "csv", "--csv-columns",
                                    "time=1,size=2,key=3", "--csv-header", *common)
            self.assertEqual(err1 + err2, "")
            self.assertEqual([r["miss_ratio"] for r in rows(from_plain)],
                             [r["miss_ratio"] for r in rows(from_csv)])

    def test_twitter_format_counts_deletes_out(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "twitter.csv")
            with open(path, "w") as f:
                f.write("0,a,1,9,1,get,0\n1,a,1,9,1,delete,0\n2,a,1,9,1,get,0\n")
                f.write("3,b,1,19,1,get,0\nnot,a,valid,line\n")
            code, out, err = run("--trace", path, "--format", "twitter", "--policies", "lru",
                                 "--sizes", "1000", "--csv")
            self.assertEqual(code, 0, err)
            self.assertIn("skipped 1 of 5 lines", err)
            (r,) = rows(out)
            self.assertEqual(r["requests"], "3")
            self.assertEqual(r["miss_ratio"], "1.000000")  # the delete made the second get miss


class Output(unittest.TestCase):
    def test_table_and_svg(self):
        with tempfile.TemporaryDirectory() as tmp:
            svg = os.path.join(tmp, "mrc.svg")
            code, out, err = run("--trace", SAMPLE, "--policies", "lru,s3fifo", "--ignore-size",
                                 "--svg", svg)
            self.assertEqual(code, 0, err)
            self.assertTrue(out.startswith("policy"))
            self.assertEqual(len(out.splitlines()), 1 + 2 * 8)  # the default sweep of 8 sizes
            with open(svg) as f:
                plot = f.read()
            self.assertTrue(plot.startswith("<svg"))
            self.assertEqual(plot.count("<polyline"), 2)
            self.assertIn(">s3fifo</text>", plot)
            self.assertIn("miss ratio", plot)


class Errors(unittest.TestCase):
    def test_bad_input_is_a_clear_error(self):
        cases = [
            (("--trace", SAMPLE, "--policies", "lru,bogus"), "unknown policy 'bogus'"),
            (("--trace", SAMPLE, "--sizes", "1.5"), "bad cache size"),
            (("--trace", "/nonexistent/file"), "/nonexistent/file"),
            (("--workload", "zipf"), "wrong number of parameters"),
            (("--workload", "zipf:1", "--object-size", "normal:3"), "bad size distribution"),
            ((), "give exactly one of --trace FILE and --workload PATTERNS"),
            (("--trace", SAMPLE, "--format", "parquet"), "unknown format 'parquet'"),
            (("--trace", SAMPLE, "--maxmemory-samples", "0"), "--maxmemory-samples must be in 1..64"),
            (("--trace", SAMPLE, "--request-rate", "0"), "--request-rate must be at least 1"),
        ]
        for args, message in cases:
            code, out, err = run(*args)
            self.assertEqual(code, 1, args)
            self.assertIn(message, err, args)
            self.assertEqual(out, "", args)


if __name__ == "__main__":
    unittest.main()
